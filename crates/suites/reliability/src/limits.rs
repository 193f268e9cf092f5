//! [`Limits`]: every bound the server under test enforces, named.
//!
//! A module of its own so both the server ([`crate::server`]) and the client
//! side ([`crate::target`]) can read it without importing each other: the
//! module graph is one-way (`limits`, `probes` <- `target` <- `server`).

use std::time::Duration;

/// Every bound the server enforces. The defaults are the ones the suite checks.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest message accepted or sent, in bytes (gRPC's usual 4 MiB).
    pub max_message_bytes: usize,
    /// HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS`: streams one connection may have
    /// open; a client's extra streams wait in its own queue.
    pub max_concurrent_streams: u32,
    /// Requests per connection being answered at once (tower's concurrency limit).
    pub concurrency_per_connection: usize,
    /// Longest a call may take to produce its response headers, whatever the
    /// client's deadline says.
    pub request_timeout: Duration,
    /// Messages buffered per stream between a producer and tonic.
    pub stream_buffer: usize,
    /// How often an idle connection is pinged, to find peers that vanished.
    pub keepalive_interval: Duration,
    /// How long a ping may go unanswered before the connection is closed.
    pub keepalive_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 4 * 1024 * 1024,
            max_concurrent_streams: 128,
            concurrency_per_connection: 256,
            request_timeout: Duration::from_secs(30),
            stream_buffer: 16,
            keepalive_interval: Duration::from_secs(30),
            keepalive_timeout: Duration::from_secs(10),
        }
    }
}
