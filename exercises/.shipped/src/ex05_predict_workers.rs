//! Exercise 5 (predict): how long do 25 calls take on 10 workers? (chapter 2,
//! sync unary)
//!
//! The tutorial's sync server has `max_workers=10`. Each call's handler blocks
//! for one second. 25 clients call at the same moment. Work out, from the page,
//! how many seconds pass until the last one has its answer, and write it below.
//! The test runs exactly this on a pool of [`MAX_WORKERS`] threads, one second
//! scaled down to 300 ms, and compares.

// ANCHOR: predict
/// Workers in the pool.
pub const MAX_WORKERS: usize = 10;
/// Calls made at once.
pub const CALLS: usize = 25;
/// Your prediction: whole seconds until all 25 calls are answered.
pub const SECONDS: u64 = 0;
// ANCHOR_END: predict
