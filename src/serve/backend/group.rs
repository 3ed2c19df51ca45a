//! Group commit of reads' log entries: the calls in flight put their
//! entries in one queue; one of them (the leader) takes everything queued,
//! signs and appends it in one locked write, and wakes the others, whose
//! entries were in that write. A call is answered only after its entry is
//! written (not fsynced, as `sm get`), so no read goes unlogged and a
//! failed append fails the reads it held; under load the log costs one
//! open, lock and write per batch instead of per read.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::audit::Event;
use crate::error::{Error, Result};

/// The queue and who is writing it.
#[derive(Default)]
pub struct Group {
    state: Mutex<State>,
    /// Where the callers of batches of each parity wait: a written batch
    /// wakes its own callers, and only one caller of the next batch (to
    /// lead it), instead of every caller in flight.
    done: [Condvar; 2],
}

#[derive(Default)]
struct State {
    /// The entries of the batch being gathered.
    pending: Vec<Event>,
    /// How many calls put entries in it.
    callers: usize,
    /// The number of the batch being gathered (from 1).
    gathering: u64,
    /// The number of the last batch written (or failed).
    written: u64,
    /// Whether a leader is writing a batch now.
    writing: bool,
    /// The failed batches' messages, with how many callers have yet to
    /// read them.
    failures: HashMap<u64, (String, usize)>,
}

fn parity(batch: u64) -> usize {
    (batch % 2) as usize
}

impl Group {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `events` and returns once they are written; `write` writes a
    /// batch when this call leads one.
    pub fn submit(&self, events: &[Event], write: impl Fn(&[Event]) -> Result<()>) -> Result<()> {
        let mut state = self.lock();
        if state.gathering == 0 {
            state.gathering = 1;
        }
        state.pending.extend_from_slice(events);
        state.callers += 1;
        let mine = state.gathering;
        loop {
            if state.written >= mine {
                return match state.failures.get_mut(&mine) {
                    None => Ok(()),
                    Some((message, left)) => {
                        let error = Error::Other(message.clone());
                        *left -= 1;
                        if *left == 0 {
                            state.failures.remove(&mine);
                        }
                        Err(error)
                    }
                };
            }
            if !state.writing {
                // Lead: write everything gathered, this call's entries with it.
                let batch = std::mem::take(&mut state.pending);
                let callers = std::mem::take(&mut state.callers);
                let number = state.gathering;
                state.gathering += 1;
                state.writing = true;
                drop(state);
                let result = write(&batch);
                state = self.lock();
                state.writing = false;
                state.written = number;
                if let Err(error) = &result
                    && callers > 1
                {
                    state
                        .failures
                        .insert(number, (error.to_string(), callers - 1));
                }
                self.done[parity(number)].notify_all();
                self.done[parity(number + 1)].notify_one();
                return result;
            }
            state = self.done[parity(mine)]
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Waits until no batch is being written.
    pub fn wait_idle(&self) {
        let mut state = self.lock();
        while state.writing || !state.pending.is_empty() {
            // Polled, never waiting on the callers' condition variables: a
            // wake-up meant for the next batch's leader must reach it.
            drop(state);
            std::thread::sleep(std::time::Duration::from_millis(1));
            state = self.lock();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_entry_is_written_once_in_fewer_writes() {
        let group = Arc::new(Group::default());
        let written = Arc::new(Mutex::new(Vec::new()));
        let writes = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let (group, written, writes) = (group.clone(), written.clone(), writes.clone());
                std::thread::spawn(move || {
                    for i in 0..200 {
                        let event = Event::ok("get", Some(&format!("{t}/{i}")));
                        group
                            .submit(&[event], |batch| {
                                writes.fetch_add(1, Ordering::SeqCst);
                                std::thread::sleep(std::time::Duration::from_micros(200));
                                written.lock().unwrap().extend(batch.iter().cloned());
                                Ok(())
                            })
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let written = written.lock().unwrap();
        assert_eq!(written.len(), 1600);
        let mut names: Vec<_> = written.iter().map(|e| e.secret.clone().unwrap()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 1600);
        assert!(writes.load(Ordering::SeqCst) < 1600);
        group.wait_idle();
    }

    #[test]
    fn a_failed_write_fails_every_call_in_it() {
        let group = Group::default();
        let err = group
            .submit(&[Event::ok("get", Some("a"))], |_| {
                Err(Error::Other("disk full".into()))
            })
            .unwrap_err();
        assert!(err.to_string().contains("disk full"));
        group
            .submit(&[Event::ok("get", Some("b"))], |_| Ok(()))
            .unwrap();
    }
}
