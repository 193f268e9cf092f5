//! The binary as a learner (or the interop script) runs it: `gen-certs`, then
//! `server` and `client` halves as separate processes, talking over a real socket.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const AUTH: &str = env!("CARGO_BIN_EXE_auth");

/// How long one client half, or a server's start, may take before the test calls it
/// hung. A child that outlives it is killed and the test fails: a hang never blocks
/// the suite.
const DEADLINE: Duration = Duration::from_secs(30);

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

/// Reads all of `pipe` on a thread; the text arrives on the returned channel at EOF.
fn read_to_end(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = sender.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    receiver
}

/// Runs `command` to its end, or kills it and fails the test after [`DEADLINE`].
fn run(command: &mut Command) -> Printed {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("auth runs");
    let stdout = read_to_end(child.stdout.take().unwrap());
    let stderr = read_to_end(child.stderr.take().unwrap());
    let mut collect = |pipe: &mpsc::Receiver<String>| {
        pipe.recv_timeout(DEADLINE).unwrap_or_else(|_| {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {DEADLINE:?}: killed");
        })
    };
    let (stdout, stderr) = (collect(&stdout), collect(&stderr));
    // Both pipes closed: the process is exiting.
    let status = child.wait().expect("auth exits");
    Printed {
        stdout,
        stderr,
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
    spawn_server(
        mode,
        auth(&[mode, "server", "--addr", "127.0.0.1:0"]).args(flags),
    )
}

/// Spawns a server `command` and waits (at most [`DEADLINE`]) for its port.
fn spawn_server(mode: &str, command: &mut Command) -> ServerProcess {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("server starts");
    let stdout = child.stdout.take().unwrap();
    let (sender, first_line) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let Ok(line) = first_line.recv_timeout(DEADLINE) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("auth {mode} server did not announce its port within {DEADLINE:?}: killed");
    };
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

/// What `auth <mode> server --addr ADDR <flags>` writes to stderr until it has
/// announced its port; then it is stopped.
fn stderr_until_started(mode: &str, addr: &str, flags: &[&str]) -> String {
    let mut command = auth(&[mode, "server", "--addr", addr]);
    let mut process = spawn_server(mode, command.args(flags).stderr(Stdio::piped()));
    let stderr = read_to_end(process.child.stderr.take().unwrap());
    let _ = process.child.kill();
    stderr
        .recv_timeout(DEADLINE)
        .expect("the server's stderr closes once it is killed")
}

fn gen_certs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = run(auth(&["gen-certs", "--out"]).arg(dir.path()));
    assert!(out.success, "{}", out.stderr);
    // ca.pem, server.pem/.key, client.pem/.key and the signing secret.
    assert_eq!(out.stdout.lines().count(), 6);
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
    assert!(out.stderr.contains("speaks TLS"), "{}", out.stderr);
}

/// The hole of issue 15: a TLS client given `HTTP://` (any case), another scheme or
/// `unix:` must refuse before dialling, never send its token in plaintext.
#[test]
fn tls_clients_refuse_every_non_https_address_before_connecting() {
    let certs = gen_certs();
    let dir = certs.path().to_str().unwrap();
    let secret = format!("{dir}/secret");
    // A plain socket: a client that dials it would show up in its accept queue. It
    // listens on a loopback address of this test's own (all of 127/8 is loopback),
    // so no other program's stray or retrying connection to a freed 127.0.0.1 port
    // can land in that queue and pass for the client's.
    let listener = std::net::TcpListener::bind("127.9.4.2:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let addresses = [
        format!("HTTP://127.9.4.2:{port}"),
        format!("Http://127.9.4.2:{port}"),
        format!("http://127.9.4.2:{port}"),
        format!("grpc://127.9.4.2:{port}"),
        "unix:/tmp/grpc.sock".to_owned(),
    ];
    for (mode, flags) in [
        (
            "combined",
            vec!["--certs", dir, "--token", "t0ken-that-must-not-leak"],
        ),
        ("tls", vec!["--certs", dir]),
        ("mtls", vec!["--certs", dir]),
        ("custom", vec!["--certs", dir, "--secret-file", &secret]),
    ] {
        for addr in &addresses {
            let out = run(auth(&[mode, "client", "--addr", addr]).args(&flags));
            assert!(!out.success, "{mode} {addr}: {}", out.stdout);
            assert!(
                out.stderr.contains("speaks TLS") && out.stderr.contains("https://"),
                "{mode} {addr}: {}",
                out.stderr
            );
            assert!(!out.stderr.contains("t0ken-that-must-not-leak"));
            let accepted = listener.accept();
            assert!(
                matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
                "{mode} {addr}: the client opened a connection: {accepted:?}"
            );
        }
    }
}

