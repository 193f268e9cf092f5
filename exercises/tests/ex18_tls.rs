//! Exercise 18: a TLS server and a client that trusts its CA talk over a real socket;
//! a plaintext client cannot.

use grpc_exercises::ex18_tls::{client_tls, server_tls};
use grpc_exercises::support::pki::TestPki;
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use std::time::Duration;
use support::TestServer;
use tonic::transport::{Endpoint, Server};

/// A greeter behind the exercise's server TLS settings.
async fn start(pki: &TestPki) -> TestServer {
    start_with(pki, Duration::from_secs(10)).await
}

async fn start_with(pki: &TestPki, handshake_timeout: Duration) -> TestServer {
    let router = Server::builder()
        .tls_config(server_tls(
            &pki.server_cert,
            &pki.server_key,
            handshake_timeout,
        ))
        .expect("valid server TLS settings")
        .add_service(GreeterServiceServer::new(Hello));
    support::serve(router).await
}

#[tokio::test]
async fn a_client_that_trusts_the_ca_is_greeted() {
    within(async {
        let pki = TestPki::generate();
        let server = start(&pki).await;
        let channel = Endpoint::from_shared(server.url(true))
            .expect("a valid URL")
            .tls_config(client_tls(&pki.ca_cert))
            .expect("valid client TLS settings")
            .connect()
            .await
            .expect("a TLS handshake with the server");
        let reply = GreeterServiceClient::new(channel)
            .say_hello(hello("Jack"))
            .await;
        assert_eq!(
            reply.expect("SayHello").into_inner().message,
            "Hello, Jack!"
        );
    })
    .await
}

#[tokio::test]
async fn a_plaintext_client_is_not_served() {
    within(async {
        let pki = TestPki::generate();
        let server = start(&pki).await;
        let channel = support::endpoint(&server).connect_lazy();
        let reply = GreeterServiceClient::new(channel)
            .say_hello(hello("Eve"))
            .await;
        assert!(
            reply.is_err(),
            "a TLS server must not answer plaintext: {reply:?}"
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
