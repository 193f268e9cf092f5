//! A reader's `main` for the proto page's code: print the report of what the
//! build generated, as `cargo run -p proto-compilation` does.

mod lib;

fn main() -> anyhow::Result<()> {
    println!("The build compiled proto/ with protoc (vendored) + prost + tonic, the Rust");
    println!("counterpart of: python3 -m grpc_tools.protoc --proto_path=. --python_out=. \\");
    println!(
        "                  --pyi_out=. --grpc_python_out=. ./tutorial/helloworld/v1/helloworld.proto"
    );
    println!(
        "Generated code lives in $OUT_DIR = {}\n",
        helloworld_proto::OUT_DIR
    );
    let schema = lib::compiled_schema()?;
    print!("{}", lib::describe(&schema));
    Ok(())
}