/// `custom` runs inside TLS when both halves get `--certs`; the secret comes from
/// a file, never from the command line.
#[test]
fn custom_runs_over_tls_with_certs() {
    let certs = gen_certs();
    let dir = certs.path().to_str().unwrap();
    let secret = certs.path().join("secret");
    // gen-certs wrote the secret: 32 random bytes as hex, mode 0600.
    let secret = secret.to_str().unwrap();
    let custom = server("custom", &["--certs", dir, "--secret-file", secret]);
    let flags = ["--certs", dir, "--secret-file", secret, "--name", "Ann"];
    let out = run(&mut client("custom", &custom, &flags));
    assert_eq!(out.stdout, greeted("Ann"), "{}", out.stderr);
    // Without --certs (and without --plaintext) the client refuses to call at all.
    let out = run(&mut client("custom", &custom, &["--secret-file", secret]));
    assert!(!out.success, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("refusing to send signed calls in plaintext"),
        "{}",
        out.stderr
    );
    // With --plaintext it speaks plaintext, and the TLS server hangs up.
    let flags = ["--secret-file", secret, "--plaintext"];
    let out = run(&mut client("custom", &custom, &flags));
    assert!(!out.success, "{}", out.stdout);
}

/// Signed calls go in plaintext only when asked for, and only on loopback: a
/// `custom` server without `--certs` refuses to start without `--plaintext`, and
/// with it on an address other machines reach; the client refuses a non-loopback
/// server in plaintext even with `--plaintext`.
#[test]
fn custom_refuses_plaintext_unless_asked_for_on_loopback() {
    let secret = [
        "--secret",
        "5f0c2a9d8e7b41c3a6d2f0e19b8c7a655f0c2a9d8e7b41c3a6d2f0e19b8c7a65",
    ];
    for (addr, flags) in [
        ("127.0.0.1:0", &secret[..]),
        ("0.0.0.0:0", &[&secret[..], &["--plaintext"]].concat()[..]),
    ] {
        let out = run(auth(&["custom", "server", "--addr", addr]).args(flags));
        assert!(!out.success, "{addr}: {}", out.stdout);
        assert!(
            out.stderr
                .contains("refusing to serve signed calls in plaintext"),
            "{addr}: {}",
            out.stderr
        );
    }
    let out = run(auth(&[
        "custom",
        "client",
        "--addr",
        "192.0.2.1:50051",
        "--plaintext",
    ])
    .args(secret));
    assert!(!out.success, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("refusing to send signed calls in plaintext"),
        "{}",
        out.stderr
    );
    let server = server("custom", &[&secret[..], &["--plaintext"]].concat());
    let out = run(&mut client(
        "custom",
        &server,
        &[&secret[..], &["--plaintext"]].concat(),
    ));
    assert_eq!(out.stdout, greeted("Jack"), "{}", out.stderr);
}

/// The plaintext `token` server says so, loudly, when it listens where other
/// machines can reach it; on loopback it stays quiet. (`custom` refuses instead:
/// `custom_refuses_plaintext_unless_asked_for_on_loopback`.)
#[test]
fn plaintext_credential_servers_warn_when_reachable_from_the_network() {
    let flags = ["--token", "t0ken"];
    let exposed = stderr_until_started("token", "0.0.0.0:0", &flags);
    assert!(
        exposed.contains("warning: serving in PLAINTEXT on 0.0.0.0:"),
        "{exposed}"
    );
    let local = stderr_until_started("token", "127.0.0.1:0", &flags);
    assert!(!local.contains("PLAINTEXT"), "{local}");
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

/// Each mode's command line is lesson-kit's, with both halves' flags side by side in
/// `demo`: clap's own consistency checks pass for every mode.
#[test]
fn every_mode_command_line_is_well_formed() {
    use auth::mode::{ClientArgs, Shared};
    fn check<const M: u8>() {
        lesson_kit::cli::command::<Shared<M>, ClientArgs<M>>("auth mode", "about").debug_assert();
    }
    check::<0>();
    check::<1>();
    check::<2>();
    check::<3>();
    check::<4>();
}
