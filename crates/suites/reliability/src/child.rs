//! A server under test as a real child process: a lesson binary started with
//! `server --addr 127.0.0.1:PORT`, the CLI contract every lesson keeps.
//!
//! A separate process is what lets a test read the *server's* memory alone
//! (`/proc/<pid>/status`: `VmRSS` now, `VmHWM` its peak), and a crash or an abort
//! in the server shows up as an exit status instead of taking the test with it.

use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// How long a child server may take to start listening.
const START: Duration = Duration::from_secs(20);

/// A server running as a child process; killed when dropped.
#[derive(Debug)]
pub struct ChildServer {
    child: Child,
    addr: SocketAddr,
    name: String,
}

impl ChildServer {
    /// Runs `program server --addr 127.0.0.1:PORT extra...` on a free port and
    /// waits (bounded) until it accepts connections.
    pub async fn start(program: &Path, extra: &[&str]) -> anyhow::Result<Self> {
        // Ask the kernel for a free port, then hand it to the child. Another
        // process could take it in between; on loopback in a test run that is
        // rare, and shows up as a clear start-up error.
        let port = StdListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let name = program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut command = Command::new(program);
        if std::env::var_os("RUST_LOG").is_none() {
            // An attacked server logs a warning per refused frame: keep errors only.
            command.env("RUST_LOG", "error");
        }
        let child = command
            .arg("server")
            .arg("--addr")
            .arg(addr.to_string())
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", program.display()))?;
        let mut server = Self { child, addr, name };
        server.wait_until_listening().await?;
        Ok(server)
    }

    async fn wait_until_listening(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + START;
        let mut tick = tokio::time::interval(Duration::from_millis(20));
        loop {
            tick.tick().await;
            if TcpStream::connect(self.addr).await.is_ok() {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                bail!("{} exited with {status} before listening", self.name);
            }
            if Instant::now() >= deadline {
                bail!(
                    "{} did not listen on {} within {START:?}",
                    self.name,
                    self.addr
                );
            }
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now, in KiB (`VmRSS`).
    pub fn rss_kib(&self) -> Option<u64> {
        status_kib(self.pid(), "VmRSS:")
    }

    /// Peak resident memory since the child started, in KiB (`VmHWM`).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        status_kib(self.pid(), "VmHWM:")
    }

    /// `Some(status)` if the child has exited (crashed, aborted, panicked out of main).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `kB` field of `/proc/<pid>/status` (Linux), if readable.
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
