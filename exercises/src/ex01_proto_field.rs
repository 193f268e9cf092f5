//! Exercise 1: add a field to a message (chapter 1, proto compilation).
//!
//! The hole is not in this file: edit `exercises/proto/ex01_proto_field.proto`.
//! `build.rs` recompiles it on the next build, exactly as `helloworld-proto` does
//! for the tutorial's protos. The test then asks a running server, through server
//! reflection, what `SayHelloRequest` looks like now.

/// The Rust code generated from `proto/ex01_proto_field.proto`.
pub mod pb {
    tonic::include_proto!("workshop.ex01");
}

/// The compiled schema, as reflection serves it to `grpcurl` and to the test.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("ex01_descriptor");
