//! `cargo run -p sync-bidi-streaming [-- server | client] [flags]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<sync_bidi_streaming::SyncBidiStreaming>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
    )
}
