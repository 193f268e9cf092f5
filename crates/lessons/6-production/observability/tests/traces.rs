//! One trace across three real processes: the lesson's `client`, a front `server
//! --downstream` and a backend `server`, each exporting over OTLP/gRPC to a receiver
//! in this test, configured only by `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_SERVICE_NAME`.

use std::process::{Child, Command};
use std::time::Duration;

use lesson_kit::testing::spawn_listening;
use observability::collector::{self, KIND_CLIENT, KIND_SERVER, ReceivedSpan};

const BIN: &str = env!("CARGO_BIN_EXE_observability");
const PATIENCE: Duration = Duration::from_secs(30);

fn command(endpoint: &str, service_name: &str) -> Command {
    let mut command = Command::new(BIN);
    command
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
        .env("OTEL_SERVICE_NAME", service_name)
        .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    command
}

fn start_server(endpoint: &str, service_name: &str, downstream: Option<&str>) -> (Child, String) {
    let mut command = command(endpoint, service_name);
    command.args([
        "server",
        "--addr",
        "127.0.0.1:0",
        "--metrics-addr",
        "127.0.0.1:0",
    ]);
    if let Some(url) = downstream {
        command.args(["--downstream", url]);
    }
    let (mut child, addr) = spawn_listening(&mut command, PATIENCE).unwrap();
    let Some(addr) = addr else {
        child.kill().ok();
        panic!("{service_name} did not report its address");
    };
    (child, format!("http://{addr}"))
}

/// SIGTERM, as an orchestrator stops a server: it drains, flushes its spans, exits 0.
async fn stop(mut child: Child) {
    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap();
    assert!(
        status.unwrap().success(),
        "the server exits 0 after SIGTERM"
    );
}

fn attr<'a>(span: &'a ReceivedSpan, key: &str) -> &'a str {
    span.attributes
        .get(key)
        .unwrap_or_else(|| panic!("{key} missing on {span:#?}"))
}

#[tokio::test]
async fn one_trace_crosses_client_front_and_backend_with_rpc_attributes() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let received = collector::start(listener);

    let (backend, backend_url) = start_server(&endpoint, "backend", None);
    let (front, front_url) = start_server(&endpoint, "front", Some(&backend_url));
    let mut client = command(&endpoint, "client");
    client.args(["client", "--addr", &front_url, "--name", "Ada"]);
    let output = tokio::task::spawn_blocking(move || client.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "Greeter client received: Hello, Ada! (via the backend)",
            "status InvalidArgument: name must not be empty",
        ]
    );
    // The client flushed on exit; the servers flush on SIGTERM.
    stop(front).await;
    stop(backend).await;

    let spans = received.spans();
    assert_eq!(spans.len(), 8, "two calls, four spans each: {spans:#?}");
    let roots: Vec<&ReceivedSpan> = spans
        .iter()
        .filter(|s| s.parent_span_id.is_empty())
        .collect();
    assert_eq!(roots.len(), 2, "one trace per client call");

    let expected_code = [("0", 0), ("3", 2)];
    for (root, (code, client_status)) in roots.iter().zip(expected_code) {
        // Follow the chain from the client's span, one child at a time.
        let mut chain = vec![*root];
        while let Some(child) = spans
            .iter()
            .find(|s| s.parent_span_id == chain.last().unwrap().span_id)
        {
            chain.push(child);
        }
        let shape: Vec<(&str, i32)> = chain
            .iter()
            .map(|s| (s.service_name.as_str(), s.kind))
            .collect();
        assert_eq!(
            shape,
            [
                ("client", KIND_CLIENT),
                ("front", KIND_SERVER),
                ("front", KIND_CLIENT),
                ("backend", KIND_SERVER),
            ],
            "client → front → its downstream call → backend"
        );
        for span in &chain {
            assert_eq!(span.trace_id, root.trace_id, "one trace id");
            assert_eq!(span.name, "tutorial.helloworld.v1.GreeterService/SayHello");
            assert_eq!(attr(span, "rpc.system"), "grpc");
            assert_eq!(
                attr(span, "rpc.service"),
                "tutorial.helloworld.v1.GreeterService"
            );
            assert_eq!(attr(span, "rpc.method"), "SayHello");
            assert_eq!(attr(span, "rpc.grpc.status_code"), code);
            assert_eq!(
                span.attributes.len(),
                4,
                "the RPC attributes only: {span:#?}"
            );
            // A refused argument is the client's error, not the server's.
            let status = if span.kind == KIND_CLIENT {
                client_status
            } else {
                0
            };
            assert_eq!(span.status, status, "span status of {span:#?}");
        }
    }
    assert_ne!(roots[0].trace_id, roots[1].trace_id);
}
