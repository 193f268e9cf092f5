//! `cargo run -p retries [-- server | client]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<retries::Retries>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
