//! Test helpers: run a lesson's real binary and read what it printed.
//!
//! Listings print with `println!`, as the tutorial's programs `print()`; tests
//! check those lines by running the binary Cargo built for them
//! (`env!("CARGO_BIN_EXE_<name>")`) against a server on a real socket.

use std::process::Command;

/// What a finished program printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Whether it exited with status 0.
    pub success: bool,
    /// Its stdout, line by line.
    pub lines: Vec<String>,
    /// Its stderr, whole.
    pub stderr: String,
}

/// Runs `program` with `args` to the end, off the async runtime's threads.
pub async fn run_binary<I, S>(program: &str, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let program = program.to_owned();
    let args: Vec<String> = args.into_iter().map(Into::into).collect();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(&program)
            .args(&args)
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap_or_else(|error| panic!("cannot run {program}: {error}"))
    })
    .await
    .expect("the program's thread");
    Output {
        success: output.status.success(),
        lines: String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Starts `command` (a lesson's `server --addr 127.0.0.1:0 …`) and returns the
/// address it bound, read from its `listening on ADDR` log line.
///
/// The server picks its own free port: a test that binds port 0, releases it and
/// hands the number over races every other test for it. `RUST_LOG` is extended so
/// [`crate::server::bind`]'s line is logged; everything the child writes to stderr
/// is passed on to this process's stderr. `None` if the child exits or says nothing
/// of the kind within `patience`; the child is then the caller's to kill.
pub fn spawn_listening(
    command: &mut Command,
    patience: std::time::Duration,
) -> std::io::Result<(std::process::Child, Option<std::net::SocketAddr>)> {
    use std::io::BufRead;
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "error".to_owned());
    let mut child = command
        .env("RUST_LOG", format!("{filter},lesson_kit::server=info"))
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let stderr = std::io::BufReader::new(child.stderr.take().expect("piped stderr"));
    let (found, addr) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut found = Some(found);
        for line in stderr.lines().map_while(Result::ok) {
            let bound = line
                .split_once("listening on ")
                .and_then(|(_, rest)| rest.split_whitespace().next()?.parse().ok());
            match (bound, found.take()) {
                (Some(addr), Some(sender)) => {
                    let _ = sender.send(addr);
                }
                (_, sender) => {
                    found = sender;
                    eprintln!("{line}");
                }
            }
        }
    });
    Ok((child, addr.recv_timeout(patience).ok()))
}
