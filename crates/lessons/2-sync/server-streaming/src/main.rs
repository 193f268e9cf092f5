//! `cargo run -p sync-server-streaming [-- server | client] [flags]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<sync_server_streaming::SyncServerStreaming>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
    )
}
