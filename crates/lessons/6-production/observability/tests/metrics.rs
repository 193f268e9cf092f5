//! `/metrics` after real calls: counts per code, the histogram, calls in flight.

mod support;

use std::time::Duration;

use support::{client, sample, say_hello, start};
use tonic::Code;

const SERVICE: (&str, &str) = ("grpc_service", "tutorial.helloworld.v1.GreeterService");
const METHOD: (&str, &str) = ("grpc_method", "SayHello");
const UNARY: (&str, &str) = ("grpc_type", "unary");
const BOUND: Duration = Duration::from_secs(10);

#[tokio::test]
async fn handled_calls_are_counted_by_code_with_their_handling_time() {
    let (running, metrics) = start(None).await;
    let mut client = client(&running).await;
    for i in 0..5 {
        assert_eq!(say_hello(&mut client, &format!("n{i}")).await, Code::Ok);
    }
    for _ in 0..2 {
        assert_eq!(say_hello(&mut client, "").await, Code::InvalidArgument);
    }
    let text = observability::scrape(metrics).await.unwrap();
    let labels = [SERVICE, METHOD, UNARY];
    let count = |name: &str, code: Option<&str>| {
        let mut labels = labels.to_vec();
        labels.extend(code.map(|code| ("grpc_code", code)));
        sample(&text, name, &labels)
    };
    assert_eq!(
        count("grpc_server_started_total", None),
        Some(7.0),
        "{text}"
    );
    assert_eq!(count("grpc_server_handled_total", Some("OK")), Some(5.0));
    assert_eq!(
        count("grpc_server_handled_total", Some("InvalidArgument")),
        Some(2.0)
    );
    assert_eq!(
        count("grpc_server_handled_total", Some("Unavailable")),
        None
    );
    assert_eq!(
        count("grpc_server_handling_seconds_count", Some("OK")),
        Some(5.0)
    );
    assert_eq!(
        count(
            "grpc_server_handling_seconds_count",
            Some("InvalidArgument")
        ),
        Some(2.0)
    );
    let in_all_buckets = sample(
        &text,
        "grpc_server_handling_seconds_bucket",
        &[("grpc_code", "OK"), ("le", "+Inf")],
    );
    assert_eq!(in_all_buckets, Some(5.0));
    assert_eq!(count("grpc_server_in_flight", None), Some(0.0));
    assert!(
        text.contains("# TYPE grpc_server_handling_seconds histogram"),
        "{text}"
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_call_in_progress_is_in_flight_and_a_cancelled_one_is_counted_as_canceled() {
    // A downstream that accepts and never answers holds the front's call open.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let downstream = format!("http://{}", silent.local_addr().unwrap());
    let (running, metrics) = start(Some(downstream)).await;
    let mut client = client(&running).await;
    let call = tokio::spawn(async move { say_hello(&mut client, "Jack").await });
    let (_held, _) = tokio::time::timeout(BOUND, silent.accept())
        .await
        .expect("the front calls its downstream")
        .unwrap();

    let text = observability::scrape(metrics).await.unwrap();
    assert_eq!(
        sample(&text, "grpc_server_in_flight", &[METHOD]),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "grpc_server_started_total", &[METHOD]),
        Some(1.0)
    );
    assert_eq!(sample(&text, "grpc_server_handled_total", &[METHOD]), None);

    call.abort(); // the client gives up: its HTTP/2 stream is reset
    let seen = tokio::time::timeout(BOUND, async {
        loop {
            let text = observability::scrape(metrics).await.unwrap();
            let canceled = sample(
                &text,
                "grpc_server_handled_total",
                &[("grpc_code", "Canceled")],
            );
            if canceled == Some(1.0) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the server counts the cancelled call");
    assert_eq!(
        sample(&seen, "grpc_server_in_flight", &[METHOD]),
        Some(0.0),
        "{seen}"
    );
    running.stop().await.unwrap();
}
