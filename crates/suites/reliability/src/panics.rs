//! Counting panics anywhere in the process, server tasks included.
//!
//! tokio catches a panic in a spawned task and tonic's server survives it, so
//! a handler that panics on bad input would look like "the server still
//! answers". It is still a bug: [`crate::cases::run`] fails a case during which
//! the count grew.
//!
//! Only panics on tokio's worker threads count: that is where the server (and
//! every task) runs. A failing test's assertion panics on the test's own thread
//! and must not fail the other tests running in the same process.

use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

static PANICS: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

/// The name tokio gives the threads of a multi-threaded runtime.
const WORKER_THREAD: &str = "tokio-runtime-worker";

/// Starts counting (once per process); the previous hook still prints.
pub fn count_from_now_on() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some(WORKER_THREAD) {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

/// Panics seen since counting started.
pub fn count() -> usize {
    PANICS.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_caught_panic_is_counted() {
        super::count_from_now_on();
        let before = super::count();
        let worker = std::thread::Builder::new().name(super::WORKER_THREAD.into());
        let _ = worker.spawn(|| panic!("on purpose")).unwrap().join();
        let _ = std::thread::spawn(|| panic!("on purpose, not counted")).join();
        assert_eq!(super::count(), before + 1);
    }
}
