//! The binary's command line: `revoke` writes a CRL, `server` and `client` run
//! apart over it, and the demo prints each step it proves.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use lesson_kit::testing::{run_binary, spawn_listening};
use tls_control::pki;

const BIN: &str = env!("CARGO_BIN_EXE_tls-control");

#[tokio::test]
async fn revoke_then_server_and_client_apart() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().to_str().unwrap().to_owned();
    pki::write_set(folder.path(), "workshop-client").unwrap();
    let revoked = run_binary(BIN, ["revoke", "--certs", &dir]).await;
    assert!(revoked.success, "{}", revoked.stderr);
    assert_eq!(
        revoked.lines,
        [format!("wrote {dir}/crl.pem revoking 0 certificate(s)")]
    );

    let (mut server, addr) = spawn_listening(
        Command::new(BIN)
            .args([
                "server",
                "--addr",
                "127.0.0.1:0",
                "--certs",
                &dir,
                "--reload-every",
                "10ms",
            ])
            .stdout(Stdio::piped()),
        Duration::from_secs(30),
    )
    .unwrap();
    let mut said = BufReader::new(server.stdout.take().unwrap()).lines();
    let addr = addr.expect("the server listens");
    let client = run_binary(
        BIN,
        [
            "client",
            "--addr",
            &format!("localhost:{}", addr.port()),
            "--client-certs",
            &dir,
        ],
    )
    .await;
    assert!(client.success, "{}", client.stderr);
    assert_eq!(client.lines, ["Greeter client received: Hello, jack!"]);

    // Revoked while the server runs: the next client is refused.
    let client_pem = format!("{dir}/{}", pki::CLIENT_CERT);
    let revoked = run_binary(BIN, ["revoke", "--certs", &dir, &client_pem]).await;
    assert!(revoked.success, "{}", revoked.stderr);
    // The reader goes back and forth so the server's stdout stays open.
    let (line, mut said) =
        tokio::task::spawn_blocking(move || (said.next().unwrap().unwrap(), said))
            .await
            .unwrap();
    assert_eq!(line, "server: now checking clients against the new CRL");
    let client = run_binary(
        BIN,
        [
            "client",
            "--addr",
            &format!("localhost:{}", addr.port()),
            "--client-certs",
            &dir,
        ],
    )
    .await;
    assert!(!client.success);
    assert!(
        client.stderr.starts_with("error: status "),
        "{}",
        client.stderr
    );
    // What tonic's client reports varies (the alert, or the connection closed
    // after it); the server says exactly why.
    let (line, said) = tokio::task::spawn_blocking(move || (said.next().unwrap().unwrap(), said))
        .await
        .unwrap();
    assert_eq!(
        line,
        "server: refused a connection: invalid peer certificate: Revoked"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    drop(said);
}

#[tokio::test]
async fn the_server_needs_its_certificates() {
    let output = run_binary(BIN, ["server", "--addr", "127.0.0.1:0"]).await;
    assert!(!output.success);
    assert!(
        output.stderr.contains("the server needs --certs DIR"),
        "{}",
        output.stderr
    );
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().to_str().unwrap();
    let output = run_binary(BIN, ["server", "--addr", "127.0.0.1:0", "--certs", dir]).await;
    assert!(!output.success);
    assert!(
        output.stderr.contains("cannot load the server certificate"),
        "{}",
        output.stderr
    );
}

#[tokio::test]
async fn the_demo_shows_each_step() {
    let demo = run_binary(BIN, ["--reload-every", "10ms", "--every", "20ms"]).await;
    assert!(demo.success, "{}", demo.stderr);
    let fingerprint = |line: &str| line.rsplit(':').next().unwrap().to_owned();
    let first = demo
        .lines
        .iter()
        .find(|l| l.starts_with("client: the server presents"))
        .unwrap();
    let swapped = demo
        .lines
        .iter()
        .find(|l| l.starts_with("server: now serving"))
        .unwrap();
    let second = demo
        .lines
        .iter()
        .find(|l| l.starts_with("client: a new connection gets"))
        .unwrap();
    assert_ne!(fingerprint(first), fingerprint(second));
    assert_eq!(fingerprint(swapped), fingerprint(second));
    for wanted in [
        "Greeter client received: Hello, jack!",
        "client: the stream outlived the swap: 5 greetings, status OK",
        "client stolen-laptop: refused: received fatal alert: CertificateRevoked",
        "client workshop-client, new connection: refused: received fatal alert: CertificateRevoked",
        "client workshop-client, connection made before: Hello, jack!",
    ] {
        assert!(
            demo.lines.iter().any(|l| l == wanted),
            "{wanted:?} not in {:#?}",
            demo.lines
        );
    }
    // The swap came after the first greeting of the stream and before the last.
    let at = |prefix: &str| {
        demo.lines
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap()
    };
    assert!(at("Greeter client received: Hello number 0") < at("server: now serving"));
    assert!(at("server: now serving") < at("Greeter client received: Hello number 4"));
}
