//! `cargo run -p authorization [-- server | client]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<authorization::Authorization>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
    )
}
