//! Compiles `proto/grpc/testing/*.proto` (grpc's interop contract) into Rust,
//! the same way `helloworld-proto` compiles the tutorial's protos.

use std::path::PathBuf;

const PROTO_ROOT: &str = "../../../proto";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // No system protoc needed, unless PROTOC points somewhere on purpose.
    if std::env::var_os("PROTOC").is_none() {
        // SAFETY: build scripts are single-threaded; nothing else reads the environment yet.
        unsafe { std::env::set_var("PROTOC", protoc_bin_vendored::protoc_bin_path()?) };
    }
    let file = PathBuf::from(PROTO_ROOT).join("grpc/testing/test.proto");
    tonic_prost_build::configure().compile_protos(&[file], &[PathBuf::from(PROTO_ROOT)])?;
    println!("cargo:rerun-if-changed={PROTO_ROOT}/grpc");
    Ok(())
}
