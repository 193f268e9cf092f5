//! `cargo run -p async-server-streaming [-- server|client] [flags]`; see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<async_server_streaming::AsyncServerStreaming>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
    )
}
