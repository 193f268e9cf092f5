//! Client certificates against a CRL: a revoked client is refused at the
//! handshake, others are served, and a new CRL applies to new handshakes.

mod common;

use common::TestServer;
use tls_control::pki::{self, Ca};
use tls_control::{connect, revoke, say_hello};

fn routes() -> tonic::service::Routes {
    tls_control::routes(&tls_control::ServerFlags {
        certs: None,
        reload_every: std::time::Duration::from_millis(10).into(),
        messages: 1,
        every: std::time::Duration::ZERO.into(),
    })
}

fn refusal(handshake: tls_control::probe::Handshake) -> String {
    handshake
        .accepted
        .expect_err("the server refused the client")
        .to_string()
}

#[tokio::test]
async fn a_revoked_client_is_refused_and_an_unrevoked_one_served() {
    let server = TestServer::start(routes()).await;
    pki::write_pair(
        server.dir(),
        ("stolen.pem", "stolen.key"),
        &server.ca.client("stolen-laptop").unwrap(),
    )
    .unwrap();
    let mut configs = server.tls.configs.clone();
    revoke(server.dir(), &[server.file("stolen.pem")]).unwrap();
    configs.changed().await.unwrap();

    let refused = refusal(server.handshake_as("stolen.pem", "stolen.key").await);
    assert_eq!(refused, "received fatal alert: CertificateRevoked");
    let served = server.handshake().await;
    assert!(served.accepted.is_ok(), "{:?}", served.accepted);

    // Through tonic, the revoked client's call fails (reported as the alert, or
    // as the connection closed after it: which one varies).
    let stolen = tempfile::tempdir().unwrap();
    std::fs::copy(server.file(pki::CA_CERT), stolen.path().join(pki::CA_CERT)).unwrap();
    std::fs::copy(
        server.file("stolen.pem"),
        stolen.path().join(pki::CLIENT_CERT),
    )
    .unwrap();
    std::fs::copy(
        server.file("stolen.key"),
        stolen.path().join(pki::CLIENT_KEY),
    )
    .unwrap();
    let outcome = match connect(&server.url(), stolen.path()).await {
        Ok(channel) => say_hello(channel, "Ana")
            .await
            .map_err(|s| format!("{s:?}")),
        Err(error) => Err(format!("{error:?}")),
    };
    outcome.expect_err("the revoked client is not served");

    let channel = connect(&server.url(), server.dir()).await.unwrap();
    assert_eq!(say_hello(channel, "Ana").await.unwrap(), "Hello, Ana!");
    server.stop().await;
}

#[tokio::test]
async fn a_new_crl_refuses_new_handshakes_and_leaves_open_connections() {
    let server = TestServer::start(routes()).await;
    let channel = connect(&server.url(), server.dir()).await.unwrap();
    assert_eq!(
        say_hello(channel.clone(), "Ana").await.unwrap(),
        "Hello, Ana!"
    );

    let mut configs = server.tls.configs.clone();
    revoke(server.dir(), &[server.file(pki::CLIENT_CERT)]).unwrap();
    configs.changed().await.unwrap();
    assert_eq!(
        refusal(server.handshake().await),
        "received fatal alert: CertificateRevoked"
    );
    // Revocation is checked at the handshake: the connection made before stays.
    assert_eq!(say_hello(channel, "Ana").await.unwrap(), "Hello, Ana!");
    server.stop().await;
}

#[tokio::test]
async fn a_client_of_another_ca_is_refused() {
    let server = TestServer::start(routes()).await;
    let other = Ca::new("someone else's CA").unwrap();
    pki::write_pair(
        server.dir(),
        ("other.pem", "other.key"),
        &other.client("workshop-client").unwrap(),
    )
    .unwrap();
    assert_eq!(
        refusal(server.handshake_as("other.pem", "other.key").await),
        "received fatal alert: UnknownCA"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_crl_that_does_not_parse_keeps_the_last_one() {
    let server = TestServer::start(routes()).await;
    let mut configs = server.tls.configs.clone();
    revoke(server.dir(), &[server.file(pki::CLIENT_CERT)]).unwrap();
    configs.changed().await.unwrap();
    // A broken CRL file: no new settings, the revocation still holds.
    tls_control::write_replacing(
        &server.file(tls_control::CRL_FILE),
        "-----BEGIN X509 CRL-----\nnot base64\n-----END X509 CRL-----\n",
        false,
    )
    .unwrap();
    let config = tls_control::server::server_config(
        server.tls.certs.clone(),
        &server.file(pki::CA_CERT),
        &server.file(tls_control::CRL_FILE),
        tls_control::provider(),
    );
    assert!(config.is_err(), "a broken CRL builds no settings");
    assert_eq!(
        refusal(server.handshake().await),
        "received fatal alert: CertificateRevoked"
    );
    server.stop().await;
}
