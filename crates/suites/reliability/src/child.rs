//! A server under test as a real child process: a lesson binary started with
//! `server --addr 127.0.0.1:PORT`, the CLI contract every lesson keeps.
//!
//! A separate process is what lets a test read the *server's* memory alone
//! (`/proc/<pid>/status`: `VmRSS` now, `VmHWM` its peak), and a crash or an abort
//! in the server shows up as an exit status instead of taking the test with it.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

/// How long a child server may take to start listening.
const START: Duration = Duration::from_secs(20);

/// A server running as a child process; killed when dropped.
#[derive(Debug)]
pub struct ChildServer {
    child: Child,
    addr: SocketAddr,
}

impl ChildServer {
    /// Runs `program server --addr 127.0.0.1:0 extra...` and waits (bounded)
    /// until it says which port it bound and accepts connections there.
    pub async fn start(program: &Path, extra: &[&str]) -> anyhow::Result<Self> {
        let name = program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let program_path = program.to_owned();
        let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
        let (mut child, addr) = tokio::task::spawn_blocking(move || {
            let mut command = Command::new(&program_path);
            command
                .args(["server", "--addr", "127.0.0.1:0"])
                .args(&extra)
                .stdin(Stdio::null())
                .stdout(Stdio::null());
            if std::env::var_os("RUST_LOG").is_none() {
                // An attacked server logs a warning per refused frame: keep errors only.
                command.env("RUST_LOG", "error");
            }
            lesson_kit::testing::spawn_listening(&mut command, START)
        })
        .await?
        .with_context(|| format!("starting {}", program.display()))?;
        let Some(addr) = addr else {
            let _ = child.kill();
            let status = child.wait()?;
            bail!("{name} did not say where it listens within {START:?} ({status})");
        };
        if !addr.ip().is_loopback() {
            bail!("{name} listens on {addr}, not on loopback");
        }
        Ok(Self { child, addr })
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
