//! Compiles the proto of exercise 1, the one exercise whose hole is in a `.proto` file.
//!
//! The learner edits `proto/ex01_proto_field.proto`; with the `solutions` feature the
//! reference `solutions/proto/ex01_proto_field.proto` is compiled instead (with
//! `fakes`, the wrong answer in `fakes/proto/`). All
//! versions compile, so the unsolved crate still builds and the exercise's test can
//! say *what* is missing (it reads the schema the server serves) instead of failing
//! to compile.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var_os("PROTOC").is_none() {
        // SAFETY: build scripts are single-threaded; nothing else reads the environment yet.
        unsafe { std::env::set_var("PROTOC", protoc_bin_vendored::protoc_bin_path()?) };
    }
    let root = if std::env::var_os("CARGO_FEATURE_SOLUTIONS").is_some() {
        "solutions/proto"
    } else if std::env::var_os("CARGO_FEATURE_FAKES").is_some() {
        "fakes/proto"
    } else {
        "proto"
    };
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    tonic_prost_build::configure()
        .file_descriptor_set_path(out_dir.join("ex01_descriptor.bin"))
        .compile_protos(
            &[format!("{root}/ex01_proto_field.proto")],
            &[root.to_owned()],
        )?;
    println!("cargo:rerun-if-changed=proto");
    println!("cargo:rerun-if-changed=solutions/proto");
    println!("cargo:rerun-if-changed=fakes/proto");
    Ok(())
}
