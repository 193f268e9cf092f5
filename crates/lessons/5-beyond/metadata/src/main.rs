//! `cargo run -p metadata [-- server | client]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<metadata::Metadata>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
