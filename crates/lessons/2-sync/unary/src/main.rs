//! `cargo run -p sync-unary [-- server | client] [flags]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<sync_unary::SyncUnary>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
