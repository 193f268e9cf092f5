//! `cargo run -p proto-compilation [-- --write-generated DIR]`
//!
//! Chapter 1 of the tutorial compiles `.proto` files by hand. Here the build already
//! did it (see `crates/kits/helloworld-proto/build.rs`); this program shows the result.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Shows what the build generated from `proto/`, package by package.
#[derive(Debug, Parser)]
#[command(name = "proto-compilation", version)]
struct Cli {
    /// Accepted for the lesson CLI contract; this lesson has no server or client.
    #[command(subcommand)]
    mode: Option<Mode>,
    /// Also copy the generated `.rs` files into this folder, to open in an editor.
    #[arg(long, value_name = "DIR", global = true)]
    write_generated: Option<PathBuf>,
}

/// The only mode: chapter 1 compiles, it does not serve or call.
#[derive(Debug, Subcommand)]
enum Mode {
    /// Print the report (the default).
    Demo,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();

    println!("The build compiled proto/ with protoc (vendored) + prost + tonic, the Rust");
    println!("counterpart of: python3 -m grpc_tools.protoc --proto_path=. --python_out=. \\");
    println!(
        "                  --pyi_out=. --grpc_python_out=. ./tutorial/helloworld/v1/helloworld.proto"
    );
    println!(
        "Generated code lives in $OUT_DIR = {}\n",
        helloworld_proto::OUT_DIR
    );

    let schema = proto_compilation::compiled_schema()?;
    print!("{}", proto_compilation::describe(&schema));

    if let Some(dir) = cli.write_generated {
        for path in proto_compilation::write_generated(&dir)? {
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}
