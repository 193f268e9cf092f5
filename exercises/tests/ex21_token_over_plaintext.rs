//! Exercise 21: the client's first bytes are a TLS handshake, never HTTP/2 in
//! clear text; and against a TLS server that checks the token, it is greeted.

use std::time::Duration;

use grpc_exercises::ex21_token_over_plaintext::connect;
use grpc_exercises::support::pki::TestPki;
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tokio::io::AsyncReadExt;
use tonic::transport::{Identity, Server, ServerTlsConfig};
use tonic::{Request, Status};

const TOKEN: &str = "workshop-token";
/// The first bytes of every plaintext HTTP/2 connection (RFC 9113, 3.4).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0";

/// An eavesdropper: a listener that records what the client sends first.
#[tokio::test]
async fn nothing_readable_goes_over_the_wire() {
    within(async {
        let pki = TestPki::generate();
        let listener = support::listen().await;
        let addr = listener.local_addr().expect("an address");
        let wiretap = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.expect("a connection");
            let mut first = vec![0; H2_PREFACE.len()];
            let read = socket.read_exact(&mut first);
            let _ = tokio::time::timeout(Duration::from_secs(3), read).await;
            first
        });
        // The eavesdropper never answers, so a TLS client cannot finish connecting.
        let ca = pki.ca_cert.clone();
        let client = tokio::spawn(async move { connect(&addr.to_string(), &ca, TOKEN).await });
        let first = wiretap.await.expect("the wiretap");
        client.abort();
        assert!(
            !first.starts_with(H2_PREFACE),
            "the client opened plaintext HTTP/2 ({:?}): its `authorization: Bearer ...` \
             header would follow, readable by anyone on the path",
            String::from_utf8_lossy(&first)
        );
        assert_eq!(
            first.first(),
            Some(&0x16),
            "a TLS handshake record starts with 0x16"
        );
    })
    .await
}

#[tokio::test]
async fn a_tls_server_that_checks_the_token_greets_the_client() {
    within(async {
        let pki = TestPki::generate();
        let tls =
            ServerTlsConfig::new().identity(Identity::from_pem(&pki.server_cert, &pki.server_key));
        let check = |request: Request<()>| {
            let token = request.metadata().get("authorization");
            match token.and_then(|t| t.to_str().ok()) {
                Some(value) if value == format!("Bearer {TOKEN}") => Ok(request),
                _ => Err(Status::unauthenticated("no valid token")),
            }
        };
        let router = Server::builder()
            .tls_config(tls)
            .expect("server TLS")
            .add_service(GreeterServiceServer::with_interceptor(Hello, check));
        let server = support::serve(router).await;
        let mut client = connect(&server.addr().to_string(), &pki.ca_cert, TOKEN)
            .await
            .expect("connect over TLS");
        let reply = client.say_hello(hello("Jack")).await.expect("SayHello");
        assert_eq!(reply.into_inner().message, "Hello, Jack!");
    })
    .await
}
