//! `cargo run -p service-testing [-- server | client]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<service_testing::ServiceTesting>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
    )
}
