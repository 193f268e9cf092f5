// ANCHOR: part1
//! Chapter 1, proto compilation: what `build.rs` made of the tutorial's `.proto` files.
//!
//! The tutorial runs `grpc_tools.protoc` by hand and gets `helloworld_pb2.py`
//! (messages), `helloworld_pb2_grpc.py` (stub and servicer) and `helloworld_pb2.pyi`
//! (types). In Rust, `crates/kits/helloworld-proto/build.rs` runs the same compiler on
//! every build and writes one `.rs` file per package. This lesson reads the
//! compiled schema back (the `FileDescriptorSet` the build kept) and shows, for
//! every package, where its code lives and what it contains.

use std::fmt::Write as _;
use std::path::Path;

use prost::Message;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, FieldDescriptorProto, FileDescriptorSet, MethodDescriptorProto,
};
// ANCHOR_END: part1

// ANCHOR: kind
/// The four RPC shapes, decided by two flags on each method in the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamingKind {
    /// One request, one response (`v1`).
    Unary,
    /// One request, a stream of responses (`v2`).
    ServerStreaming,
    /// A stream of requests, one response (`v4`).
    ClientStreaming,
    /// Streams both ways (`v3`).
    Bidi,
}

impl StreamingKind {
    /// Reads the shape off a method descriptor.
    pub fn of(method: &MethodDescriptorProto) -> Self {
        match (method.client_streaming(), method.server_streaming()) {
            (false, false) => Self::Unary,
            (false, true) => Self::ServerStreaming,
            (true, false) => Self::ClientStreaming,
            (true, true) => Self::Bidi,
        }
    }
}
// ANCHOR_END: kind

// ANCHOR: part2
impl std::fmt::Display for StreamingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Unary => "unary",
            Self::ServerStreaming => "server-streaming",
            Self::ClientStreaming => "client-streaming",
            Self::Bidi => "bidi",
        })
    }
}

/// Decodes the descriptor set that `helloworld-proto`'s build kept.
pub fn compiled_schema() -> Result<FileDescriptorSet, prost::DecodeError> {
    FileDescriptorSet::decode(helloworld_proto::FILE_DESCRIPTOR_SET)
}

// ANCHOR: module_path
/// The Rust module a package's code is reachable at in this workshop.
///
/// prost names the generated file after the package (`tutorial.helloworld.v1.rs`)
/// and `helloworld-proto` includes each one as a module named after the package's
/// last part; Python instead nests files in folders (`tutorial/helloworld/v1/`).
pub fn rust_module(package: &str) -> String {
    let last = package.rsplit('.').next().unwrap_or(package);
    format!("helloworld_proto::{last}")
}
// ANCHOR_END: module_path

/// A human-readable report of every package in `schema`.
pub fn describe(schema: &FileDescriptorSet) -> String {
    let mut out = String::new();
    for file in &schema.file {
        let package = file.package();
        let module = rust_module(package);
        let _ = writeln!(out, "package {package}   ({})", file.name());
        let _ = writeln!(out, "  Rust module:    {module}");
        let _ = writeln!(out, "  generated file: $OUT_DIR/{package}.rs");
        let python_dir = Path::new(file.name())
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  Python output:  {python_dir}/helloworld_pb2.py, helloworld_pb2_grpc.py, helloworld_pb2.pyi"
        );
        for message in &file.message_type {
            describe_message(&mut out, &module, message);
        }
        for service in &file.service {
            let _ = writeln!(out, "  service {}", service.name());
            for method in &service.method {
                let _ = writeln!(
                    out,
                    "    rpc {}({}) returns ({})   [{}]",
                    method.name(),
                    short_type(method.input_type()),
                    short_type(method.output_type()),
                    StreamingKind::of(method)
                );
            }
            let snake = to_snake_case(service.name());
            let _ = writeln!(
                out,
                "    client: {module}::{snake}_client::{}Client",
                service.name()
            );
            let _ = writeln!(
                out,
                "    server: {module}::{snake}_server::{{{0}, {0}Server}}",
                service.name()
            );
        }
        out.push('\n');
    }
    out
}

fn describe_message(out: &mut String, module: &str, message: &DescriptorProto) {
    let _ = writeln!(
        out,
        "  message {}   -> struct {module}::{}",
        message.name(),
        message.name()
    );
    for field in &message.field {
        let _ = writeln!(
            out,
            "    {} = {}: {}   -> pub {}: {}",
            field.name(),
            field.number(),
            proto_type(field),
            field.name(),
            rust_type(field)
        );
    }
}

/// `.tutorial.helloworld.v1.SayHelloRequest` -> `SayHelloRequest`.
fn short_type(full: &str) -> &str {
    full.rsplit('.').next().unwrap_or(full)
}

fn proto_type(field: &FieldDescriptorProto) -> String {
    let base = match field.r#type() {
        Type::Message | Type::Enum => short_type(field.type_name()).to_owned(),
        other => other
            .as_str_name()
            .trim_start_matches("TYPE_")
            .to_lowercase(),
    };
    if field.label() == Label::Repeated {
        format!("repeated {base}")
    } else {
        base
    }
}

// ANCHOR: rust_type
/// The Rust type prost generates for a field (the scalar cases this workshop uses).
pub fn rust_type(field: &FieldDescriptorProto) -> String {
    let base = match field.r#type() {
        Type::String => "String".to_owned(),
        Type::Bytes => "Vec<u8>".to_owned(),
        Type::Bool => "bool".to_owned(),
        Type::Int32 | Type::Sint32 | Type::Sfixed32 => "i32".to_owned(),
        Type::Int64 | Type::Sint64 | Type::Sfixed64 => "i64".to_owned(),
        Type::Uint32 | Type::Fixed32 => "u32".to_owned(),
        Type::Uint64 | Type::Fixed64 => "u64".to_owned(),
        Type::Float => "f32".to_owned(),
        Type::Double => "f64".to_owned(),
        Type::Enum => "i32".to_owned(),
        Type::Message => format!("Option<{}>", short_type(field.type_name())),
        Type::Group => "()".to_owned(),
    };
    if field.label() == Label::Repeated {
        format!("Vec<{base}>")
    } else {
        base
    }
}
// ANCHOR_END: rust_type

fn to_snake_case(name: &str) -> String {
    let mut snake = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            snake.push('_');
        }
        snake.extend(c.to_lowercase());
    }
    snake
}

/// Writes every generated `.rs` file into `dir`, returning the paths written.
pub fn write_generated(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, source) in helloworld_proto::GENERATED_SOURCES {
        let path = dir.join(name);
        std::fs::write(&path, source)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_matches_tonic_module_names() {
        assert_eq!(to_snake_case("GreeterService"), "greeter_service");
    }
}
// ANCHOR_END: part2
