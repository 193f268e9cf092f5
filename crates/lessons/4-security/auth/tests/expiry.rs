//! `auth gen-certs` (the binary itself) issues certificates that expire: the CA
//! within a year, path length 0; the server and client within 90 days, each for
//! its one purpose; all starting an hour early for clock skew. The CA key is kept,
//! and every private key file is owner-only.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use auth::certs::{CLOCK_SKEW, files};
use x509_parser::prelude::{FromDer, X509Certificate};

const DAY: i64 = 24 * 60 * 60;

fn der(path: &Path) -> Vec<u8> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    CertificateDer::from_pem_file(path).unwrap().to_vec()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Checks `cert` starts about [`CLOCK_SKEW`] before `made` and lasts at most `days`.
fn assert_window(name: &str, cert: &X509Certificate<'_>, made: (i64, i64), days: u64) {
    let (before, after) = (
        cert.validity().not_before.timestamp(),
        cert.validity().not_after.timestamp(),
    );
    let skew = CLOCK_SKEW.as_secs() as i64;
    assert!(
        before >= made.0 - skew - 1 && before <= made.1 - skew + 1,
        "{name}: not_before {before} is not an hour before {made:?}"
    );
    assert!(after > made.1, "{name}: already expired");
    let window = after - before;
    assert!(
        window <= days as i64 * DAY,
        "{name}: valid for {} days, more than {days}",
        window / DAY
    );
}

#[test]
fn gen_certs_issues_certificates_that_expire() {
    let dir = tempfile::tempdir().unwrap();
    let start = now();
    let out = Command::new(env!("CARGO_BIN_EXE_auth"))
        .args(["gen-certs", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    let made = (start, now());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(files::CA_KEY), "{stderr}");

    let ca_der = der(&dir.path().join(files::CA_CERT));
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    assert_window("ca.pem", &ca, made, 365);
    let constraints = ca
        .basic_constraints()
        .unwrap()
        .expect("CA basic constraints");
    assert!(constraints.value.ca);
    assert_eq!(constraints.value.path_len_constraint, Some(0));

    for (name, server) in [(files::SERVER_CERT, true), (files::CLIENT_CERT, false)] {
        let leaf_der = der(&dir.path().join(name));
        let (_, leaf) = X509Certificate::from_der(&leaf_der).unwrap();
        assert_window(name, &leaf, made, 90);
        assert!(!leaf.is_ca(), "{name}");
        assert_eq!(leaf.issuer(), ca.subject(), "{name}");
        assert!(
            leaf.validity().not_after.timestamp() <= ca.validity().not_after.timestamp(),
            "{name} outlives its CA"
        );
        let eku = leaf.extended_key_usage().unwrap().expect("EKU").value;
        assert_eq!(
            (eku.server_auth, eku.client_auth, eku.any),
            (server, !server, false),
            "{name}: {eku:?}"
        );
    }

    #[cfg(unix)]
    for key in [files::CA_KEY, files::SERVER_KEY, files::CLIENT_KEY] {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.path().join(key);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{key}: mode {:o}", mode & 0o777);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("-----BEGIN PRIVATE KEY-----"), "{key}");
    }
    // The signing secret: 32 random bytes as hex, owner-only from creation.
    let secret_path = dir.path().join(files::SECRET);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "secret: mode {:o}", mode & 0o777);
    }
    let secret = std::fs::read_to_string(&secret_path).unwrap();
    assert!(auth::signing::SigningKey::new("demo-key", secret.trim()).is_ok());
}

/// `openssl x509 -dates`, where the machine has it, reads the same windows.
#[test]
fn openssl_agrees_on_the_dates() {
    let Ok(probe) = Command::new("openssl").arg("version").output() else {
        eprintln!("no openssl: skipped");
        return;
    };
    assert!(probe.status.success());
    let certs = auth::gen_certs::temp_certs(&auth::certs::CertOptions::default()).unwrap();
    for (name, days) in [(files::CA_CERT, 365), (files::SERVER_CERT, 90)] {
        let path = certs.path().join(name);
        // -checkend N: exits 0 when the certificate is still valid N seconds from now.
        let valid_in = |seconds: i64| {
            Command::new("openssl")
                .args(["x509", "-noout", "-checkend", &seconds.to_string(), "-in"])
                .arg(&path)
                .output()
                .unwrap()
                .status
                .success()
        };
        assert!(valid_in(DAY), "{name} expires within a day");
        assert!(
            !valid_in(days * DAY),
            "{name} is valid for more than {days} days"
        );
    }
}
