//! `cargo run -p async-unary [-- server|client] [flags]`; see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<async_unary::AsyncUnary>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
    )
}
