//! Exercise 5, solved: 32 one-second calls on 6 workers take 6 seconds: 6 run,
//! 26 wait; 6 run, 20 wait; ... the last 2 run in the sixth. Queued, not refused.

/// Workers in the pool.
pub const MAX_WORKERS: usize = 6;
/// Calls made at once.
pub const CALLS: usize = 32;
/// Whole seconds until all 32 calls are answered: ceil(32 / 6).
pub const SECONDS: u64 = 6;
