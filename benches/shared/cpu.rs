//! This thread's CPU time, for latency figures on a machine shared with
//! builds: wall time there measures the neighbours too.

use std::time::Duration;

/// This thread's time on a CPU (Linux `schedstat`, nanoseconds; zero
/// where that file does not exist).
pub fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .map_or(Duration::ZERO, Duration::from_nanos)
}
