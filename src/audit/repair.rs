//! `sm doctor`'s part of the log: removing torn lines. This is the only
//! place a log is rewritten: under the file's lock, only a regular file
//! inside the store opened without following links, written to a temp
//! file beside it and renamed over it (appenders waiting for the lock see
//! the file was replaced and lock the new one).

use std::io::BufReader;
use std::path::PathBuf;

use super::append::open_locked;
use super::lines::Lines;
use super::{MAX_LINE_LEN, log_files, parse_entry};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::fsio::Durability;

/// Removes every line that is not an entry (torn writes of killed
/// appenders) from every log file, and returns the files repaired.
pub fn repair_torn_lines(store: &Store) -> Result<Vec<PathBuf>> {
    let mut repaired = Vec::new();
    for path in log_files(store)? {
        let (file, _) = open_locked(store, &path)?;
        let mut lines = Lines::new(BufReader::new(&file), MAX_LINE_LEN);
        let mut kept = Vec::new();
        let mut torn = 0;
        while let Some(line) = lines
            .next_line()
            .map_err(|e| Error::io("cannot read", &path, e))?
        {
            if line.too_long {
                // Not a torn write (those are shorter than an entry): leave
                // the file as it is.
                return Err(Error::integrity(
                    &path,
                    "a line is longer than the 64 KiB a log line may hold; doctor leaves this log alone",
                ));
            }
            if parse_entry(&line.bytes).is_some() {
                kept.extend_from_slice(&line.bytes);
                kept.push(b'\n');
            } else {
                torn += 1;
            }
        }
        if torn > 0 {
            // The lock on the old file is held until the new one is in place.
            store.fs().write_atomic(&path, &kept, Durability::Sync)?;
            repaired.push(path);
        }
        drop(file);
    }
    Ok(repaired)
}
