//! Our interop client against our interop server (grpc.testing.TestService),
//! every case, over a real socket, plaintext and TLS.

use reliability::interop::{self, client};
use tokio::net::TcpListener;
use tonic::transport::Identity;

fn flags(port: u16, case: &str) -> client::ClientFlags {
    client::ClientFlags {
        server_host: "127.0.0.1".into(),
        server_port: port,
        test_case: case.into(),
        use_tls: false,
        use_test_ca: false,
        ca_file: None,
        server_host_override: None,
        soak_iterations: 5,
        soak_max_failures: 0,
        soak_per_iteration_max_acceptable_latency_ms: 1000,
        soak_overall_timeout_seconds: 10,
    }
}

/// Starts the server on 127.0.0.1:0 and returns its port and its stop switch.
async fn start(tls: Option<Identity>) -> (u16, tokio::sync::oneshot::Sender<()>) {
    start_limited(tls, None).await
}

/// The same, with `SETTINGS_MAX_CONCURRENT_STREAMS` set to `max_streams`.
async fn start_limited(
    tls: Option<Identity>,
    max_streams: Option<u32>,
) -> (u16, tokio::sync::oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(interop::serve(listener, tls, max_streams, async {
        let _ = stopped.await;
    }));
    (port, stop)
}

async fn run_all(flags_for: impl Fn(&str) -> client::ClientFlags) {
    let mut failures = Vec::new();
    for case in client::CASES {
        if let Err(error) = client::run(&flags_for(case)).await {
            failures.push(format!("{case}: {error:#}"));
        }
    }
    assert!(
        failures.is_empty(),
        "failed cases:\n{}",
        failures.join("\n")
    );
}

/// max_streams as upstream means it: the server allows one stream at a time, so the
/// client must queue its unary calls behind the held stream (RFC 9113 lets a
/// server refuse a stream over its limit, which would fail the case).
#[tokio::test]
async fn max_streams_passes_against_a_server_allowing_one_stream() {
    let (port, _stop) = start_limited(None, Some(1)).await;
    client::run(&flags(port, "max_streams")).await.unwrap();
}

#[tokio::test]
async fn every_case_passes_rust_against_rust_in_plaintext() {
    let (port, _stop) = start(None).await;
    run_all(|case| flags(port, case)).await;
}

#[tokio::test]
async fn every_case_passes_rust_against_rust_over_tls_with_a_host_override() {
    let key = rcgen::generate_simple_self_signed(vec!["foo.test.google.fr".into()]).unwrap();
    let cert_pem = key.cert.pem();
    let identity = Identity::from_pem(&cert_pem, key.signing_key.serialize_pem());
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &cert_pem).unwrap();
    let (port, _stop) = start(Some(identity)).await;
    run_all(|case| client::ClientFlags {
        use_tls: true,
        use_test_ca: true,
        ca_file: Some(ca_file.clone()),
        server_host_override: Some("foo.test.google.fr".into()),
        ..flags(port, case)
    })
    .await;
    // Without the override the name 127.0.0.1 is not on the certificate: refused.
    let wrong_name = client::ClientFlags {
        use_tls: true,
        use_test_ca: true,
        ca_file: Some(ca_file.clone()),
        ..flags(port, "empty_unary")
    };
    assert!(client::run(&wrong_name).await.is_err());
}

#[tokio::test]
async fn an_unknown_case_is_refused_by_name() {
    let (port, _stop) = start(None).await;
    let error = client::run(&flags(port, "no_such_case")).await.unwrap_err();
    assert!(error.to_string().contains("unknown --test_case"), "{error}");
}

#[tokio::test]
async fn the_server_refuses_an_uncompressed_request_that_expects_compression() {
    use interop_proto::grpc_testing as pb;
    let (port, _stop) = start(None).await;
    let mut test =
        pb::test_service_client::TestServiceClient::connect(format!("http://127.0.0.1:{port}"))
            .await
            .unwrap();
    let request = pb::SimpleRequest {
        expect_compressed: Some(pb::BoolValue { value: true }),
        response_size: 1,
        ..Default::default()
    };
    let status = test.unary_call(request).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    // And a size no peer could receive is refused, not attempted.
    let huge = pb::SimpleRequest {
        response_size: i32::MAX,
        ..Default::default()
    };
    let status = test.unary_call(huge).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
}
