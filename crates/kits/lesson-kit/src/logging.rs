//! Diagnostics go to stderr through `tracing`, never mixed into the lesson's stdout.
//!
//! Quiet by default (`warn`), so what a lesson prints is exactly the tutorial's lines.
//! `RUST_LOG=info cargo run -p <lesson>` shows more; `RUST_LOG=h2=trace` shows every
//! HTTP/2 frame, which the flow-control lesson suggests.

use std::io::IsTerminal;

/// Installs the stderr subscriber once; later calls (from tests) do nothing.
///
/// Colours only when stderr is a terminal, so `2>&1 | grep` sees plain text.
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
