//! `cargo run -p deadlines [-- server | client]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<deadlines::Deadlines>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
