//! Generated certificates say what they should, and loading bad PEM files fails
//! with a message that names the file and the problem.

use std::fs;
use std::path::Path;

use auth::certs::{CertOptions, CertSet, files};
use auth::mode::Flags;

use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};

/// The glue's check of `--certs DIR` holding `names`.
fn check_pem(dir: &Path, names: &[&str]) -> anyhow::Result<()> {
    let flags = Flags {
        certs: Some(dir.to_owned()),
        ..Flags::default()
    };
    flags.certs(names).map(drop)
}

fn parse(pem: &str) -> Vec<u8> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    CertificateDer::from_pem_slice(pem.as_bytes())
        .unwrap()
        .to_vec()
}

#[test]
fn the_server_certificate_names_every_local_address_and_is_valid_now() {
    let set = CertSet::generate(&CertOptions::default()).unwrap();
    let der = parse(&set.0.iter().find(|f| f.0 == files::SERVER_CERT).unwrap().1);
    let (_, cert) = X509Certificate::from_der(&der).unwrap();
    let san = cert.subject_alternative_name().unwrap().unwrap();
    let names: Vec<String> = san
        .value
        .general_names
        .iter()
        .map(|name| match name {
            GeneralName::DNSName(dns) => dns.to_string(),
            GeneralName::IPAddress(ip) => format!("{ip:?}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], "localhost");
    assert_eq!(names[1], format!("{:?}", [127u8, 0, 0, 1]));
    assert_eq!(
        names[2],
        format!("{:?}", std::net::Ipv6Addr::LOCALHOST.octets())
    );
    // Valid now, and for the 90 days a leaf gets (tests/expiry.rs checks the windows).
    assert!(cert.validity().is_valid());
    let days = (cert.validity().not_after.timestamp() - cert.validity().not_before.timestamp())
        / (24 * 60 * 60);
    assert_eq!(days, 90);
    let ca_der = parse(&set.0[0].1);
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    assert!(ca.is_ca());
    assert_eq!(cert.issuer(), ca.subject());
}

#[test]
fn gen_certs_writes_six_files_and_keeps_keys_private() {
    let certs = auth::gen_certs::temp_certs(&CertOptions::default()).unwrap();
    for name in [
        files::CA_CERT,
        files::CA_KEY,
        files::SERVER_CERT,
        files::SERVER_KEY,
        files::CLIENT_CERT,
        files::CLIENT_KEY,
    ] {
        let text = fs::read_to_string(certs.path().join(name)).unwrap();
        assert!(text.starts_with("-----BEGIN "), "{name}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(certs.path().join(files::SERVER_KEY))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "server.key is readable by others: {mode:o}"
        );
    }
    let all = [
        files::CA_CERT,
        files::SERVER_CERT,
        files::SERVER_KEY,
        files::CLIENT_CERT,
        files::CLIENT_KEY,
    ];
    check_pem(certs.path(), &all).unwrap();
}

#[test]
fn each_bad_file_gets_its_own_clear_error() {
    let certs = auth::gen_certs::temp_certs(&CertOptions::default()).unwrap();
    let bad = tempfile::tempdir().unwrap();
    let copy =
        |from: &str, to: &str| fs::copy(certs.path().join(from), bad.path().join(to)).unwrap();

    let error = check_pem(bad.path(), &["nope.pem"])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("cannot read") && error.contains("nope.pem"),
        "{error}"
    );
    // A key file where a certificate should be, and the other way round.
    copy(files::SERVER_KEY, files::SERVER_CERT);
    copy(files::SERVER_CERT, files::SERVER_KEY);
    let error = check_pem(bad.path(), &[files::SERVER_CERT])
        .unwrap_err()
        .to_string();
    assert!(error.contains("server.pem holds no certificate"), "{error}");
    let error = check_pem(bad.path(), &[files::SERVER_KEY])
        .unwrap_err()
        .to_string();
    assert!(error.contains("server.key holds no private key"), "{error}");
}

/// The client's key with the server's certificate: the listed server refuses to
/// start rather than fail every handshake.
#[test]
fn a_key_that_does_not_match_its_certificate_stops_the_server() {
    let certs = auth::gen_certs::temp_certs(&CertOptions::default()).unwrap();
    let bad = tempfile::tempdir().unwrap();
    fs::copy(
        certs.path().join(files::SERVER_CERT),
        bad.path().join(files::SERVER_CERT),
    )
    .unwrap();
    fs::copy(
        certs.path().join(files::CLIENT_KEY),
        bad.path().join(files::SERVER_KEY),
    )
    .unwrap();
    let error = auth::tls::server::router(bad.path()).expect_err("a mismatched key is refused");
    assert!(
        format!("{error:?}").to_lowercase().contains("key"),
        "{error:?}"
    );
}
