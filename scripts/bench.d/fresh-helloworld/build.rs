//! tonic's helloworld build script, with protoc from the protoc-bin-vendored crate.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // SAFETY: a build script is single-threaded; nothing else reads the environment.
    unsafe { std::env::set_var("PROTOC", protoc_bin_vendored::protoc_bin_path()?) };
    tonic_prost_build::compile_protos("proto/helloworld.proto")?;
    Ok(())
}
