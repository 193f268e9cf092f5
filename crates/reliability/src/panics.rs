//! Counting panics anywhere in the process, server tasks included.
//!
//! tokio catches a panic in a spawned task and tonic's server survives it, so
//! a handler that panics on bad input would look like "the server still
//! answers". It is still a bug: [`crate::cases::run`] fails a case during which
//! the count grew.

use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

static PANICS: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

/// Starts counting (once per process); the previous hook still prints.
pub fn count_from_now_on() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
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
        let _ = std::thread::spawn(|| panic!("on purpose")).join();
        assert!(super::count() > before);
    }
}
