// ANCHOR: protos
//! Compiles `proto/tutorial/helloworld/v*/helloworld.proto` into Rust.
//!
//! This is the Rust counterpart of the tutorial's
//! `python3 -m grpc_tools.protoc --proto_path=. --python_out=. --grpc_python_out=. ...`:
//! `protoc` parses the files, prost writes the message structs (`--python_out`),
//! tonic writes the client and server code (`--grpc_python_out`). The output lands in
//! Cargo's `OUT_DIR`, one file per package, and `src/lib.rs` includes it.

use std::path::PathBuf;

/// The import root: the tutorial's `--proto_path=.` run from inside `proto/`.
const PROTO_ROOT: &str = "../../../proto";

/// One file per package; the package name decides the generated module's name.
const PROTOS: &[&str] = &[
    "tutorial/helloworld/v1/helloworld.proto",
    "tutorial/helloworld/v2/helloworld.proto",
    "tutorial/helloworld/v3/helloworld.proto",
    "tutorial/helloworld/v4/helloworld.proto",
];
// ANCHOR_END: protos

// ANCHOR: protoc
fn main() -> Result<(), Box<dyn std::error::Error>> {
    // No system protoc needed: use the one shipped inside the `protoc-bin-vendored`
    // crate, unless the reader has pointed PROTOC somewhere on purpose.
    if std::env::var_os("PROTOC").is_none() {
        // SAFETY: build scripts are single-threaded; nothing else reads the environment yet.
        unsafe { std::env::set_var("PROTOC", protoc_bin_vendored::protoc_bin_path()?) };
    }
    // ANCHOR_END: protoc

    // ANCHOR: compile
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let files: Vec<PathBuf> = PROTOS
        .iter()
        .map(|p| PathBuf::from(PROTO_ROOT).join(p))
        .collect();
    tonic_prost_build::configure()
        // Also keep the parsed schema (a FileDescriptorSet) for reflection and for
        // the proto-compilation lesson, which prints services from it.
        .file_descriptor_set_path(out_dir.join("helloworld_descriptor.bin"))
        .compile_protos(&files, &[PathBuf::from(PROTO_ROOT)])?;

    // Re-run when any proto changes (tonic-prost-build also emits these per file;
    // the directory covers files added later).
    println!("cargo:rerun-if-changed={PROTO_ROOT}");
    Ok(())
}
// ANCHOR_END: compile
