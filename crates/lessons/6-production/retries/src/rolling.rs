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

/// The rolling restart, then one SIGKILL without retries and one with.
pub async fn rolling_restart(plan: Plan) -> anyhow::Result<Outcome> {
    let mut fleet = Fleet::start(plan.exe.clone(), 3).await?;
    let urls = fleet.urls();
    let mut balanced = health_balanced(urls.clone(), Duration::from_millis(50))?;
    for url in &urls {
        wait_membership(&mut balanced, url, true).await?;
    }

    let load = Load::start(balanced.channel.clone(), plan.workers, true);
    tokio::time::sleep(plan.dwell).await;
    for (i, url) in urls.iter().enumerate() {
        fleet.stop(i, true).await?;
        wait_membership(&mut balanced, url, false).await?;
        fleet.restart(i).await?;
        wait_membership(&mut balanced, url, true).await?;
        tokio::time::sleep(plan.dwell).await;
    }
    let rolling = load.finish().await?;

    let mut killed = Vec::new();
    for (i, retries) in [(0, false), (1, true)] {
        let load = Load::start(balanced.channel.clone(), plan.workers, retries);
        tokio::time::sleep(plan.dwell).await;
        // Frozen first, so calls are surely in flight on it when it dies.
        fleet.freeze(i)?;
        tokio::time::sleep(plan.frozen).await;
        fleet.stop(i, false).await?;
        wait_membership(&mut balanced, &urls[i], false).await?;
        tokio::time::sleep(plan.dwell).await;
        killed.push(load.finish().await?);
        fleet.restart(i).await?;
        wait_membership(&mut balanced, &urls[i], true).await?;
    }
    fleet.stop_all().await?;
    let killed_with_retries = killed.pop().unwrap_or_default();
    let killed_without_retries = killed.pop().unwrap_or_default();
    Ok(Outcome {
        rolling,
        killed_without_retries,
        killed_with_retries,
        workers: plan.workers,
    })
}
