//! Mutual TLS over real sockets: the server knows its caller by certificate, and a
//! caller without a good one never reaches the handler.

mod common;

use auth::certs::CertOptions;
use common::{ClientSecurity, certs, hello, start_tls, tls_client, tls_config};
use tonic::Code;

#[tokio::test]
async fn the_handler_greets_the_certificate_subject() {
    let certs = auth::gen_certs::temp_certs(&CertOptions {
        client_name: "alice.workload".into(),
        ..CertOptions::default()
    })
    .unwrap();
    let server = start_tls(&certs, true).await;
    // The request says "Jack"; the certificate says who is really calling.
    assert_eq!(
        hello(&server.url, tls_client(&certs, true)).await.unwrap(),
        "Hello, alice.workload!"
    );
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn clients_without_a_good_certificate_are_refused_and_the_server_goes_on() {
    let certs = certs();
    let server = start_tls(&certs, true).await;

    let outcome = hello(&server.url, tls_client(&certs, false)).await;
    assert_handshake_refused(outcome, "CertificateRequired");
    assert_eq!(
        hello(&server.url, tls_client(&certs, true)).await.unwrap(),
        "Hello, workshop-client!"
    );

    // Trusts the right server, but its certificate comes from another CA.
    let other = common::certs();
    // (Its own CA is trusted too; the server's is what makes it reach the server.)
    let foreign =
        tls_config(other.path(), true).ca_certificate(tonic::transport::Certificate::from_pem(
            std::fs::read(certs.path().join("ca.pem")).unwrap(),
        ));
    let outcome = hello(
        &server.url,
        ClientSecurity {
            tls: Some(foreign),
            ..ClientSecurity::default()
        },
    )
    .await;
    assert_handshake_refused(outcome, "UnknownCA");
    assert_eq!(
        hello(&server.url, tls_client(&certs, true)).await.unwrap(),
        "Hello, workshop-client!"
    );
    server.running.stop().await.unwrap();
}

/// In TLS 1.3 the client finishes its half of the handshake before the server has
/// judged the client certificate, so the refusal arrives as an alert on the first
/// read: tonic reports UNKNOWN (or UNAVAILABLE if it lands while connecting), with
/// the alert's name in the message.
#[track_caller]
fn assert_handshake_refused(outcome: Result<String, tonic::Status>, alert: &str) {
    let status = outcome.expect_err("the server must refuse this client");
    assert!(
        matches!(status.code(), Code::Unknown | Code::Unavailable),
        "{status:?}"
    );
    let message = auth::mode::call_failed(&status);
    assert!(message.contains(alert), "{message}");
}
