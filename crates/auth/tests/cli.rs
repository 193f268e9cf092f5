//! The binary as a learner (or the interop script) runs it: `gen-certs`, then
//! `server` and `client` halves as separate processes, talking over a real socket.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

const AUTH: &str = env!("CARGO_BIN_EXE_auth");

fn auth(args: &[&str]) -> Command {
    let mut command = Command::new(AUTH);
    command
        .args(args)
        .env_remove("GRPC_DEMO_TOKEN")
        .env_remove("GRPC_DEMO_SECRET");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("auth runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A server child process, killed on drop.
struct ServerProcess {
    child: Child,
    addr: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `auth <mode> server --addr 127.0.0.1:0 <flags>` and waits for its
/// "Server started, listening on PORT" line.
fn server(mode: &str, flags: &[&str]) -> ServerProcess {
    let mut child = auth(&[mode, "server", "--addr", "127.0.0.1:0"])
        .args(flags)
        .stdout(Stdio::piped())
        .spawn()
        .expect("server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("Server started, listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let addr = format!("127.0.0.1:{port}");
    ServerProcess { child, addr }
}

fn gen_certs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = run(auth(&["gen-certs", "--out"]).arg(dir.path()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 5);
    dir
}

#[test]
fn tls_and_mtls_halves_work_with_generated_certificates() {
    let certs = gen_certs();
    let dir = certs.path().to_str().unwrap();
    let tls = server("tls", &["--certs", dir]);
    let out = run(&mut auth(&[
        "tls", "client", "--addr", &tls.addr, "--certs", dir, "--name", "Ann",
    ]));
    assert_eq!(
        text(&out.stdout),
        "Greeter client received: Hello, Ann!\n",
        "{}",
        text(&out.stderr)
    );

    let mtls = server("mtls", &["--certs", dir]);
    let out = run(&mut auth(&[
        "mtls", "client", "--addr", &mtls.addr, "--certs", dir,
    ]));
    assert_eq!(
        text(&out.stdout),
        "Greeter client received: Hello, workshop-client!\n"
    );
}

#[test]
fn a_refused_call_prints_its_status_to_stderr_and_fails() {
    let certs = gen_certs();
    let dir = certs.path().to_str().unwrap();
    let combined = server(
        "combined",
        &["--certs", dir, "--token", "server-side-token"],
    );
    let out = run(auth(&[
        "combined",
        "client",
        "--addr",
        &combined.addr,
        "--certs",
        dir,
    ])
    .env("GRPC_DEMO_TOKEN", "guessed-token"));
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("UNAUTHENTICATED: invalid bearer token"),
        "{stderr}"
    );
    assert!(!stderr.contains("guessed-token") && !stderr.contains("server-side-token"));
    assert!(out.stdout.is_empty());

    let token_file = certs.path().join("token.txt");
    std::fs::write(&token_file, "server-side-token\n").unwrap();
    let out = run(auth(&[
        "combined",
        "client",
        "--addr",
        &combined.addr,
        "--certs",
        dir,
        "--token-file",
    ])
    .arg(&token_file));
    assert_eq!(
        text(&out.stdout),
        "Greeter client received: Hello, Jack!\n",
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_token_is_not_sent_in_plaintext_without_the_flag() {
    let token = server("token", &["--token", "t0ken"]);
    let out = run(&mut auth(&[
        "token",
        "client",
        "--addr",
        &token.addr,
        "--token",
        "t0ken",
    ]));
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("FAILED_PRECONDITION") && stderr.contains("--allow-insecure-token"),
        "{stderr}"
    );
    let out = run(&mut auth(&[
        "token",
        "client",
        "--addr",
        &token.addr,
        "--token",
        "t0ken",
        "--allow-insecure-token",
    ]));
    assert_eq!(text(&out.stdout), "Greeter client received: Hello, Jack!\n");
}

#[test]
fn missing_credentials_are_explained() {
    let out = run(&mut auth(&["tls", "server", "--addr", "127.0.0.1:0"]));
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--certs DIR is required"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&mut auth(&["custom", "client"]));
    assert!(
        text(&out.stderr).contains("no secret"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn every_demo_runs_end_to_end() {
    for (mode, greeting) in [
        ("tls", "Hello, Jack!"),
        ("mtls", "Hello, workshop-client!"),
        ("token", "Hello, Jack!"),
        ("combined", "Hello, Jack!"),
        ("custom", "Hello, Jack!"),
    ] {
        let out = run(&mut auth(&[mode]));
        assert!(out.status.success(), "{mode}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(
            stdout.starts_with("Server started, listening on "),
            "{stdout}"
        );
        assert!(
            stdout.ends_with(&format!("Greeter client received: {greeting}\n")),
            "{mode}: {stdout}"
        );
    }
}
