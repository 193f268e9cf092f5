//! Generated certificates say what they should, and loading bad PEM files fails
//! with a message that names the file and the problem.

use std::fs;

use auth::certs::{CertOptions, CertSet, TempCerts, files};
use auth::pem::{PemError, load_ca, load_identity};
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};

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
    let der = parse(&set.server_cert);
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
    let ca_der = parse(&set.ca_cert);
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    assert!(ca.is_ca());
    assert_eq!(cert.issuer(), ca.subject());
}

#[test]
fn gen_certs_writes_six_files_and_keeps_keys_private() {
    let certs = TempCerts::generate(&CertOptions::default()).unwrap();
    for name in [
        files::CA_CERT,
        files::CA_KEY,
        files::SERVER_CERT,
        files::SERVER_KEY,
        files::CLIENT_CERT,
        files::CLIENT_KEY,
    ] {
        let text = fs::read_to_string(certs.dir().join(name)).unwrap();
        assert!(text.starts_with("-----BEGIN "), "{name}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(certs.dir().join(files::SERVER_KEY))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "server.key is readable by others: {mode:o}"
        );
    }
    load_identity(
        &certs.dir().join(files::SERVER_CERT),
        &certs.dir().join(files::SERVER_KEY),
    )
    .unwrap();
    load_identity(
        &certs.dir().join(files::CLIENT_CERT),
        &certs.dir().join(files::CLIENT_KEY),
    )
    .unwrap();
    load_ca(&certs.dir().join(files::CA_CERT)).unwrap();
}

#[test]
fn each_bad_file_gets_its_own_clear_error() {
    let certs = TempCerts::generate(&CertOptions::default()).unwrap();
    let dir = certs.dir();
    let (cert, key) = (dir.join(files::SERVER_CERT), dir.join(files::SERVER_KEY));

    let missing = dir.join("nope.pem");
    let error = load_ca(&missing).unwrap_err();
    assert!(matches!(error, PemError::Read { .. }));
    assert!(error.to_string().contains("nope.pem"), "{error}");

    // A key file where a certificate should be.
    let error = load_ca(&key).unwrap_err();
    assert!(matches!(error, PemError::NoCertificate { .. }), "{error}");
    assert!(error.to_string().contains("holds no certificate"));

    // A certificate where the key should be.
    let error = load_identity(&cert, &cert).unwrap_err();
    assert!(matches!(error, PemError::NoPrivateKey { .. }), "{error}");
    assert!(error.to_string().contains("holds no private key"));

    // The client's key with the server's certificate.
    let error = load_identity(&cert, &dir.join(files::CLIENT_KEY)).unwrap_err();
    assert!(matches!(error, PemError::KeyMismatch { .. }), "{error}");
    assert!(error.to_string().contains("does not match"));

    let broken = dir.join("broken.pem");
    fs::write(&broken, "-----BEGIN CERTIFICATE-----\nnot base64!\n").unwrap();
    let error = load_ca(&broken).unwrap_err();
    assert!(matches!(error, PemError::Malformed { .. }), "{error}");
}
