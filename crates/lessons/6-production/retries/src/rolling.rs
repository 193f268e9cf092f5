//! A rolling restart under load: three backend processes behind the scaling-out
//! lesson's health-driven balancer, a steady load of calls, and each backend in
//! turn stopped with SIGTERM (it reports NOT_SERVING, drains, exits), started
//! again on its port, and waited for until it is back in the balancer. Then one
//! is frozen (SIGSTOP, so calls are in flight on it) and killed with SIGKILL,
//! once without retries and once with. Plumbing, not a listing.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use scaling_out::balancer::{HealthBalanced, health_balanced};
use tokio::time::Instant;
use tonic::transport::Channel;

use crate::client::{SAY_HELLO, retrying, say_hello};
use crate::load::Latencies;
use crate::retry_policy::RetryPolicy;

/// How long one call of the load may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a backend may take to start, stop, or join the balancer.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Backend processes: this lesson's own binary, `server --instance NAME`.
#[derive(Debug)]
pub struct Fleet {
    exe: PathBuf,
    children: Vec<Option<Child>>,
    addrs: Vec<SocketAddr>,
}

impl Fleet {
    /// Starts `n` backends of the binary `exe`, each on a free port it picks.
    pub async fn start(exe: PathBuf, n: usize) -> anyhow::Result<Self> {
        let mut fleet = Fleet {
            exe,
            children: Vec::new(),
            addrs: Vec::new(),
        };
        for i in 0..n {
            let (child, addr) = fleet.spawn(i, "127.0.0.1:0".parse()?).await?;
            fleet.children.push(Some(child));
            fleet.addrs.push(addr);
        }
        Ok(fleet)
    }

    /// The backends' URLs.
    pub fn urls(&self) -> Vec<String> {
        self.addrs.iter().map(|a| format!("http://{a}")).collect()
    }

    async fn spawn(&self, i: usize, addr: SocketAddr) -> anyhow::Result<(Child, SocketAddr)> {
        let mut command = Command::new(&self.exe);
        command.args([
            "server",
            "--addr",
            &addr.to_string(),
            "--instance",
            &format!("instance-{i}"),
        ]);
        command.stdout(std::process::Stdio::null());
        let (mut child, bound) = tokio::task::spawn_blocking(move || {
            lesson_kit::testing::spawn_listening(&mut command, PATIENCE)
        })
        .await??;
        match bound {
            Some(bound) => Ok((child, bound)),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                anyhow::bail!("backend {i} did not start listening on {addr}")
            }
        }
    }

    /// Sends SIGTERM (graceful) or SIGKILL to backend `i` and waits for it to exit.
    pub async fn stop(&mut self, i: usize, gracefully: bool) -> anyhow::Result<()> {
        let Some(mut child) = self.children[i].take() else {
            return Ok(());
        };
        if gracefully {
            signal(&child, libc::SIGTERM)?;
        } else {
            child.kill()?; // SIGKILL
        }
        tokio::task::spawn_blocking(move || child.wait()).await??;
        Ok(())
    }

    /// Freezes backend `i` (SIGSTOP): its connections stay open, and the calls
    /// sent to it stay in flight, until it is killed.
    pub fn freeze(&self, i: usize) -> anyhow::Result<()> {
        match &self.children[i] {
            Some(child) => signal(child, libc::SIGSTOP),
            None => anyhow::bail!("backend {i} is not running"),
        }
    }

    /// Starts backend `i` again on its port.
    pub async fn restart(&mut self, i: usize) -> anyhow::Result<()> {
        let (child, _) = self.spawn(i, self.addrs[i]).await?;
        self.children[i] = Some(child);
        Ok(())
    }

    /// Stops every backend that is still running, gracefully.
    pub async fn stop_all(&mut self) -> anyhow::Result<()> {
        for i in 0..self.children.len() {
            self.stop(i, true).await?;
        }
        Ok(())
    }
}

