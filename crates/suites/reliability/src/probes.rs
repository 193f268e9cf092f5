//! What the server under test lets a test *count*: calls in progress, messages
//! produced, and response streams the client abandoned before their end.
//!
//! Tests never guess from timings; they read these counters (and wait, with a
//! deadline, until they settle).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use lesson_kit::InFlight;

/// Counters shared between the server under test and the cases; clones share them.
#[derive(Clone, Debug, Default)]
pub struct Probes {
    /// Handlers (and the tasks they spawned) still running: unary calls, stream
    /// producers, bidi sessions. Back at its old value means nothing leaked.
    pub in_flight: InFlight,
    produced: Arc<AtomicU64>,
    abandoned: Arc<AtomicU64>,
    pulled: Arc<AtomicU64>,
    waiting: Arc<AtomicU64>,
    server_threads: Option<Arc<str>>,
}

impl Probes {
    /// Fresh counters at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fresh counters for a server whose runtime threads are named `threads`.
    pub fn on_threads(threads: &str) -> Self {
        Self {
            server_threads: Some(threads.into()),
            ..Self::default()
        }
    }

    /// The name of the server's runtime threads, if it has a runtime of its own:
    /// panics are counted on those threads only (see [`crate::panics`]).
    pub fn server_threads(&self) -> Option<&str> {
        self.server_threads.as_deref()
    }

    /// Counts one stream message handed to tonic (accepted by the send buffer).
    pub fn count_produced(&self) {
        self.produced.fetch_add(1, Ordering::SeqCst);
    }

    /// Stream messages produced so far, by every stream.
    pub fn produced(&self) -> u64 {
        self.produced.load(Ordering::SeqCst)
    }

    /// Counts one response stream dropped before its end: the client cancelled,
    /// reset the stream or vanished.
    pub fn count_abandoned(&self) {
        self.abandoned.fetch_add(1, Ordering::SeqCst);
    }

    /// Counts one stream message tonic took from a response stream (to encode
    /// and hand to hyper).
    pub fn count_pulled(&self) {
        self.pulled.fetch_add(1, Ordering::SeqCst);
    }

    /// Stream messages tonic has taken so far.
    pub fn pulled(&self) -> u64 {
        self.pulled.load(Ordering::SeqCst)
    }

    /// A producer found its stream's buffer full and waits for room; ends when
    /// the returned guard drops.
    pub fn waiting_for_room(&self) -> WaitingGuard {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        WaitingGuard(self.waiting.clone())
    }

    /// Producers waiting for room in a full buffer right now.
    pub fn waiting(&self) -> u64 {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Response streams abandoned so far.
    pub fn abandoned(&self) -> u64 {
        self.abandoned.load(Ordering::SeqCst)
    }
}

/// Held by a producer while it waits for room; see [`Probes::waiting_for_room`].
#[derive(Debug)]
pub struct WaitingGuard(Arc<AtomicU64>);

impl Drop for WaitingGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
