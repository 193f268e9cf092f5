fn main() -> Result<(), Box<dyn std::error::Error>> {
    // protoc, the protobuf compiler, comes as a crate: nothing to install.
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    // SAFETY: a build script is single-threaded; nothing else reads the environment.
    unsafe { std::env::set_var("PROTOC", protoc) };

    // Writes the messages (prost) and the client and server (tonic) into OUT_DIR.
    tonic_prost_build::compile_protos("proto/helloworld.proto")?;
    Ok(())
}
