//! Exercise 19: a client with a certificate from the CA is greeted; a client
//! without one, or with one from another CA, is not.

use grpc_exercises::ex19_mtls::{SERVER_NAME, client_tls, server_tls};
use grpc_exercises::support::pki::TestPki;
use grpc_exercises::support::{self, TestServer, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use std::time::Duration;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Server};

async fn start(pki: &TestPki) -> TestServer {
    start_with(pki, Duration::from_secs(10)).await
}

async fn start_with(pki: &TestPki, handshake_timeout: Duration) -> TestServer {
    let router = Server::builder()
        .tls_config(server_tls(
            &pki.server_cert,
            &pki.server_key,
            &pki.ca_cert,
            handshake_timeout,
        ))
        .expect("valid server TLS settings")
        .add_service(GreeterServiceServer::new(Hello));
    support::serve(router).await
}

/// Calls the server with `tls`; the greeting, or what went wrong.
async fn call(server: &TestServer, tls: ClientTlsConfig) -> Result<String, String> {
    let endpoint = Endpoint::from_shared(server.url(true))
        .expect("a URL")
        .tls_config(tls)
        .map_err(|e| format!("client TLS settings: {e}"))?;
    let channel = endpoint.connect().await.map_err(|e| format!("{e:?}"))?;
    let reply = GreeterServiceClient::new(channel)
        .say_hello(hello("Jack"))
        .await
        .map_err(|status| format!("{status:?}"))?;
    Ok(reply.into_inner().message)
}

#[tokio::test]
async fn a_client_with_a_certificate_from_the_ca_is_greeted() {
    within(async {
        let pki = TestPki::generate();
        let server = start(&pki).await;
        let tls = client_tls(&pki.ca_cert, &pki.client_cert, &pki.client_key);
        assert_eq!(
            call(&server, tls).await.expect("mutual TLS"),
            "Hello, Jack!"
        );
    })
    .await
}

#[tokio::test]
async fn a_client_without_a_certificate_is_refused() {
    within(async {
        let pki = TestPki::generate();
        let server = start(&pki).await;
        let anonymous = ClientTlsConfig::new()
            .ca_certificate(Certificate::from_pem(&pki.ca_cert))
            .domain_name(SERVER_NAME);
        let outcome = call(&server, anonymous).await;
        assert!(outcome.is_err(), "a client with no certificate was greeted");
    })
    .await
}

#[tokio::test]
async fn a_client_with_a_certificate_from_another_ca_is_refused() {
    within(async {
        let pki = TestPki::generate();
        let server = start(&pki).await;
        let stranger = TestPki::generate();
        let tls = client_tls(&pki.ca_cert, &stranger.client_cert, &stranger.client_key);
        let outcome = call(&server, tls).await;
        assert!(
            outcome.is_err(),
            "a client signed by another CA was greeted"
        );
    })
    .await
}

/// A peer that opens TCP and never sends a ClientHello is hung up on once the
/// handshake timeout passes (without one, it would keep its socket forever).
#[tokio::test]
async fn a_peer_that_never_finishes_the_handshake_is_dropped() {
    within(async {
        let pki = TestPki::generate();
        let timeout = Duration::from_millis(100);
        let server = start_with(&pki, timeout).await;
        support::assert_silent_peer_is_dropped(server.addr(), timeout).await;
    })
    .await
}
