//! Reading a log line by line with a cap on each line, so a hostile log
//! (one endless line, `/dev/zero` behind a link is refused earlier) costs
//! at most [`super::MAX_LINE_LEN`] bytes of memory per line.

use std::io::BufRead;

/// One line of a log.
#[derive(Debug, Default)]
pub(super) struct Line {
    /// Its bytes without the newline (the first cap + 1 bytes of a longer
    /// line, which is then `too_long` and ends the reading).
    pub bytes: Vec<u8>,
    /// Whether a newline ended it (the last line of a file may lack one).
    pub complete: bool,
    /// Whether it was longer than the cap (and so cannot be an entry).
    pub too_long: bool,
}

/// Reads lines of at most `cap` bytes each from `reader`.
pub(super) struct Lines<R> {
    reader: R,
    cap: usize,
}

impl<R: BufRead> Lines<R> {
    /// Reads `reader` line by line.
    pub fn new(reader: R, cap: usize) -> Lines<R> {
        Lines { reader, cap }
    }

    /// Returns the next line, or `None` at the end. After a line that is
    /// `too_long` the reader is in the middle of it: callers stop there.
    pub fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut line = Line::default();
        let mut seen_any = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(seen_any.then_some(line));
            }
            seen_any = true;
            let (chunk, used, done) = match buf.iter().position(|b| *b == b'\n') {
                Some(p) => (&buf[..p], p + 1, true),
                None => (buf, buf.len(), false),
            };
            let room = (self.cap + 1).saturating_sub(line.bytes.len());
            if chunk.len() > room {
                // Not a log line: stop here rather than read through it
                // (a 3 GB file of zeros is one line).
                line.bytes.extend_from_slice(&chunk[..room]);
                line.too_long = true;
                return Ok(Some(line));
            }
            line.bytes.extend_from_slice(chunk);
            self.reader.consume(used);
            if done {
                line.complete = true;
                return Ok(Some(line));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(data: &[u8], cap: usize) -> Vec<(Vec<u8>, bool, bool)> {
        let mut lines = Lines::new(std::io::BufReader::with_capacity(3, data), cap);
        let mut out = Vec::new();
        while let Some(l) = lines.next_line().unwrap() {
            let stop = l.too_long;
            out.push((l.bytes, l.complete, l.too_long));
            if stop {
                break;
            }
        }
        out
    }

    #[test]
    fn splits_lines_and_marks_the_unterminated_last_one() {
        assert_eq!(
            all(b"ab\n\ncd", 10),
            vec![
                (b"ab".to_vec(), true, false),
                (Vec::new(), true, false),
                (b"cd".to_vec(), false, false),
            ]
        );
        assert!(all(b"", 10).is_empty());
    }

    #[test]
    fn stops_at_a_long_line_after_reading_at_most_the_cap() {
        let out = all(b"ok\n0123456789abc\nok\n", 4);
        assert_eq!(out[0], (b"ok".to_vec(), true, false));
        assert_eq!(out[1], (b"01234".to_vec(), false, true));
        assert_eq!(out.len(), 2);
        // An endless line costs the cap, not its length.
        let mut lines = Lines::new(std::io::BufReader::new(std::io::repeat(0)), 1024);
        let line = lines.next_line().unwrap().unwrap();
        assert!(line.too_long);
        assert_eq!(line.bytes.len(), 1025);
    }
}
