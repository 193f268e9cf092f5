//! Counting panics in the server under test, server tasks included.
//!
//! tokio catches a panic in a spawned task and tonic's server survives it, so
//! a handler that panics on bad input would look like "the server still
//! answers". It is still a bug: [`crate::cases::run`] fails a case during which
//! the count grew.
//!
//! Panics are counted per *thread name*. Each [`TestServer`](crate::TestServer)
//! runs on a runtime of its own whose threads carry a unique name
//! ([`Probes::server_threads`](crate::probes::Probes::server_threads)), so tests
//! running in parallel in one process each count only their own server's panics,
//! and a failing test's assertion (on the test's own thread) blames nobody.
//! A target with no such name (an in-process server on the caller's runtime)
//! counts panics on any tokio worker thread, as before.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

static BY_THREAD: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);
static ON_WORKERS: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

/// The name tokio gives the threads of a multi-threaded runtime by default.
pub const WORKER_THREAD: &str = "tokio-runtime-worker";

/// Starts counting (once per process); the previous hook still prints.
pub fn count_from_now_on() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(name) = std::thread::current().name() {
                if name == WORKER_THREAD {
                    ON_WORKERS.fetch_add(1, Ordering::SeqCst);
                }
                if let Ok(mut map) = BY_THREAD.lock() {
                    *map.get_or_insert_with(HashMap::new)
                        .entry(name.to_owned())
                        .or_default() += 1;
                }
            }
            previous(info);
        }));
    });
}

/// Panics seen since counting started on threads named `threads`, or on any
/// default-named tokio worker when `None`.
pub fn count(threads: Option<&str>) -> usize {
    match threads {
        None => ON_WORKERS.load(Ordering::SeqCst),
        Some(name) => BY_THREAD
            .lock()
            .ok()
            .and_then(|map| map.as_ref().and_then(|m| m.get(name).copied()))
            .unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_counts_only_for_its_own_threads() {
        super::count_from_now_on();
        let (mine, other) = (
            super::count(Some("server-a")),
            super::count(Some("server-b")),
        );
        let on = |name: &str| std::thread::Builder::new().name(name.into());
        let _ = on("server-a")
            .spawn(|| panic!("on purpose"))
            .unwrap()
            .join();
        let _ = std::thread::spawn(|| panic!("on purpose, not counted")).join();
        assert_eq!(super::count(Some("server-a")), mine + 1);
        assert_eq!(super::count(Some("server-b")), other);
    }

    #[test]
    fn a_worker_panic_counts_when_no_name_is_given() {
        super::count_from_now_on();
        let before = super::count(None);
        let worker = std::thread::Builder::new().name(super::WORKER_THREAD.into());
        let _ = worker.spawn(|| panic!("on purpose")).unwrap().join();
        assert!(super::count(None) > before);
    }
}