fn signal(child: &Child, signal: libc::c_int) -> anyhow::Result<()> {
    let pid = libc::pid_t::try_from(child.id())?;
    // SAFETY: kill(2) takes plain integers; `pid` is our own child, not yet reaped.
    if unsafe { libc::kill(pid, signal) } != 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok(())
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for child in self.children.iter_mut().flatten() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// What a load run saw.
#[derive(Clone, Default)]
pub struct Report {
    /// Calls made.
    pub calls: usize,
    /// Calls that failed, retries spent.
    pub failed: usize,
    /// The failures, by code and message.
    pub failures: BTreeMap<String, usize>,
    /// Retries sent.
    pub retried: usize,
    /// The calls' latencies.
    pub latencies: Latencies,
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("calls", &self.calls)
            .field("failed", &self.failed)
            .field("failures", &self.failures)
            .field("retried", &self.retried)
            .field("p99", &self.latencies.quantile(0.99))
            .finish()
    }
}

/// A steady load: `workers` loops of `SayHello`, each call within [`CALL_TIMEOUT`].
pub struct Load {
    stop: Arc<AtomicBool>,
    retried: Arc<AtomicUsize>,
    workers: Vec<tokio::task::JoinHandle<(Vec<Duration>, Vec<String>)>>,
}

impl Load {
    /// Starts `workers` callers on `channel`; `retries`: through the retry policy
    /// (a budget large enough that only the deadline and attempts bound it).
    pub fn start(channel: Channel, workers: usize, retries: bool) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let mut policy = RetryPolicy::new(if retries { &[SAY_HELLO] } else { &[] });
        policy.max_attempts = 5;
        let retried = policy.retried.clone();
        let workers = (0..workers)
            .map(|w| {
                let mut client = retrying(channel.clone(), policy.clone());
                let stop = stop.clone();
                tokio::spawn(async move {
                    let (mut latencies, mut failed) = (Vec::new(), Vec::new());
                    let mut n = 0usize;
                    while !stop.load(Ordering::Relaxed) {
                        let started = Instant::now();
                        let name = format!("worker {w} call {n}");
                        if let Err(status) = say_hello(&mut client, &name, CALL_TIMEOUT).await {
                            failed.push(format!("{:?}: {}", status.code(), status.message()));
                        }
                        latencies.push(started.elapsed());
                        n += 1;
                    }
                    (latencies, failed)
                })
            })
            .collect();
        Load {
            stop,
            retried,
            workers,
        }
    }

    /// Stops the callers and counts what they did.
    pub async fn finish(self) -> anyhow::Result<Report> {
        self.stop.store(true, Ordering::Relaxed);
        let mut report = Report::default();
        let mut all = Vec::new();
        for worker in self.workers {
            let (latencies, failed) = worker.await?;
            report.failed += failed.len();
            for failure in failed {
                *report.failures.entry(failure).or_default() += 1;
            }
            all.extend(latencies);
        }
        report.calls = all.len();
        report.retried = self.retried.load(Ordering::Relaxed);
        report.latencies = Latencies::new(all);
        Ok(report)
    }
}

/// Waits until `url` is (`true`) or is not (`false`) in the balancer.
pub async fn wait_membership(
    balanced: &mut HealthBalanced,
    url: &str,
    member: bool,
) -> anyhow::Result<()> {
    tokio::time::timeout(
        PATIENCE,
        balanced.members.wait_for(|m| m.contains(url) == member),
    )
    .await
    .map_err(|_| {
        anyhow::anyhow!(
            "{url} did not {} the balancer",
            if member { "join" } else { "leave" }
        )
    })??;
    Ok(())
}

/// Parameters of [`rolling_restart`].
#[derive(Debug, Clone)]
pub struct Plan {
    /// The backend binary (this lesson's).
    pub exe: PathBuf,
    /// Concurrent callers.
    pub workers: usize,
    /// Load before, between and after the steps.
    pub dwell: Duration,
    /// How long a backend stays frozen before its SIGKILL (well under
    /// [`CALL_TIMEOUT`], so the calls stuck on it are still waiting).
    pub frozen: Duration,
}

/// Both runs' reports: the rolling restart, then the SIGKILLs.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// SIGTERM, restart, healthy again, for each backend in turn, with retries.
    pub rolling: Report,
    /// SIGSTOP, then SIGKILL, of one backend, calls not retried.
    pub killed_without_retries: Report,
    /// SIGKILL of another backend, idempotent calls retried.
    pub killed_with_retries: Report,
    /// How many callers were running (the most calls in flight at a kill).
    pub workers: usize,
}

