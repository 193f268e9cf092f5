//! `cargo run -p async-bidi-streaming [-- server|client] [flags]`; see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<async_bidi_streaming::AsyncBidiStreaming>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
    )
}
