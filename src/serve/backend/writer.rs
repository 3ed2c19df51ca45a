//! The server's log writer: calls hand it their entries and wait for the
//! batch that holds them to be written (a read's answer waits too, so no
//! read goes unlogged and a failed append fails the reads it held).
//!
//! Writing is combined, not handed to a thread: a call queues its entries
//! and, if no other call is writing, writes the whole queue itself (its
//! own entries and whatever queued meanwhile) in one locked write; a call
//! that finds another writing leaves its entries to it. Whoever writes
//! looks at the queue again after letting go, so nothing queued is left
//! behind. Uncontended, a read's entry is signed and appended on the
//! read's own thread, with no thread switch; under load the log costs one
//! lock and write per batch instead of per call. A batch holding a write's
//! entries is fsynced before any of its calls is answered (by whichever
//! call writes it: a read that finds a write's entries queued waits for
//! that fsync, as it would behind the write's batch anyway).
//!
//! The log stays open between batches (see [`crate::audit::Appender`]).
//! A small thread remembers the last head once the log has been quiet for
//! [`crate::audit::MARK_EVERY`], and at the end, when the backend is
//! dropped.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, TryLockError};
use std::thread::{JoinHandle, Thread};

use tokio::sync::oneshot;

use crate::audit::{self, Appender, Event};
use crate::crypto::Identity;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::trust::log_heads::LogHeads;

/// The most jobs one batch takes (the rest go into the next).
const MAX_BATCH: usize = 512;

/// The acting member's log file on this device.
pub struct LogTarget {
    /// The member.
    pub member: String,
    /// This machine's device id for the store.
    pub device: String,
    /// The store's seen folder (this machine's memory of it).
    pub seen: PathBuf,
}

type Done = oneshot::Sender<std::result::Result<(), String>>;

struct Job {
    store: Arc<Store>,
    target: Arc<LogTarget>,
    events: Vec<Event>,
    durable: bool,
    done: Done,
}

/// Entries handed to the writer, not yet known to be written.
pub struct Pending(oneshot::Receiver<std::result::Result<(), String>>);

impl Pending {
    /// Waits, blocking the thread, until the entries are written.
    pub fn wait(self) -> Result<()> {
        outcome(self.0.blocking_recv())
    }

    /// Waits until the entries are written.
    pub async fn done(self) -> Result<()> {
        outcome(self.0.await)
    }
}

fn outcome(
    received: std::result::Result<std::result::Result<(), String>, oneshot::error::RecvError>,
) -> Result<()> {
    match received {
        Ok(Ok(())) => Ok(()),
        Ok(Err(message)) => Err(Error::Other(message)),
        Err(_) => Err(Error::Other("the log writer stopped".into())),
    }
}

/// What the calls and the head-remembering thread share.
struct Shared {
    identity: Arc<Identity>,
    /// Jobs waiting for a writer.
    queue: Mutex<VecDeque<Job>>,
    /// The open log; held by whoever writes.
    state: Mutex<State>,
    /// The head thread has been woken for a head not yet remembered.
    armed: AtomicBool,
    /// The backend is being dropped.
    stop: AtomicBool,
    /// The head thread, to wake it.
    marker: OnceLock<Thread>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    /// Writes the queue unless another holder of the log is writing it
    /// (it looks at the queue again after letting go).
    fn drain(&self) {
        loop {
            let state = match self.state.try_lock() {
                Ok(state) => state,
                Err(TryLockError::Poisoned(e)) => e.into_inner(),
                Err(TryLockError::WouldBlock) => return,
            };
            self.release(state);
            if lock(&self.queue).is_empty() {
                return;
            }
        }
    }

    /// Writes a batch of what is queued with the log held, lets go of it,
    /// and wakes the head thread for a head left unremembered. A holder
    /// that did not come through [`Shared::drain`] calls it after this.
    fn release(&self, mut state: MutexGuard<'_, State>) {
        let jobs: Vec<Job> = {
            let mut queue = lock(&self.queue);
            let n = queue.len().min(MAX_BATCH);
            queue.drain(..n).collect()
        };
        if !jobs.is_empty() {
            write_jobs(&mut state, &self.identity, jobs);
        }
        let waiting = state.appender.unremembered().is_some();
        drop(state);
        if waiting
            && !self.armed.swap(true, Ordering::AcqRel)
            && let Some(thread) = self.marker.get()
        {
            thread.unpark();
        }
    }
}

/// The combining writer and its head-remembering thread.
pub struct Writer {
    shared: Arc<Shared>,
    marker: Option<JoinHandle<()>>,
}

impl Writer {
    /// A writer signing with `identity`.
    pub fn new(identity: Arc<Identity>) -> Writer {
        let shared = Arc::new(Shared {
            identity,
            queue: Mutex::new(VecDeque::new()),
            state: Mutex::new(State {
                appender: Appender::default(),
                last: None,
            }),
            armed: AtomicBool::new(false),
            stop: AtomicBool::new(false),
            marker: OnceLock::new(),
        });
        let theirs = shared.clone();
        // Without the thread a head is remembered with the next durable
        // batch or at the end, and the next process checks a memory that
        // trails the log in full: nothing depends on it but freshness.
        let marker = std::thread::Builder::new()
            .name("sm-log".into())
            .spawn(move || remember_heads(&theirs))
            .ok();
        if let Some(thread) = &marker {
            let _ = shared.marker.set(thread.thread().clone());
        }
        Writer { shared, marker }
    }