/// What the callers call through.
#[derive(Debug, Clone)]
pub enum Front {
    /// The scaling-out lesson's health-driven client-side balancer.
    Balancer,
    /// nginx `grpc_pass` (this binary), configured as in the scaling-out lesson.
    Nginx(PathBuf),
}

/// The callers' channel, and how to follow a backend going and coming.
enum Through {
    Balancer(HealthBalanced),
    Nginx(Nginx),
}

impl Through {
    async fn start(front: &Front, urls: &[String]) -> anyhow::Result<Self> {
        match front {
            Front::Balancer => {
                let mut balanced = health_balanced(urls.to_vec(), Duration::from_millis(50))?;
                for url in urls {
                    wait_membership(&mut balanced, url, true).await?;
                }
                Ok(Through::Balancer(balanced))
            }
            Front::Nginx(binary) => Ok(Through::Nginx(Nginx::start(binary, urls, true).await?)),
        }
    }

    fn channel(&self) -> Channel {
        match self {
            Through::Balancer(balanced) => balanced.channel.clone(),
            Through::Nginx(nginx) => nginx.channel.clone(),
        }
    }

    /// Waits until the balancer has seen `url` go (`false`) or come back (`true`);
    /// nginx needs no waiting: it finds out per call.
    async fn follow(&mut self, url: &str, member: bool) -> anyhow::Result<()> {
        match self {
            Through::Balancer(balanced) => wait_membership(balanced, url, member).await,
            Through::Nginx(_) => Ok(()),
        }
    }
}

/// nginx in front of the backends, listening on a Unix socket in its own
/// directory (no port to pick and release), stopped on drop.
#[derive(Debug)]
pub struct Nginx {
    child: Child,
    /// A channel to it.
    pub channel: Channel,
    _dir: tempdir::Dir,
}

mod tempdir {
    /// A fresh directory under the system's temp dir, removed on drop.
    #[derive(Debug)]
    pub struct Dir(pub std::path::PathBuf);

