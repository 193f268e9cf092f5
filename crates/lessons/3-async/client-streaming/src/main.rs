//! `cargo run -p async-client-streaming [-- server|client] [flags]`; see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<async_client_streaming::AsyncClientStreaming>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
    )
}
