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