    impl Dir {
        pub fn new(name: &str) -> std::io::Result<Self> {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir().join(format!("{name}-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&path)?;
            Ok(Dir(path))
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[path = "../../../5-beyond/scaling-out/tests/support/nginx_conf.rs"]
mod nginx_conf;

// ANCHOR: nginx_conf
/// The scaling-out lesson's nginx.conf, listening on `socket` instead of a port.
pub fn on_socket(scaling_out_conf: &str, socket: &std::path::Path) -> anyhow::Result<String> {
    let port = "listen 127.0.0.1:0 http2;";
    anyhow::ensure!(
        scaling_out_conf.contains(port),
        "the scaling-out nginx.conf has no {port:?}"
    );
    Ok(scaling_out_conf.replace(port, &format!("listen unix:{} http2;", socket.display())))
}

/// The scaling-out lesson's nginx.conf, changed for a rolling restart:
///
/// - it listens on `socket` instead of a port ([`on_socket`]);
/// - `max_fails=0`: a backend is never "temporarily disabled" (the scaling-out
///   lesson's `max_fails=1 fail_timeout=30s` would keep each restarted backend
///   out for 30 s, and a restart of all three inside 30 s leaves none); a refused
///   connection still moves the call to the next backend (`grpc_next_upstream`);
/// - `keepalive_requests`: nginx closes a client's connection after 1000 calls
///   (its default), and calls racing that close fail, never sent (`CANCELLED`:
///   "operation was canceled"), killed backend or not;
/// - nginx's own errors (502 when a backend died mid-call) become a gRPC
///   `UNAVAILABLE`, the recipe nginx documents for gRPC: its default 502 is an
///   HTML page, which tonic reads as a malformed message (`INTERNAL`).
pub fn rolling_conf(scaling_out_conf: &str, socket: &std::path::Path) -> anyhow::Result<String> {
    let changes = [
        (
            " max_fails=1 fail_timeout=30s;".to_owned(),
            " max_fails=0;".to_owned(),
        ),
        (
            "      grpc_pass grpc://greeters;\n".to_owned(),
            "      grpc_pass grpc://greeters;\n      error_page 502 503 504 = @unavailable;\n"
                .to_owned(),
        ),
        (
            "    listen unix:".to_owned(),
            "    keepalive_requests 1000000;\n    listen unix:".to_owned(),
        ),
        (
            "    location / {".to_owned(),
            "    location @unavailable {\n      default_type application/grpc;\n      \
             add_header grpc-status 14 always;\n      \
             add_header grpc-message \"nginx: no backend answered\" always;\n      \
             return 204;\n    }\n    location / {"
                .to_owned(),
        ),
    ];
    let mut conf = on_socket(scaling_out_conf, socket)?;
    for (from, to) in changes {
        anyhow::ensure!(
            conf.contains(&from),
            "the scaling-out nginx.conf has no {from:?}"
        );
        conf = conf.replace(&from, &to);
    }
    Ok(conf)
}
// ANCHOR_END: nginx_conf

impl Nginx {
    /// Starts nginx `binary` in front of `backends`: the scaling-out lesson's
    /// configuration listening on a Unix socket, changed as [`rolling_conf`] says
    /// when `for_rolling`.
    pub async fn start(
        binary: &std::path::Path,
        backends: &[String],
        for_rolling: bool,
    ) -> anyhow::Result<Self> {
        let dir = tempdir::Dir::new("retries-nginx")?;
        let socket = dir.0.join("grpc.sock");
        let scaling_out = nginx_conf::nginx_conf(&dir.0, 0, backends);
        let conf = if for_rolling {
            rolling_conf(&scaling_out, &socket)?
        } else {
            on_socket(&scaling_out, &socket)?
        };
        let conf_path = dir.0.join("nginx.conf");
        std::fs::write(&conf_path, conf)?;
        let mut child = Command::new(binary)
            .arg("-p")
            .arg(&dir.0)
            .arg("-c")
            .arg(&conf_path)
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(dir.0.join("stderr.log"))?)
            .spawn()?;
        let url = format!("unix:{}", socket.display());
        let started = Instant::now();
        // nginx says nothing when it is ready; its socket file appearing is the sign.
        let channel = loop {
            if socket.exists()
                && let Ok(channel) = tonic::transport::Endpoint::from_shared(url.clone())?
                    .connect()
                    .await
            {
                break channel;
            }
            if let Some(exit) = child.try_wait()? {
                let log = std::fs::read_to_string(dir.0.join("error.log")).unwrap_or_default();
                anyhow::bail!("nginx exited with {exit}: {log}");
            }
            if started.elapsed() > PATIENCE {
                let _ = child.kill();
                anyhow::bail!("nginx did not listen on {url} within {PATIENCE:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        Ok(Nginx {
            child,
            channel,
            _dir: dir,
        })
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: that would end the master only and orphan its worker.
        if signal(&self.child, libc::SIGTERM).is_err() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// The rolling restart, then one SIGKILL without retries and one with, through `front`.
pub async fn rolling_restart(plan: Plan, front: Front) -> anyhow::Result<Outcome> {
    let mut fleet = Fleet::start(plan.exe.clone(), 3).await?;
    let urls = fleet.urls();
    let mut through = Through::start(&front, &urls).await?;

    let load = Load::start(through.channel(), plan.workers, true);
    tokio::time::sleep(plan.dwell).await;
    for (i, url) in urls.iter().enumerate() {
        fleet.stop(i, true).await?;
        through.follow(url, false).await?;
        fleet.restart(i).await?;
        through.follow(url, true).await?;
        tokio::time::sleep(plan.dwell).await;
    }
    let rolling = load.finish().await?;

    let mut killed = Vec::new();
    for (i, retries) in [(0, false), (1, true)] {
        let load = Load::start(through.channel(), plan.workers, retries);
        tokio::time::sleep(plan.dwell).await;
        // Frozen first, so calls are surely in flight on it when it dies.
        fleet.freeze(i)?;
        tokio::time::sleep(plan.frozen).await;
        fleet.stop(i, false).await?;
        through.follow(&urls[i], false).await?;
        tokio::time::sleep(plan.dwell).await;
        killed.push(load.finish().await?);
        fleet.restart(i).await?;
        through.follow(&urls[i], true).await?;
    }
    fleet.stop_all().await?;
    drop(through);
    let killed_with_retries = killed.pop().unwrap_or_default();
    let killed_without_retries = killed.pop().unwrap_or_default();
    Ok(Outcome {
        rolling,
        killed_without_retries,
        killed_with_retries,
        workers: plan.workers,
    })
}
