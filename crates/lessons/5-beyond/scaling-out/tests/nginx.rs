//! The same instances behind nginx `grpc_pass`: a proxy users really run.
//!
//! Needs the `nginx` binary (Debian: `apt-get install -y nginx-light`). Without it
//! the test prints SKIPPED and why, and passes on a developer's machine; under
//! `CI=true` a missing nginx is a failure, so CI can never pass without running it.

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use lesson_kit::RunningServer;
use scaling_out::instance::serve_instance;
use scaling_out::spread;
use tonic::transport::Channel;

#[path = "support/nginx_conf.rs"]
mod nginx_conf;
use nginx_conf::nginx_conf;

const BOUND: Duration = Duration::from_secs(10);

fn nginx_binary() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// `CI=true` (what CI services and `.ci/run` set): skipping is not allowed there.
fn running_in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value.eq_ignore_ascii_case("true") || value == "1")
}

/// Stops nginx when the test ends, passing or not.
///
/// SIGTERM, not `Child::kill`: SIGKILL would end the master only and orphan its
/// worker process, which keeps the port open.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let pid = self.0.id().to_string();
        let termed = Command::new("kill").args(["-TERM", &pid]).status();
        if !termed.is_ok_and(|s| s.success()) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn nginx_grpc_pass_spreads_calls_and_routes_around_a_stopped_instance() {
    let Some(nginx) = nginx_binary() else {
        assert!(
            !running_in_ci(),
            "nginx is not installed, and CI=true: CI must run this test (apt-get install -y nginx-light)"
        );
        // Straight to stderr, past libtest's capture, so the skip is never silent.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED nginx_grpc_pass_spreads_calls_and_routes_around_a_stopped_instance: \
             nginx is not installed (apt-get install -y nginx-light)"
        );
        return;
    };
    let mut running = Vec::new();
    for i in 0..3 {
        let name = format!("instance-{i}");
        running.push(
            RunningServer::start(move |listener, shutdown| {
                serve_instance(listener, name, shutdown, Duration::from_secs(1))
            })
            .await
            .unwrap(),
        );
    }
    let backends: Vec<String> = running.iter().map(|r| r.url(false)).collect();
    let dir = tempfile::tempdir().unwrap();
    let port = StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, nginx_conf(dir.path(), port, &backends)).unwrap();
    let child = Command::new(&nginx)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("stderr.log")).unwrap())
        .spawn()
        .expect("nginx starts");
    let mut nginx = Nginx(child);

    let url = format!("http://127.0.0.1:{port}");
    let logs = || {
        ["stderr.log", "error.log"]
            .map(|f| std::fs::read_to_string(dir.path().join(f)).unwrap_or_default())
            .join("\n")
    };
    let channel = tokio::time::timeout(BOUND, async {
        loop {
            if let Ok(channel) = Channel::from_shared(url.clone()).unwrap().connect().await {
                return channel;
            }
            if let Ok(Some(exit)) = nginx.0.try_wait() {
                panic!("nginx exited with {exit}:\n{}", logs());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("nginx did not start listening:\n{}", logs()));

    let (answered, failed) = spread(channel.clone(), 30).await;
    assert_eq!(failed, 0, "{answered:?}");
    assert_eq!(
        answered.len(),
        3,
        "nginx round-robins per call: {answered:?}"
    );

    running.remove(0).stop().await.unwrap();
    // Open-source nginx checks passively: a refused connection marks the server failed
    // and the call is retried on the next one, so no call fails.
    let (answered, failed) = spread(channel, 30).await;
    assert_eq!(failed, 0, "{answered:?}");
    assert!(!answered.contains_key("instance-0"), "{answered:?}");
    assert_eq!(answered.values().sum::<usize>(), 30);
    for server in running {
        server.stop().await.unwrap();
    }
}
