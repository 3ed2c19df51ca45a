//! The server's log writer: one thread that signs and appends the entries
//! of every call, in batches. Calls hand it their entries and wait for
//! the batch that holds them to be written (a read's answer waits too, so
//! no read goes unlogged and a failed append fails the reads it held);
//! whatever queued while a batch was being written goes into the next one,
//! so under load the log costs one lock and write per batch instead of
//! per call, and no call's thread ever waits on the log's lock. A batch
//! holding a write's entries is fsynced before any of its calls is
//! answered.
//!
//! The thread keeps the log open between batches (see
//! [`crate::audit::Appender`]); it ends when the backend is dropped, after
//! remembering the last head.

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use crate::audit::{self, Appender, Event};
use crate::crypto::Identity;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::trust::log_heads::LogHeads;

/// The most entries one batch signs (the rest wait for the next).
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

enum Job {
    Append {
        store: Arc<Store>,
        target: Arc<LogTarget>,
        events: Vec<Event>,
        durable: bool,
        done: Done,
    },
    Flush(oneshot::Sender<()>),
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

/// The writer thread and the way to it.
pub struct Writer {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    identity: Arc<Identity>,
}

impl Writer {
    /// A writer signing with `identity`; its thread starts with the first
    /// entries.
    pub fn new(identity: Arc<Identity>) -> Writer {
        Writer {
            jobs: Mutex::new(None),
            thread: Mutex::new(None),
            identity,
        }
    }

    fn send(&self, job: Job) -> Result<()> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        if jobs.is_none() {
            let (tx, rx) = mpsc::channel();
            let identity = self.identity.clone();
            let thread = std::thread::Builder::new()
                .name("sm-log".into())
                .spawn(move || run(&rx, &identity))
                .map_err(|e| Error::Other(format!("cannot start the log writer: {e}")))?;
            *jobs = Some(tx);
            *self.thread.lock().unwrap_or_else(|e| e.into_inner()) = Some(thread);
        }
        jobs.as_ref()
            .expect("started above")
            .send(job)
            .map_err(|_| Error::Other("the log writer stopped".into()))
    }

    /// Hands `events` to the writer: they are signed and appended to
    /// `target`'s log of `store` with the next batch (fsynced if
    /// `durable`).
    pub fn submit(
        &self,
        store: Arc<Store>,
        target: Arc<LogTarget>,
        events: Vec<Event>,
        durable: bool,
    ) -> Result<Pending> {
        let (done, pending) = oneshot::channel();
        self.send(Job::Append {
            store,
            target,
            events,
            durable,
            done,
        })?;
        Ok(Pending(pending))
    }

    /// Waits until everything handed over is written and its head
    /// remembered.
    pub fn flush(&self) {
        if self
            .jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
        {
            return;
        }
        let (tx, rx) = oneshot::channel();
        if self.send(Job::Flush(tx)).is_ok() {
            let _ = rx.blocking_recv();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the channel ends the thread once it has written
        // everything queued.
        drop(self.jobs.lock().unwrap_or_else(|e| e.into_inner()).take());
        if let Some(thread) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = thread.join();
        }
    }
}

/// The thread: the store and target of the batch written last, whose log
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

fn run(jobs: &mpsc::Receiver<Job>, identity: &Identity) {
    let mut state = State {
        appender: Appender::default(),
        last: None,
    };
    loop {
        let first = match state.appender.unremembered() {
            Some(wait) => match jobs.recv_timeout(wait) {
                Ok(job) => job,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    state.flush();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
            None => match jobs.recv() {
                Ok(job) => job,
                Err(_) => break,
            },
        };
        let mut batch = vec![first];
        let mut entries = 0;
        while entries < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => {
                    if let Job::Append { events, .. } = &job {
                        entries += events.len();
                    }
                    batch.push(job);
                }
                Err(_) => break,
            }
        }
        write_jobs(&mut state, identity, batch);
    }
    state.flush();
}

/// Writes the jobs taken together: consecutive appends to the same log in
/// one batch, each flush after what came before it.
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
        match job {
            Job::Append {
                store,
                target,
                events,
                durable,
                done,
            } => {
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
            Job::Flush(done) => {
                finish(state, &mut group, group_of.take());
                state.flush();
                let _ = done.send(());
            }
        }
    }
    finish(state, &mut group, group_of.take());
}
