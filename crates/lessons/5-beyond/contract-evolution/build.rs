//! Compiles each version of the contract kept in `proto/<version>/` on its own.
//!
//! Most versions declare the same package, `tutorial.helloworld.v1`, as the server
//! that replaced v1 would: the same method paths on the wire, other messages behind
//! them. One package gives one generated file name, so each version gets its own
//! output folder, `OUT_DIR/<version>/`, and `src/contracts.rs` includes each one
//! into a module of its own.

use std::path::PathBuf;

/// `(folder under proto/, the one .proto file in it)`.
const VERSIONS: &[(&str, &str)] = &[
    ("v1.1", "tutorial/helloworld/v1/helloworld.proto"),
    ("v1.2", "tutorial/helloworld/v1/helloworld.proto"),
    ("renumbered", "tutorial/helloworld/v1/helloworld.proto"),
    ("retyped", "tutorial/helloworld/v1/helloworld.proto"),
    ("streaming", "tutorial/helloworld/v1/helloworld.proto"),
    ("renamed", "tutorial/greeter/v1/greeter.proto"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The protoc inside `protoc-bin-vendored`, as in helloworld-proto: no system protoc.
    if std::env::var_os("PROTOC").is_none() {
        // SAFETY: build scripts are single-threaded; nothing else reads the environment yet.
        unsafe { std::env::set_var("PROTOC", protoc_bin_vendored::protoc_bin_path()?) };
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    for (version, file) in VERSIONS {
        let root = PathBuf::from("proto").join(version);
        let out = out_dir.join(version);
        std::fs::create_dir_all(&out)?;
        tonic_prost_build::configure()
            .out_dir(&out)
            .compile_protos(&[root.join(file)], &[root])?;
    }
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}
