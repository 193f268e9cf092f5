//! The messages a learner meets, produced for real.
//!
//! Every entry of the book's troubleshooting page (`docs/src/troubleshooting.md`, and
//! its Chinese twin) quotes a message. Each function here makes the mistake behind
//! one of them — a runtime inside a runtime, a client dialling a closed port, a
//! certificate nobody trusts — and returns what tokio, tonic, rustls or Python
//! actually said. The tests check that both pages show that text verbatim, so the
//! page cannot drift from what the programs print; `cargo run -p troubleshooting`
//! shows them all.
//!
//! Variable parts (ports, byte counts of a random-size key) are normalised to the
//! values the page uses: port 50051.

pub mod scenarios;
pub mod tls;

/// One message, and the mistake that produced it.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The page's heading for it (the same in both editions: the message's key words).
    pub key: &'static str,
    /// The line the learner sees, normalised (port 50051).
    pub message: String,
}

/// Replaces `port` with the tutorial's 50051 wherever it appears as `:port`.
pub fn normalise_port(text: &str, port: u16) -> String {
    text.replace(&format!(":{port}"), ":50051")
}
