//! Exercise 5 (predict): how long do 32 calls take on 6 workers? (chapter 2,
//! sync unary)
//!
//! A sync server like the tutorial's, but with `max_workers=6`. Each call's
//! handler blocks for one second. 32 clients call at the same moment. Work out,
//! from what the page says about a pool that is full, how many seconds pass until
//! the last one has its answer, and write it below. The test runs exactly this on
//! a pool of [`MAX_WORKERS`] and counts the one-second rounds (it ends each round
//! itself, so a busy machine cannot stretch a second).

// ANCHOR: predict
/// Workers in the pool.
pub const MAX_WORKERS: usize = 6;
/// Calls made at once.
pub const CALLS: usize = 32;
/// Your prediction: whole seconds until all 32 calls are answered.
pub const SECONDS: u64 = 0;
// ANCHOR_END: predict
