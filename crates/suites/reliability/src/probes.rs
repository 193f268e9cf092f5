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
}

impl Probes {
    /// Fresh counters at zero.
    pub fn new() -> Self {
        Self::default()
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

    /// Response streams abandoned so far.
    pub fn abandoned(&self) -> u64 {
        self.abandoned.load(Ordering::SeqCst)
    }
}
