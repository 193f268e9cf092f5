//! `cargo run -p errors [-- server | client]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<errors::Errors>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