    /// Hands `events` over: they are signed and appended to `target`'s log
    /// of `store` with the next batch (fsynced if `durable`), written by
    /// this call unless another call is writing.
    pub fn submit(
        &self,
        store: Arc<Store>,
        target: Arc<LogTarget>,
        events: Vec<Event>,
        durable: bool,
    ) -> Result<Pending> {
        let (done, pending) = oneshot::channel();
        lock(&self.shared.queue).push_back(Job {
            store,
            target,
            events,
            durable,
            done,
        });
        self.shared.drain();
        Ok(Pending(pending))
    }

    /// Writes everything handed over and remembers its head.
    pub fn flush(&self) {
        let shared = &self.shared;
        let mut state = lock(&shared.state);
        loop {
            let jobs: Vec<Job> = lock(&shared.queue).drain(..).collect();
            if jobs.is_empty() {
                break;
            }
            write_jobs(&mut state, &shared.identity, jobs);
        }
        state.flush();
        shared.release(state);
        shared.drain();
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.flush();
        self.shared.stop.store(true, Ordering::Release);
        if let Some(thread) = self.marker.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

/// The head thread: sleeps until woken for a head not yet remembered,
/// waits until it is due and remembers it (unless a durable batch did
/// meanwhile). It holds the log like any writer, so it writes what queued
/// while it held it.
fn remember_heads(shared: &Shared) {
    loop {
        if shared.stop.load(Ordering::Acquire) {
            return;
        }
        if !shared.armed.load(Ordering::Acquire) {
            std::thread::park();
            continue;
        }
        let mut state = lock(&shared.state);
        let wait = match state.appender.unremembered() {
            Some(wait) if !wait.is_zero() => Some(wait),
            Some(_) => {
                state.flush();
                None
            }
            None => {
                // Disarmed with the log held: a batch written after this
                // finds the flag down and wakes the thread again.
                shared.armed.store(false, Ordering::Release);
                None
            }
        };
        shared.release(state);
        shared.drain();
        if let Some(wait) = wait {
            std::thread::park_timeout(wait);
        }
    }
}

/// The log: the store and target of the batch written last, whose log
/// the appender holds open.
struct State {
    appender: Appender,
    last: Option<(Arc<Store>, Arc<LogTarget>)>,
}

impl State {
    fn memory(target: &LogTarget) -> LogHeads {
        LogHeads::in_seen_dir(&target.seen)
    }

    fn write(
        &mut self,
        identity: &Identity,
        store: &Arc<Store>,
        target: &Arc<LogTarget>,
        events: &[Event],
        durable: bool,
    ) -> Result<()> {
        let same = self
            .last
            .as_ref()
            .is_some_and(|(s, t)| Arc::ptr_eq(s, store) && Arc::ptr_eq(t, target));
        if !same {
            self.flush();
            self.appender.reset();
            self.last = Some((store.clone(), target.clone()));
        }
        let memory = State::memory(target);
        let to = audit::Target {
            member: &target.member,
            device: &target.device,
            memory: Some(&memory),
        };
        self.appender.append(store, identity, to, events, durable)
    }

    fn flush(&mut self) {
        if let Some((store, target)) = &self.last {
            let memory = State::memory(target);
            // A head left unremembered is caught up by the next process's
            // check; nothing is lost by failing here.
            let _ = self.appender.flush(store, Some(&memory));
        }
    }
}

/// Writes the jobs taken together: consecutive appends to the same log in
/// one batch.
fn write_jobs(state: &mut State, identity: &Identity, jobs: Vec<Job>) {
    let mut group: Vec<(Vec<Event>, Done)> = Vec::new();
    let mut group_of: Option<(Arc<Store>, Arc<LogTarget>, bool)> = None;
    let finish = |state: &mut State,
                  group: &mut Vec<(Vec<Event>, Done)>,
                  of: Option<(Arc<Store>, Arc<LogTarget>, bool)>| {
        let Some((store, target, durable)) = of else {
            return;
        };
        let events: Vec<Event> = group.iter_mut().flat_map(|(e, _)| e.drain(..)).collect();
        let result = state
            .write(identity, &store, &target, &events, durable)
            .map_err(|e| e.to_string());
        for (_, done) in group.drain(..) {
            let _ = done.send(result.clone());
        }
    };
    for job in jobs {
        let Job {
            store,
            target,
            events,
            durable,
            done,
        } = job;
        let joins = group_of
            .as_ref()
            .is_some_and(|(s, t, _)| Arc::ptr_eq(s, &store) && Arc::ptr_eq(t, &target));
        if !joins {
            finish(state, &mut group, group_of.take());
            group_of = Some((store, target, durable));
        } else if let Some((_, _, d)) = group_of.as_mut() {
            *d |= durable;
        }
        group.push((events, done));
    }
    finish(state, &mut group, group_of.take());
}
