//! One attack against one lesson server: start the server as a child process,
//! run a normal client beside the attack, then measure and judge.
//!
//! Pass = the server did not exit (no panic, no abort), its peak resident
//! memory stayed under [`Scale::peak_rss_kib`], at least 90 % of the normal
//! client's calls *during* the attack finished OK within [`DEADLINE`], and every
//! call *after* it did.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use helloworld_proto::v1;
use reliability::child::ChildServer;
use tonic::transport::Endpoint;

/// The normal client's deadline per call.
pub const DEADLINE: Duration = Duration::from_secs(1);

/// Counts and times: `quick` for CI, `full` for people.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// `quick` or `full`.
    pub name: &'static str,
    /// Multiplies every attack's count.
    pub factor: usize,
    /// How long holding attacks (slowloris, idle floods) hold.
    pub hold: Duration,
    /// The server's peak resident memory must stay under this.
    pub peak_rss_kib: u64,
}

impl Scale {
    /// CI: small counts, short holds.
    pub const QUICK: Self = Self {
        name: "quick",
        factor: 1,
        hold: Duration::from_secs(2),
        peak_rss_kib: 256 * 1024,
    };
    /// For people: ten times the counts, longer holds.
    pub const FULL: Self = Self {
        name: "full",
        factor: 10,
        hold: Duration::from_secs(10),
        peak_rss_kib: 512 * 1024,
    };

    /// `base` scaled.
    pub fn n(&self, base: usize) -> usize {
        base * self.factor
    }
}

/// A lesson server the attacks run against: its binary and server flags.
#[derive(Debug, Clone)]
pub struct Target {
    /// The package (and binary) name.
    pub name: &'static str,
    /// Extra `server` flags.
    pub args: &'static [&'static str],
}

/// The lesson servers attacked: the tutorial's sync and async unary servers,
/// the limits lesson, and the compression lesson (which accepts gzip).
pub const TARGETS: &[Target] = &[
    Target {
        name: "sync-unary",
        args: &[],
    },
    Target {
        name: "async-unary",
        args: &[],
    },
    Target {
        name: "limits",
        args: &[],
    },
    Target {
        name: "compression",
        args: &[],
    },
];

/// What an attack hands the harness: the server's address and the scale.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// Counts and times.
    pub scale: Scale,
    /// The target's name (some attacks differ per server).
    pub target: &'static str,
}

/// One row of the results table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The attack.
    pub case: &'static str,
    /// The server.
    pub target: &'static str,
    /// What the attack did and how the server answered the attacker.
    pub answer: String,
    /// Normal calls during the attack: OK within the deadline / all.
    pub during: (usize, usize),
    /// p99 latency of the normal calls during the attack.
    pub p99: Duration,
    /// Normal calls after the attack: OK / all.
    pub after: (usize, usize),
    /// The server's peak RSS (VmHWM), KiB.
    pub peak_rss_kib: u64,
    /// Why it failed; `None` = pass.
    pub failure: Option<String>,
    /// Wall time of the case.
    pub took: Duration,
}

/// Where the lesson binaries are: next to this program (`target/debug/`).
pub fn bin_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("target/debug"))
}

