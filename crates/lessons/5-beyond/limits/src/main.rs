//! `cargo run -p limits [-- server | client]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<limits::Limits>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
