//! Exercise 5, solved: 25 one-second calls on 10 workers take 3 seconds: 10 run,
//! 15 wait; 10 run, 5 wait; the last 5 run. Queued, not refused.

/// Workers in the pool.
pub const MAX_WORKERS: usize = 10;
/// Calls made at once.
pub const CALLS: usize = 25;
/// Whole seconds until all 25 calls are answered: ceil(25 / 10).
pub const SECONDS: u64 = 3;
