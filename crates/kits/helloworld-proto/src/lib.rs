//! The tutorial's wire contract, as Rust types.
//!
//! Each proto package becomes a module whose path follows the package name:
//! `tutorial.helloworld.v1` is generated into `OUT_DIR/tutorial.helloworld.v1.rs`
//! and re-exported here as [`v1`]. Every module holds the message structs
//! (`SayHelloRequest`, `SayHelloResponse`), a client
//! (`greeter_service_client::GreeterServiceClient`) and a server trait plus wrapper
//! (`greeter_service_server::{GreeterService, GreeterServiceServer}`).
//!
//! | module | package | rpc shape |
//! |---|---|---|
//! | [`v1`] | `tutorial.helloworld.v1` | unary |
//! | [`v2`] | `tutorial.helloworld.v2` | server streaming |
//! | [`v3`] | `tutorial.helloworld.v3` | bidirectional streaming |
//! | [`v4`] | `tutorial.helloworld.v4` | client streaming (the workshop's addition) |

/// Unary `SayHello`: the tutorial's first example.
pub mod v1 {
    tonic::include_proto!("tutorial.helloworld.v1");
}

/// Server-streaming `SayHello`: one request, a stream of greetings.
pub mod v2 {
    tonic::include_proto!("tutorial.helloworld.v2");
}

/// Bidirectional-streaming `SayHello`: the flow-control experiment.
pub mod v3 {
    tonic::include_proto!("tutorial.helloworld.v3");
}

/// Client-streaming `SayHello`: many names in, one summary out.
pub mod v4 {
    tonic::include_proto!("tutorial.helloworld.v4");
}

/// The encoded `google.protobuf.FileDescriptorSet` of all four packages.
///
/// Server reflection serves it so tools like `grpcurl` need no `.proto` files, and
/// the proto-compilation lesson decodes it to list services and methods.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("helloworld_descriptor");

/// The fully-qualified service names, as they appear in gRPC paths
/// (`/tutorial.helloworld.v1.GreeterService/SayHello`).
pub const SERVICE_NAMES: [&str; 4] = [
    "tutorial.helloworld.v1.GreeterService",
    "tutorial.helloworld.v2.GreeterService",
    "tutorial.helloworld.v3.GreeterService",
    "tutorial.helloworld.v4.GreeterService",
];

/// Where Cargo put the generated code when this crate was built: the Rust
/// counterpart of the tutorial's `--python_out=.` folder.
pub const OUT_DIR: &str = env!("OUT_DIR");

/// The generated Rust source of each package, by file name, so a reader can see it
/// without hunting through `target/` (the proto-compilation lesson writes them out).
pub const GENERATED_SOURCES: [(&str, &str); 4] = [
    (
        "tutorial.helloworld.v1.rs",
        include_str!(concat!(env!("OUT_DIR"), "/tutorial.helloworld.v1.rs")),
    ),
    (
        "tutorial.helloworld.v2.rs",
        include_str!(concat!(env!("OUT_DIR"), "/tutorial.helloworld.v2.rs")),
    ),
    (
        "tutorial.helloworld.v3.rs",
        include_str!(concat!(env!("OUT_DIR"), "/tutorial.helloworld.v3.rs")),
    ),
    (
        "tutorial.helloworld.v4.rs",
        include_str!(concat!(env!("OUT_DIR"), "/tutorial.helloworld.v4.rs")),
    ),
];
