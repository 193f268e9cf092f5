//! Debian's real Prometheus scrapes the lesson's `/metrics` under load, and its
//! query API answers the questions a gRPC dashboard asks: `rate(...)` by code and
//! `histogram_quantile(0.99, ...)`. Skipped loudly without `/usr/bin/prometheus`;
//! under `CI=true` a missing binary is a failure.

mod support;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use support::{client, say_hello, start};
use tonic::Code;

const PROMETHEUS: &str = "/usr/bin/prometheus";
/// Start-up, a few scrapes and the queries, on a slow 2-core machine.
const BOUND: Duration = Duration::from_secs(60);
/// How often the test polls Prometheus' API while waiting for an answer.
const POLL: Duration = Duration::from_millis(100);

fn running_in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value.eq_ignore_ascii_case("true") || value == "1")
}

/// Stops Prometheus when the test ends, passing or not.
struct Prometheus(Child);

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts Prometheus on a port it picks and returns it with the address it reports
/// (`msg="Listening on" address=127.0.0.1:PORT`).
fn start_prometheus(dir: &std::path::Path, target: SocketAddr) -> (Prometheus, SocketAddr) {
    let config = format!(
        "global:\n  scrape_interval: 200ms\n  scrape_timeout: 200ms\n\
         scrape_configs:\n  - job_name: observability\n    static_configs:\n      - targets: [\"{target}\"]\n"
    );
    let config_file = dir.join("prometheus.yml");
    std::fs::write(&config_file, config).unwrap();
    let mut child = Command::new(PROMETHEUS)
        .arg(format!("--config.file={}", config_file.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("data").display()
        ))
        .arg("--web.listen-address=127.0.0.1:0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prometheus starts");
    let stderr = child.stderr.take().unwrap();
    let prometheus = Prometheus(child);
    let (found, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        let mut log = Vec::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let listening = line
                .contains("msg=\"Listening on\"")
                .then(|| {
                    line.split("address=")
                        .nth(1)?
                        .split_whitespace()
                        .next()?
                        .parse()
                        .ok()
                })
                .flatten();
            if let Some(addr) = listening {
                let _ = found.send(Ok(addr));
            }
            log.push(line);
        }
        let _ = found.send(Err(log.join("\n")));
    });
    match address.recv_timeout(BOUND) {
        Ok(Ok(addr)) => (prometheus, addr),
        Ok(Err(log)) => panic!("prometheus exited without listening:\n{log}"),
        Err(_) => panic!("prometheus did not report its address"),
    }
}

/// `/api/v1/query?query=…` until the vector it answers passes `accept`.
async fn query_until(
    prometheus: SocketAddr,
    promql: &str,
    accept: impl Fn(&[(serde_json::Value, f64)]) -> bool,
) -> Vec<(serde_json::Value, f64)> {
    let encoded: String = promql
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let path = format!("/api/v1/query?query={encoded}");
    let mut last = String::new();
    let answered = tokio::time::timeout(BOUND, async {
        loop {
            let body = observability::http_get(prometheus, &path).await.unwrap();
            let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(reply["status"], "success", "{promql}: {body}");
            let samples: Vec<(serde_json::Value, f64)> = reply["data"]["result"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let value = r["value"][1].as_str().unwrap().parse().unwrap();
                    (r["metric"].clone(), value)
                })
                .collect();
            if accept(&samples) {
                return samples;
            }
            last = body;
            tokio::time::sleep(POLL).await;
        }
    })
    .await;
    answered.unwrap_or_else(|_| panic!("no acceptable answer to {promql}; last: {last}"))
}

#[tokio::test]
async fn prometheus_scrapes_the_lesson_and_answers_rate_and_p99_queries() {
    if !std::path::Path::new(PROMETHEUS).exists() {
        assert!(
            !running_in_ci(),
            "prometheus is not installed, and CI=true: CI must run this test (apt-get install -y prometheus)"
        );
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED prometheus_scrapes_the_lesson_and_answers_rate_and_p99_queries: \
             {PROMETHEUS} is not installed (apt-get install -y prometheus)"
        );
        return;
    }
    let (running, metrics) = start(None).await;
    let dir = tempfile::tempdir().unwrap();
    let (_prometheus, api) = start_prometheus(dir.path(), metrics);
    // It listens before its storage is open, answering 503 until `/-/ready` says 200.
    tokio::time::timeout(BOUND, async {
        while observability::http_get(api, "/-/ready").await.is_err() {
            tokio::time::sleep(POLL).await;
        }
    })
    .await
    .expect("prometheus becomes ready");

    // Load: three good calls to one refused, until the queries are answered.
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let mut greeter = client(&running).await;
    let load = tokio::spawn({
        let (stop, ok, refused) = (stop.clone(), ok.clone(), refused.clone());
        async move {
            // Bounded: ~1 ms a call here, far more than the test needs.
            for i in 0..200_000u64 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let (name, expected, counter) = if i % 4 == 3 {
                    ("", Code::InvalidArgument, &refused)
                } else {
                    ("Jack", Code::Ok, &ok)
                };
                assert_eq!(say_hello(&mut greeter, name).await, expected);
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
    });

    let rates = query_until(
        api,
        "sum by (grpc_code) (rate(grpc_server_handled_total{grpc_method=\"SayHello\"}[2s]))",
        |samples| samples.len() == 2 && samples.iter().all(|(_, rate)| *rate > 0.0),
    )
    .await;
    let rate_of = |code: &str| {
        rates
            .iter()
            .find(|(metric, _)| metric["grpc_code"] == code)
            .map(|(_, rate)| *rate)
            .unwrap_or_else(|| panic!("no rate for {code}: {rates:?}"))
    };
    let ratio = rate_of("OK") / rate_of("InvalidArgument");
    assert!(
        (2.5..=3.5).contains(&ratio),
        "3 OK per refusal, got {ratio}: {rates:?}"
    );

    let p99 = query_until(
        api,
        "histogram_quantile(0.99, sum by (le) (rate(grpc_server_handling_seconds_bucket[2s])))",
        |samples| samples.len() == 1 && samples[0].1.is_finite(),
    )
    .await[0]
        .1;
    // Calls on loopback with no work: well under the 0.25 s bucket.
    assert!(p99 > 0.0 && p99 <= 0.25, "p99 {p99} s");

    stop.store(true, Ordering::Relaxed);
    load.await.unwrap();
    let (ok, refused) = (ok.load(Ordering::Relaxed), refused.load(Ordering::Relaxed));
    // Once a scrape after the load has landed, Prometheus holds the exact counts.
    let totals = query_until(api, "grpc_server_handled_total", |samples| {
        samples.iter().map(|(_, count)| *count as u64).sum::<u64>() == ok + refused
    })
    .await;
    for (metric, count) in &totals {
        let expected = if metric["grpc_code"] == "OK" {
            ok
        } else {
            refused
        };
        assert_eq!(*count as u64, expected, "{metric}");
    }
    running.stop().await.unwrap();
}
