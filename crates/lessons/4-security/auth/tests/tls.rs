//! Server-authenticated TLS over real sockets: what it accepts, what it refuses,
//! and that a refused handshake never stops the server.

mod common;

use auth::certs::CertOptions;
use common::{ClientSecurity, assert_refused, assert_served, certs, hello, start_tls, tls_client};
use tonic::Code;

#[tokio::test]
async fn a_client_trusting_our_ca_is_greeted() {
    let certs = certs();
    let server = start_tls(&certs, false).await;
    assert!(server.url.starts_with("https://127.0.0.1:"));
    assert_served(&server.url, tls_client(&certs, false)).await;
    // localhost is in the certificate too.
    let localhost = server.url.replace("127.0.0.1", "localhost");
    assert_served(&localhost, tls_client(&certs, false)).await;
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn refused_handshakes_leave_the_server_serving() {
    let certs = certs();
    let server = start_tls(&certs, false).await;
    let plaintext_url = server.url.replace("https://", "http://");

    // The server reads the client's HTTP/2 preface as a broken TLS record and hangs
    // up; the client sees the connection die (UNKNOWN or UNAVAILABLE, by timing).
    let outcome = hello(&plaintext_url, ClientSecurity::default()).await;
    let code = outcome.expect_err("plaintext must not be served").code();
    assert!(
        matches!(code, Code::Unknown | Code::Unavailable),
        "{code:?}"
    );
    assert_served(&server.url, tls_client(&certs, false)).await;

    let other_ca = common::certs();
    let outcome = hello(&server.url, tls_client(&other_ca, false)).await;
    assert_refused(outcome, Code::Unavailable, "invalid peer certificate");
    assert_served(&server.url, tls_client(&certs, false)).await;
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_certificate_for_another_host_is_refused() {
    let certs = auth::gen_certs::temp_certs(&CertOptions {
        server_names: vec!["example.test".into()],
        ..CertOptions::default()
    })
    .unwrap();
    let server = start_tls(&certs, false).await;
    let outcome = hello(&server.url, tls_client(&certs, false)).await;
    assert_refused(
        outcome,
        Code::Unavailable,
        "not valid for name \"127.0.0.1\"",
    );
    // The same server is fine for a client that dials the name it holds.
    let named = tls_client(&certs, false);
    let named = ClientSecurity {
        tls: named.tls.map(|tls| tls.domain_name("example.test")),
        ..named
    };
    assert_served(&server.url, named).await;
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn an_expired_certificate_is_refused() {
    let certs = auth::gen_certs::temp_certs(&CertOptions {
        server_expired: true,
        ..CertOptions::default()
    })
    .unwrap();
    let server = start_tls(&certs, false).await;
    // Twice: the second handshake proves the server still answers after the first
    // client hung up on it (no client can complete a call with an expired certificate).
    for _ in 0..2 {
        let outcome = hello(&server.url, tls_client(&certs, false)).await;
        assert_refused(outcome, Code::Unavailable, "certificate expired");
    }
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_that_never_finishes_its_handshake_blocks_nobody() {
    let certs = certs();
    let server = start_tls(&certs, false).await;
    // Connected, but silent: the server waits for a ClientHello that never comes.
    let silent = tokio::net::TcpStream::connect(server.running.local_addr())
        .await
        .unwrap();
    // If handshakes ran one at a time this would wait for the silent one: fail instead.
    let served = assert_served(&server.url, tls_client(&certs, false));
    tokio::time::timeout(std::time::Duration::from_secs(5), served)
        .await
        .expect("a silent client must not hold up the others");
    drop(silent);
    server.running.stop().await.unwrap();
}

/// The listed TLS clients (what the binary runs, and what the pages show) refuse a
/// non-https URL themselves, before connecting, whatever calls them.
#[tokio::test]
async fn the_listed_tls_clients_refuse_non_https_urls_before_connecting() {
    let certs = certs();
    let dir = certs.path();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let schemes =
        ["HTTP://", "Http://", "http://", "grpc://"].map(|scheme| format!("{scheme}{addr}"));
    for url in schemes.into_iter().chain(["unix:/tmp/s".to_owned()]) {
        let outcomes = [
            auth::tls::client::say_hello(&url, dir, "Jack").await,
            auth::mtls::client::say_hello(&url, dir, "Jack").await,
            auth::combined::client::say_hello(&url, dir, "t0ken", "Jack").await,
        ];
        for outcome in outcomes {
            let error = outcome
                .expect_err("a non-https URL must be refused")
                .to_string();
            assert!(error.contains("speaks TLS"), "{url}: {error}");
        }
        let accepted = listener.accept();
        assert!(
            matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "{url}: a client opened a connection: {accepted:?}"
        );
    }
}
