//! Each load shape runs against the Rust bench servers and measures something.

use std::time::Duration;

use bench_client::{Window, pingpong, stream, unary};
use tokio::net::TcpListener;

fn short_window() -> Window {
    Window::new(Duration::from_millis(50), Duration::from_millis(300))
}

async fn start<F>(serve: impl FnOnce(TcpListener) -> F) -> String
where
    F: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener));
    url
}

#[tokio::test]
async fn unary_load_and_check_against_the_roofline() {
    let url = start(bench_roofline::serve).await;
    assert_eq!(unary::check(&url, "Jack").await.unwrap(), "Hello, Jack!");
    let mut summary = unary::run(&url, 2, 4, "Jack", short_window())
        .await
        .unwrap();
    assert!(summary.count > 0);
    assert!(summary.to_json(0.3).contains("\"p99_us\""));
}

#[tokio::test]
async fn streams_count_messages_and_bytes() {
    let url = start(bench_stream_server::serve).await;
    let big = bench_client::Tuning {
        max_frame_size: Some(1 << 20),
        stream_window: Some(8 << 20),
        adaptive_window: false,
    };
    let adaptive = bench_client::Tuning {
        adaptive_window: true,
        ..Default::default()
    };
    for tuning in [Default::default(), big, adaptive] {
        let shape = stream::Shape {
            connections: 2,
            size: 1024,
            count: 100,
            tuning,
        };
        let summary = stream::run(&url, shape, short_window()).await.unwrap();
        assert!(summary.count > 100, "{summary:?}");
        assert_eq!(summary.bytes, summary.count * 1024);
    }
}

#[tokio::test]
async fn pingpong_times_round_trips() {
    let url = start(bench_stream_server::serve).await;
    let summary = pingpong::run(&url, short_window()).await.unwrap();
    assert!(summary.count > 10, "{summary:?}");
    assert_eq!(summary.latencies_us.len() as u64, summary.count);
}
