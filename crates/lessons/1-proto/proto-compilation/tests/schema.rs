//! The compiled schema is exactly the tutorial's contract (plus our v4).

use proto_compilation::{StreamingKind, compiled_schema, describe, rust_module, write_generated};

#[test]
fn every_package_has_the_tutorial_contract() {
    let schema = compiled_schema().expect("descriptor set decodes");
    let expected = [
        ("tutorial.helloworld.v1", StreamingKind::Unary),
        ("tutorial.helloworld.v2", StreamingKind::ServerStreaming),
        ("tutorial.helloworld.v3", StreamingKind::Bidi),
        ("tutorial.helloworld.v4", StreamingKind::ClientStreaming),
    ];
    assert_eq!(schema.file.len(), expected.len());
    for (file, (package, kind)) in schema.file.iter().zip(expected) {
        assert_eq!(file.package(), package);
        assert_eq!(
            file.name(),
            format!("{}/helloworld.proto", package.replace('.', "/"))
        );
        assert_eq!(file.syntax(), "proto3");
        let [service] = file.service.as_slice() else {
            panic!("one service in {package}")
        };
        assert_eq!(service.name(), "GreeterService");
        let [method] = service.method.as_slice() else {
            panic!("one rpc in {package}")
        };
        assert_eq!(method.name(), "SayHello");
        assert_eq!(method.input_type(), format!(".{package}.SayHelloRequest"));
        assert_eq!(method.output_type(), format!(".{package}.SayHelloResponse"));
        assert_eq!(StreamingKind::of(method), kind, "{package}");
        let request = file
            .message_type
            .iter()
            .find(|m| m.name() == "SayHelloRequest")
            .unwrap();
        assert_eq!(
            (request.field[0].name(), request.field[0].number()),
            ("name", 1)
        );
        let response = file
            .message_type
            .iter()
            .find(|m| m.name() == "SayHelloResponse")
            .unwrap();
        assert_eq!(
            (response.field[0].name(), response.field[0].number()),
            ("message", 1)
        );
    }
}

#[test]
fn the_report_lists_packages_and_shapes() {
    let report = describe(&compiled_schema().unwrap());
    for line in [
        "package tutorial.helloworld.v1   (tutorial/helloworld/v1/helloworld.proto)",
        "    rpc SayHello(SayHelloRequest) returns (SayHelloResponse)   [unary]",
        "    rpc SayHello(SayHelloRequest) returns (SayHelloResponse)   [server-streaming]",
        "    rpc SayHello(SayHelloRequest) returns (SayHelloResponse)   [bidi]",
        "    rpc SayHello(SayHelloRequest) returns (SayHelloResponse)   [client-streaming]",
        "    name = 1: string   -> pub name: String",
        "    client: helloworld_proto::v1::greeter_service_client::GreeterServiceClient",
    ] {
        assert!(
            report.lines().any(|l| l == line),
            "missing {line:?} in\n{report}"
        );
    }
    assert_eq!(
        rust_module("tutorial.helloworld.v3"),
        "helloworld_proto::v3"
    );
}

#[test]
fn generated_sources_can_be_written_out() {
    let dir = tempfile::tempdir().unwrap();
    let written = write_generated(dir.path()).unwrap();
    assert_eq!(written.len(), 4);
    let v1 = std::fs::read_to_string(dir.path().join("tutorial.helloworld.v1.rs")).unwrap();
    assert!(v1.contains("pub struct SayHelloRequest"), "{v1}");
    assert!(v1.contains("pub mod greeter_service_server"), "{v1}");
}
