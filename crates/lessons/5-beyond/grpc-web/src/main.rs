//! `cargo run -p grpc-web [-- server | client]`: see the crate docs.

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<grpc_web::GrpcWeb>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
