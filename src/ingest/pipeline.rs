//! The import pipeline: inputs are read, parsed and given their index
//! terms on worker threads while the calling thread, the archive's only
//! writer, just inserts them.
//!
//! Why: parsing (feed-rs, html5ever, Russian lemmas) is most of an
//! import's CPU and needs no archive, so it runs beside the writer. Results
//! reach the writer in input order, so ids (and so the list order of
//! articles with equal dates) and which duplicate wins are the same as in a
//! one-thread import. At most [`WINDOW_PER_WORKER`] inputs per worker are in
//! flight, which bounds memory whatever the input size.
//!
//! `fetch` has its own worker loop (its inputs arrive from the network in
//! any order) and bounds its work with [`Budget`]s instead: parses at once,
//! and bytes of parsed feeds waiting for the writer.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// Inputs a worker may run ahead of the writer.
const WINDOW_PER_WORKER: usize = 4;

/// Worker threads: one per core, at most `inputs`, at least one. The writer
/// is one more thread, so on two cores both are busy parsing whenever the
/// writer waits on the disk.
pub(crate) fn workers(inputs: usize) -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, inputs.max(1))
}

/// Runs `job(0..n)` on `workers` threads and feeds the results to `sink` in
/// index order on the calling thread. The first error from `sink` stops the
/// workers (those mid-job finish it) and is returned.
pub(crate) fn ordered_map<T: Send, E>(
    n: usize,
    workers: usize,
    job: impl Fn(usize) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let window = workers.max(1) * WINDOW_PER_WORKER;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results the writer has taken; workers wait on it.
    let taken = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            let tx = tx.clone();
            let (next, stop, taken, job) = (&next, &stop, &taken, &job);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n || !wait_for_room(taken, stop, i, window) {
                        break;
                    }
                    if tx.send((i, job(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut want = 0;
        let mut result = Ok(());
        'recv: for (i, t) in rx {
            pending.insert(i, t);
            while let Some(t) = pending.remove(&want) {
                want += 1;
                if let Err(e) = sink(t) {
                    result = Err(e);
                    break 'recv;
                }
                *taken.0.lock().unwrap_or_else(|p| p.into_inner()) = want;
                taken.1.notify_all();
            }
        }
        // Release the workers still waiting (only after an error). Set
        // under the lock, so none can miss the wake-up.
        {
            let _t = taken.0.lock().unwrap_or_else(|p| p.into_inner());
            stop.store(true, Ordering::Relaxed);
        }
        taken.1.notify_all();
        result
    })
}

/// Blocks until input `i` is within `window` of what the writer has taken;
/// false when the run is stopping.
fn wait_for_room(taken: &(Mutex<usize>, Condvar), stop: &AtomicBool, i: usize, window: usize) -> bool {
    let mut t = taken.0.lock().unwrap_or_else(|p| p.into_inner());
    while i >= *t + window {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        t = taken.1.wait(t).unwrap_or_else(|p| p.into_inner());
    }
    !stop.load(Ordering::Relaxed)
}

/// A counting limit shared by threads: `take(n)` waits until `n` more fit
/// under the cap, `give(n)` returns them. A take that could never fit (more
/// than the cap) goes through when nothing else is taken, so one oversized
/// job still runs, alone.
pub(crate) struct Budget {
    cap: usize,
    used: Mutex<usize>,
    freed: Condvar,
}

impl Budget {
    pub(crate) fn new(cap: usize) -> Budget {
        Budget { cap: cap.max(1), used: Mutex::new(0), freed: Condvar::new() }
    }

    pub(crate) fn take(&self, n: usize) {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        while *used > 0 && used.saturating_add(n) > self.cap {
            used = self.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used = used.saturating_add(n);
    }

    pub(crate) fn give(&self, n: usize) {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        *used = used.saturating_sub(n);
        drop(used);
        self.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_never_lets_more_than_its_cap_through_but_lets_an_oversized_take_run_alone() {
        let budget = Budget::new(10);
        let inside = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for t in 0..6 {
                let (budget, inside, peak) = (&budget, &inside, &peak);
                s.spawn(move || {
                    for i in 0..50 {
                        let n = if t == 0 && i == 7 { 25 } else { 1 + (t + i) % 4 };
                        budget.take(n);
                        let now = inside.fetch_add(n, Ordering::SeqCst) + n;
                        peak.fetch_max(now, Ordering::SeqCst);
                        assert!(now <= 10 || now == n, "{now} taken with {n} of it oversized");
                        std::thread::yield_now();
                        inside.fetch_sub(n, Ordering::SeqCst);
                        budget.give(n);
                    }
                });
            }
        });
        assert_eq!(peak.load(Ordering::SeqCst), 25, "the oversized take ran");
        assert_eq!(*budget.used.lock().unwrap(), 0);
    }

    #[test]
    fn results_arrive_in_input_order_whatever_the_workers_take() {
        let mut got = Vec::new();
        // Early inputs are the slowest, so later ones finish first.
        let job = |i: usize| {
            std::thread::sleep(std::time::Duration::from_micros(((50 - i.min(50)) * 40) as u64));
            i * 10
        };
        ordered_map(200, 3, job, |v| {
            got.push(v);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(got, (0..200).map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn a_sink_error_stops_the_run_and_is_returned() {
        let started = AtomicUsize::new(0);
        let mut seen = 0;
        let r = ordered_map(
            10_000,
            2,
            |i| {
                started.fetch_add(1, Ordering::Relaxed);
                i
            },
            |i| {
                seen += 1;
                if i == 5 { Err(format!("stop at {i}")) } else { Ok(()) }
            },
        );
        assert_eq!(r, Err("stop at 5".to_string()));
        assert_eq!(seen, 6);
        // The window keeps workers from running far ahead.
        assert!(started.load(Ordering::Relaxed) < 6 + 2 * WINDOW_PER_WORKER + 2);
    }

    #[test]
    fn no_inputs_and_one_worker_are_fine() {
        let r: Result<(), ()> = ordered_map(0, 4, |i| i, |_| Ok(()));
        assert_eq!(r, Ok(()));
        let mut got = Vec::new();
        ordered_map(
            5,
            1,
            |i| i,
            |i| {
                got.push(i);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(got, vec![0, 1, 2, 3, 4]);
    }
}
