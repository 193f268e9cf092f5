//! `server --report-memory-at N`: what a waiting call costs, measured.
//!
//! The server counts the heap bytes it has allocated and not yet freed (a counting
//! global allocator, [`CountingAllocator`], installed by `main.rs`). The count is
//! read when the first call is in progress (connection set up, one call waiting)
//! and again when N calls are in progress at once; the difference over N - 1 calls
//! is what one more waiting call costs on the heap: its HTTP/2 stream, tonic's
//! buffers, the handler's future and its task. Counted with the server's gauge,
//! not timed. (Resident memory would not do: it moves in whole pages, and the
//! allocator reuses memory freed earlier, so 50 calls can show no growth at all.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

use lesson_kit::InFlight;

/// The system allocator, counting live heap bytes once [`start_counting`] is called.
///
/// Until then each allocation costs one relaxed load more than `System`'s, so the
/// benchmarked server (which never starts counting) stays the listing's.
pub struct CountingAllocator;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed on to `System` unchanged; the counters only watch.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        // SAFETY: the caller upholds `alloc`'s contract, passed on as it is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Starts counting. Memory freed later that was allocated before counts as a
/// negative amount, so read differences between two [`live_bytes`] calls only.
pub fn start_counting() {
    COUNTING.store(true, Ordering::Relaxed);
}

/// Heap bytes allocated and not freed since [`start_counting`].
pub fn live_bytes() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Waits until `gauge` shows 1, then `calls`, calls in progress; prints the growth.
pub async fn report(gauge: InFlight, calls: usize) {
    start_counting();
    gauge.wait_for(|g| g.current() >= 1).await;
    let one = live_bytes();
    gauge.wait_for(|g| g.current() >= calls).await;
    let many = live_bytes();
    let per_call = (many - one).max(0) as usize / (calls - 1).max(1);
    println!(
        "Memory: heap grew {} bytes from 1 call waiting to {calls} waiting: {per_call} bytes per waiting call",
        many - one,
    );
}
