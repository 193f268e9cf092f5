//! `gen-certs --reissue` issues new server and client certificates under the CA
//! already in the folder: clients that trust its `ca.pem` keep working.

mod common;

use std::process::Command;

use auth::certs::files;
use common::{assert_served, certs, tls_client};

fn gen_certs(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_auth"))
        .args(["gen-certs", "--out"])
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

#[tokio::test]
async fn reissued_certificates_are_trusted_by_the_same_ca() {
    let certs = certs();
    let dir = certs.path();
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let (ca, ca_key, server) = (
        read(files::CA_CERT),
        read(files::CA_KEY),
        read(files::SERVER_CERT),
    );

    let out = gen_certs(&["--reissue"], dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Four files rewritten; the CA's stay as they were.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(!stdout.contains(files::CA_CERT), "{stdout}");
    assert_eq!(read(files::CA_CERT), ca);
    assert_eq!(read(files::CA_KEY), ca_key);
    assert_ne!(read(files::SERVER_CERT), server);
    #[cfg(unix)]
    for key in [files::SERVER_KEY, files::CLIENT_KEY] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(key))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{key}");
    }

    // The new server certificate and key load, and a client trusting the old
    // ca.pem is served over TLS and over mutual TLS.
    for mutual in [false, true] {
        let server = common::start_tls(&certs, mutual).await;
        assert_served_or_greeted(&server.url, &certs, mutual).await;
        server.running.stop().await.unwrap();
    }
}

async fn assert_served_or_greeted(url: &str, certs: &tempfile::TempDir, mutual: bool) {
    if mutual {
        let greeting = common::hello(url, tls_client(certs, true)).await.unwrap();
        assert_eq!(greeting, "Hello, workshop-client!");
    } else {
        assert_served(url, tls_client(certs, false)).await;
    }
}

#[test]
fn reissue_needs_the_ca_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = gen_certs(&["--reissue"], dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ca.pem"), "{stderr}");
}
