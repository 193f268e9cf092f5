//! The binary as a learner (or the interop script) runs it: `gen-certs`, then
//! `server` and `client` halves as separate processes, talking over a real socket.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

const AUTH: &str = env!("CARGO_BIN_EXE_auth");

/// `auth ARGS`, with no credentials leaking in from the environment.
fn auth(args: &[&str]) -> Command {
    let mut command = Command::new(AUTH);
    command
        .args(args)
        .env_remove("GRPC_DEMO_TOKEN")
        .env_remove("GRPC_DEMO_SECRET");
    command
}

/// What a client half prints: stdout, stderr, and whether it exited 0.
struct Printed {
    stdout: String,
    stderr: String,
    success: bool,
}

fn run(command: &mut Command) -> Printed {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("auth runs");
    Printed {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        success: status.success(),
    }
}

/// `auth <mode> client --addr <server> <flags>`.
fn client(mode: &str, server: &ServerProcess, flags: &[&str]) -> Command {
    let mut command = auth(&[mode, "client", "--addr", &server.addr]);
    command.args(flags);
    command
}

fn greeted(name: &str) -> String {
    format!("Greeter client received: Hello, {name}!\n")
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
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    ServerProcess {
        child,
        addr: format!("127.0.0.1:{port}"),
    }
}

fn gen_certs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = run(auth(&["gen-certs", "--out"]).arg(dir.path()));
    assert!(out.success, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 5);
    dir
}

#[test]
fn tls_and_mtls_halves_work_with_generated_certificates() {
    let certs = gen_certs();
    let dir = certs.path().to_str().unwrap();
    let tls = server("tls", &["--certs", dir]);
    let out = run(&mut client("tls", &tls, &["--certs", dir, "--name", "Ann"]));
    assert_eq!(out.stdout, greeted("Ann"), "{}", out.stderr);

    // The mTLS server greets the certificate, whatever name the request carries.
    let mtls = server("mtls", &["--certs", dir]);
    let out = run(&mut client(
        "mtls",
        &mtls,
        &["--certs", dir, "--name", "Mallory"],
    ));
    assert_eq!(out.stdout, greeted("workshop-client"), "{}", out.stderr);
}

#[test]
fn a_refused_call_prints_its_status_to_stderr_and_fails() {
    let certs = gen_certs();
    let dir = certs.path().to_str().unwrap();
    let combined = server(
        "combined",
        &["--certs", dir, "--token", "server-side-token"],
    );
    let out =
        run(client("combined", &combined, &["--certs", dir]).env("GRPC_DEMO_TOKEN", "guessed"));
    assert!(!out.success && out.stdout.is_empty());
    assert!(
        out.stderr.contains("UNAUTHENTICATED: invalid bearer token"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("guessed") && !out.stderr.contains("server-side-token"));

    let token_file = certs.path().join("token.txt");
    std::fs::write(&token_file, "server-side-token\n").unwrap();
    let mut with_file = client("combined", &combined, &["--certs", dir, "--token-file"]);
    let out = run(with_file.arg(&token_file));
    assert_eq!(out.stdout, greeted("Jack"), "{}", out.stderr);
}

#[test]
fn a_token_is_not_sent_in_plaintext_without_the_flag() {
    let token = server("token", &["--token", "t0ken"]);
    let out = run(&mut client("token", &token, &["--token", "t0ken"]));
    assert!(!out.success);
    assert!(out.stderr.contains("FAILED_PRECONDITION"), "{}", out.stderr);
    assert!(
        out.stderr.contains("--allow-insecure-token"),
        "{}",
        out.stderr
    );
    let allowed = ["--token", "t0ken", "--allow-insecure-token"];
    assert_eq!(
        run(&mut client("token", &token, &allowed)).stdout,
        greeted("Jack")
    );
}

#[test]
fn a_tls_mode_refuses_a_plaintext_address() {
    let certs = gen_certs();
    let dir = certs.path().to_str().unwrap();
    let tls = server("tls", &["--certs", dir]);
    let plaintext = format!("http://{}", tls.addr);
    let out = run(&mut auth(&[
        "tls", "client", "--certs", dir, "--addr", &plaintext,
    ]));
    assert!(!out.success);
    assert!(
        out.stderr.contains("this mode speaks TLS"),
        "{}",
        out.stderr
    );
}

#[test]
fn missing_credentials_are_explained() {
    let out = run(&mut auth(&["tls", "server", "--addr", "127.0.0.1:0"]));
    assert!(!out.success);
    assert!(
        out.stderr.contains("--certs DIR is required"),
        "{}",
        out.stderr
    );
    let out = run(&mut auth(&["custom", "client"]));
    assert!(!out.success);
    assert!(out.stderr.contains("no secret"), "{}", out.stderr);
}

#[test]
fn every_demo_runs_end_to_end() {
    for (mode, name) in [
        ("tls", "Jack"),
        ("mtls", "workshop-client"),
        ("token", "Jack"),
        ("combined", "Jack"),
        ("custom", "Jack"),
    ] {
        let out = run(&mut auth(&[mode]));
        assert!(out.success, "{mode}: {}", out.stderr);
        assert!(
            out.stdout.starts_with("Server started, listening on "),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout.ends_with(&greeted(name)),
            "{mode}: {}",
            out.stdout
        );
    }
}