/// The normal client: sequential unary calls on a connection of its own, each
/// with [`DEADLINE`], until `stop`. Returns each call's outcome and latency.
async fn normal_client(url: String, stop: Arc<AtomicBool>) -> Vec<(bool, Duration)> {
    let mut results = Vec::new();
    let endpoint = match Endpoint::from_shared(url) {
        Ok(e) => e.connect_timeout(DEADLINE).timeout(DEADLINE),
        Err(_) => return results,
    };
    let channel = endpoint.connect_lazy();
    let mut client = v1::greeter_service_client::GreeterServiceClient::new(channel);
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    // At most 60 s of calls, whatever happens to `stop`.
    for _ in 0..3000 {
        tick.tick().await;
        let started = Instant::now();
        let call = client.say_hello(v1::SayHelloRequest {
            name: "normal".into(),
        });
        let ok = matches!(tokio::time::timeout(DEADLINE, call).await, Ok(Ok(_)));
        results.push((ok, started.elapsed()));
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    results
}

/// One call on a connection opened just now: whether it was served within
/// [`DEADLINE`] (connecting included). A server that stopped accepting during an
/// attack fails this while a client connected before the attack still passes.
pub async fn fresh_call(addr: &str) -> bool {
    let Ok(endpoint) = Endpoint::from_shared(format!("http://{addr}")) else {
        return false;
    };
    let call = async {
        let channel = endpoint.connect_timeout(DEADLINE).connect().await.ok()?;
        let mut client = v1::greeter_service_client::GreeterServiceClient::new(channel);
        let request = v1::SayHelloRequest {
            name: "newcomer".into(),
        };
        client.say_hello(request).await.ok()
    };
    matches!(tokio::time::timeout(DEADLINE, call).await, Ok(Some(_)))
}

/// New clients while the attack runs: a fresh connection and one call every
/// 100 ms, until `stop` (at most 600). Returns (served, tried).
async fn fresh_clients(addr: String, stop: Arc<AtomicBool>) -> (usize, usize) {
    let (mut served, mut tried) = (0, 0);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    for _ in 0..600 {
        tick.tick().await;
        if stop.load(Ordering::SeqCst) {
            break;
        }
        tried += 1;
        served += usize::from(fresh_call(&addr).await);
    }
    (served, tried)
}

/// Five calls on a fresh connection after the attack: how many were OK in time.
async fn after_check(url: &str) -> (usize, usize) {
    let results = {
        let stop = Arc::new(AtomicBool::new(true));
        let mut all = Vec::new();
        for _ in 0..5 {
            all.extend(normal_client(url.to_owned(), stop.clone()).await);
        }
        all
    };
    (results.iter().filter(|(ok, _)| *ok).count(), results.len())
}

/// The attack's signature.
pub type Attack = for<'a> fn(
    &'a Ctx,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = anyhow::Result<String>> + Send + 'a>,
>;

/// Runs `attack` against a fresh `target` server and judges it.
pub async fn run_one(case: &'static str, attack: Attack, target: &Target, scale: Scale) -> Row {
    let started = Instant::now();
    let mut row = Row {
        case,
        target: target.name,
        answer: String::new(),
        during: (0, 0),
        p99: Duration::ZERO,
        after: (0, 0),
        peak_rss_kib: 0,
        failure: None,
        took: Duration::ZERO,
    };
    let program = bin_dir().join(target.name);
    let mut server = match ChildServer::start(&program, target.args).await {
        Ok(server) => server,
        Err(error) => {
            row.failure = Some(format!("server did not start: {error:#}"));
            return row;
        }
    };
    let ctx = Ctx {
        addr: server.addr().to_string(),
        scale,
        target: target.name,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let normal = tokio::spawn(normal_client(server.url(), stop.clone()));
    let newcomers = tokio::spawn(fresh_clients(ctx.addr.clone(), stop.clone()));
    // Every attack is bounded inside; this is the backstop.
    let budget = Duration::from_secs(30) + scale.hold * 3;
    let outcome = tokio::time::timeout(budget, attack(&ctx)).await;
    stop.store(true, Ordering::SeqCst);
    let during = normal.await.unwrap_or_default();
    let (fresh_served, fresh_tried) = newcomers.await.unwrap_or_default();
    row.answer = match outcome {
        Ok(Ok(answer)) => answer,
        Ok(Err(error)) => {
            row.failure = Some(format!("attack errored: {error:#}"));
            format!("{error:#}")
        }
        Err(_) => {
            row.failure = Some(format!("attack still running after {budget:?}"));
            "hung".into()
        }
    };
    let ok = during.iter().filter(|(ok, _)| *ok).count();
    row.during = (ok, during.len());
    let mut latencies: Vec<Duration> = during.iter().map(|(_, t)| *t).collect();
    latencies.sort();
    if !latencies.is_empty() {
        let index = (latencies.len() * 99).div_ceil(100).saturating_sub(1);
        row.p99 = latencies[index.min(latencies.len() - 1)];
    }
    row.after = after_check(&server.url()).await;
    let peak = server.peak_rss_kib();
    row.peak_rss_kib = peak.unwrap_or(0);
    let mut failures = Vec::new();
    if peak.is_none() {
        failures.push(format!(
            "cannot read the server's peak RSS (/proc/{}/status)",
            server.pid()
        ));
    }
    if fresh_tried == 0 || fresh_served * 10 < fresh_tried * 9 {
        failures.push(format!(
            "new clients during: {fresh_served}/{fresh_tried} connected and served within {DEADLINE:?}"
        ));
    }
    if let Some(status) = server.exited() {
        failures.push(format!("the server exited: {status}"));
    }
    if row.peak_rss_kib >= scale.peak_rss_kib {
        failures.push(format!(
            "peak RSS {} KiB over the {} KiB bound",
            row.peak_rss_kib, scale.peak_rss_kib
        ));
    }
    if row.during.1 == 0 || row.during.0 * 10 < row.during.1 * 9 {
        failures.push(format!(
            "normal client during: {}/{} OK within {DEADLINE:?}",
            row.during.0, row.during.1
        ));
    }
    if row.after.0 != row.after.1 || row.after.1 == 0 {
        failures.push(format!(
            "normal client after: {}/{} OK",
            row.after.0, row.after.1
        ));
    }
    if !failures.is_empty() {
        let mut all = row.failure.take().into_iter().collect::<Vec<_>>();
        all.extend(failures);
        row.failure = Some(all.join("; "));
    }
    row.took = started.elapsed();
    row
}

/// Raises this process's open-file limit to its hard limit (children inherit it),
/// so the connection flood measures the server, not the shell's `ulimit -n`.
pub fn raise_fd_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        }
    }
    limit.rlim_cur
}
