//! `cargo run -p observability [-- server | client]`: see the crate docs.

use observability::{ClientFlags, ServerFlags};

fn main() -> anyhow::Result<()> {
    let mode = lesson_kit::cli::parse::<ServerFlags, ClientFlags>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
    );
    observability::main(mode)
}
