//! The mark writer: the one thread that writes read/star marks.
//!
//! A refresh writes the archive from another connection, and SQLite lets
//! one writer at a time; a mark made meanwhile used to fail with "busy"
//! while the screen showed it made, and a restart showed it gone. Here a
//! mark is queued (in order; a later mark of the same article and flag
//! replaces an earlier one still queued) and retried until it lands. On
//! quit the queue is flushed for a bounded time ([`FLUSH_WAIT`]); what is
//! still unwritten then is returned, for the reader to say so on stderr.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::msg::{Flag, Mark, Msg};
use crate::store::{Store, StoreError};

/// How long one write waits for the archive's lock before the writer says
/// the mark is waiting (and tries again).
pub const ATTEMPT_WAIT: Duration = Duration::from_millis(500);
/// Pause after a failure that did not wait (a read-only file, say).
const RETRY_PAUSE: Duration = Duration::from_millis(250);
/// On quit, how long pending marks may take to land.
pub const FLUSH_WAIT: Duration = Duration::from_secs(10);

/// Marks not yet written, oldest first, one per (article, flag).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Queue {
    marks: Vec<Mark>,
}

impl Queue {
    pub fn push(&mut self, mark: Mark) {
        match self.marks.iter_mut().find(|m| m.same_target(&mark)) {
            Some(m) => m.value = mark.value,
            None => self.marks.push(mark),
        }
    }

    pub fn len(&self) -> usize {
        self.marks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// Writes the queued marks in order until one fails; reports each
    /// outcome on `out`. Returns false when a write must be retried.
    pub fn write(&mut self, store: &mut Store, out: &Sender<Msg>) -> bool {
        let mut wrote = false;
        while let Some(&mark) = self.marks.first() {
            match write_mark(store, mark) {
                Ok(()) => {
                    self.marks.remove(0);
                    wrote = true;
                    let _ = out.send(Msg::MarkWritten(mark));
                }
                Err(StoreError::NoSuchArticle(id)) => {
                    self.marks.remove(0);
                    let _ = out.send(Msg::MarkDropped { mark, error: StoreError::NoSuchArticle(id).to_string() });
                }
                Err(e) => {
                    let _ = out.send(Msg::MarkFailed { mark, error: e.to_string() });
                    return false;
                }
            }
        }
        if wrote && let Ok(c) = store.counts() {
            let _ = out.send(Msg::Counts(c));
        }
        true
    }
}

/// Writes one mark.
pub fn write_mark(store: &mut Store, mark: Mark) -> Result<(), StoreError> {
    match mark.flag {
        Flag::Read => store.set_read(mark.id, mark.value),
        Flag::Starred => store.set_starred(mark.id, mark.value),
    }
}

/// Starts the writer on its own connection to `path`. It ends when `jobs`
/// closes, after flushing for at most [`FLUSH_WAIT`]; the handle yields the
/// marks it could not write.
pub fn spawn(path: PathBuf, jobs: Receiver<Mark>, out: Sender<Msg>) -> std::io::Result<JoinHandle<Vec<Mark>>> {
    std::thread::Builder::new().name("marks".into()).spawn(move || run(&path, &jobs, &out))
}

fn run(path: &std::path::Path, jobs: &Receiver<Mark>, out: &Sender<Msg>) -> Vec<Mark> {
    let mut queue = Queue::default();
    let mut store = None;
    loop {
        // Wait for work; while marks are queued, only as long as a pause.
        let next = if queue.is_empty() {
            jobs.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            jobs.recv_timeout(RETRY_PAUSE)
        };
        match next {
            Ok(m) => queue.push(m),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        queue_rest(&mut queue, jobs);
        attempt(path, &mut store, &mut queue, out);
    }
    // Quit: keep trying for a bounded time.
    let deadline = Instant::now() + FLUSH_WAIT;
    while !queue.is_empty() && Instant::now() < deadline {
        if !attempt(path, &mut store, &mut queue, out) {
            std::thread::sleep(RETRY_PAUSE);
        }
    }
    queue.marks
}

/// Takes every mark already sent, without waiting.
fn queue_rest(queue: &mut Queue, jobs: &Receiver<Mark>) {
    while let Ok(m) = jobs.try_recv() {
        queue.push(m);
    }
}

/// One round of writes, opening the archive first if need be (opening can
/// be busy too). Returns whether the queue emptied.
fn attempt(path: &std::path::Path, store: &mut Option<Store>, queue: &mut Queue, out: &Sender<Msg>) -> bool {
    if store.is_none() {
        match Store::open(path) {
            Ok(s) => {
                let _ = s.set_busy_timeout(ATTEMPT_WAIT);
                *store = Some(s);
            }
            Err(e) => {
                if let Some(&mark) = queue.marks().first() {
                    let _ = out.send(Msg::MarkFailed { mark, error: e.to_string() });
                }
                return false;
            }
        }
    }
    let Some(s) = store.as_mut() else { return false };
    queue.write(s, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn mark(id: i64, flag: Flag, value: bool) -> Mark {
        Mark { id, flag, value }
    }

    #[test]
    fn a_later_mark_of_the_same_target_replaces_the_earlier() {
        let mut q = Queue::default();
        q.push(mark(1, Flag::Starred, true));
        q.push(mark(2, Flag::Read, true));
        q.push(mark(1, Flag::Starred, false));
        q.push(mark(1, Flag::Read, true));
        let want = [mark(1, Flag::Starred, false), mark(2, Flag::Read, true), mark(1, Flag::Read, true)];
        assert_eq!(q.marks(), &want);
    }

    #[test]
    fn a_busy_write_stays_queued_and_lands_once_the_lock_goes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut store = Store::open(&path).unwrap();
        crate::bundled::import(&mut store).unwrap();
        store.set_busy_timeout(Duration::from_millis(50)).unwrap();
        let id = store.list(&crate::store::ListQuery { limit: 1, ..Default::default() }).unwrap()[0].id;
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let (tx, rx) = mpsc::channel();
        let mut q = Queue::default();
        q.push(mark(id, Flag::Starred, true));
        assert!(!q.write(&mut store, &tx), "the archive is locked");
        assert!(matches!(rx.try_recv(), Ok(Msg::MarkFailed { .. })));
        assert_eq!(q.len(), 1, "the mark stays queued");
        other.execute_batch("COMMIT").unwrap();
        assert!(q.write(&mut store, &tx));
        assert_eq!(rx.try_recv().unwrap(), Msg::MarkWritten(mark(id, Flag::Starred, true)));
        assert!(store.article(id).unwrap().summary.starred);
    }
}
