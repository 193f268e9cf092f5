//! `server --report-memory-at N`: what a waiting call costs, measured.
//!
//! The server's resident memory (RSS, from `/proc/self/status`) is read when the
//! first call is in progress (connection set up, one call waiting) and again when
//! N calls are in progress at once; the difference over N - 1 calls is what one
//! more waiting call costs: its HTTP/2 stream, tonic's buffers, the handler's
//! future and its task. Counted with the server's gauge, not timed.

use lesson_kit::InFlight;

/// Waits until `gauge` shows 1, then `calls`, calls in progress; prints the growth.
pub async fn report(gauge: InFlight, calls: usize) {
    gauge.wait_for(|g| g.current() >= 1).await;
    let Some(one) = resident_bytes() else {
        println!("Memory report: no /proc/self/status on this system");
        return;
    };
    gauge.wait_for(|g| g.current() >= calls).await;
    let many = resident_bytes().unwrap_or(one);
    let per_call = many.saturating_sub(one) / (calls as u64 - 1).max(1);
    println!(
        "Memory: RSS {} KiB with 1 call waiting, {} KiB with {calls} waiting: {per_call} bytes per waiting call",
        one / 1024,
        many / 1024,
    );
}

/// This process's resident set size in bytes (Linux).
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
