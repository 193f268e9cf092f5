//! Certificate hot reload: new handshakes get the new certificate, a stream
//! opened before the swap finishes after it on its old connection, and files
//! that do not make a certificate leave the old one in place.

mod common;

use std::sync::Arc;

use common::TestServer;
use helloworld_proto::v2;
use tls_control::pki;
use tls_control::{connect, say_hello};
use tokio::sync::Notify;
use tokio_stream::Stream;
use tonic::service::Routes;
use tonic::{Request, Response, Status};

fn plain_routes() -> Routes {
    tls_control::routes(&tls_control::ServerFlags {
        certs: None,
        reload_every: std::time::Duration::from_millis(10).into(),
        messages: 1,
        every: std::time::Duration::ZERO.into(),
    })
}

#[tokio::test]
async fn new_handshakes_get_the_renewed_certificate() {
    let server = TestServer::start(plain_routes()).await;
    let old = server.server_pem_fingerprint();
    assert_eq!(server.handshake().await.served, old);

    let mut served = server.tls.certs.served();
    tls_control::demo::renew_server_certificate(server.dir()).unwrap();
    served.changed().await.unwrap();
    let new = server.server_pem_fingerprint();
    assert_ne!(new, old);
    assert_eq!(*served.borrow(), new);
    let handshake = server.handshake().await;
    assert_eq!(handshake.served, new);
    assert!(handshake.accepted.is_ok(), "{:?}", handshake.accepted);
    server.stop().await;
}

/// Sends its first greeting, then waits for the test to say go before the rest.
#[derive(Clone)]
struct HeldStream {
    go: Arc<Notify>,
}

type Greetings = std::pin::Pin<Box<dyn Stream<Item = Result<v2::SayHelloResponse, Status>> + Send>>;

#[tonic::async_trait]
impl v2::greeter_service_server::GreeterService for HeldStream {
    type SayHelloStream = Greetings;

    async fn say_hello(
        &self,
        _request: Request<v2::SayHelloRequest>,
    ) -> Result<Response<Greetings>, Status> {
        let go = self.go.clone();
        Ok(Response::new(Box::pin(async_stream::stream! {
            yield Ok(v2::SayHelloResponse { message: "first".into() });
            go.notified().await;
            for i in 1..4 {
                yield Ok(v2::SayHelloResponse { message: format!("after the swap {i}") });
            }
        })))
    }
}

#[tokio::test]
async fn a_stream_opened_before_the_swap_finishes_after_it() {
    let held = HeldStream {
        go: Arc::new(Notify::new()),
    };
    let greeter = tls_control::greeter::Greeter {
        messages: 1,
        every: std::time::Duration::ZERO,
    };
    let routes = Routes::new(
        helloworld_proto::v1::greeter_service_server::GreeterServiceServer::new(greeter),
    )
    .add_service(v2::greeter_service_server::GreeterServiceServer::new(
        held.clone(),
    ));
    let server = TestServer::start(routes).await;
    let old = server.server_pem_fingerprint();
    let channel = connect(&server.url(), server.dir()).await.unwrap();
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let mut stream = client
        .say_hello(v2::SayHelloRequest { name: "Ana".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stream.message().await.unwrap().unwrap().message, "first");

    let mut served = server.tls.certs.served();
    tls_control::demo::renew_server_certificate(server.dir()).unwrap();
    served.changed().await.unwrap();
    // The swap is in effect for new connections while the stream is still open.
    assert_ne!(server.handshake().await.served, old);

    held.go.notify_one();
    let mut rest = Vec::new();
    while let Some(reply) = stream.message().await.expect("the stream ends with OK") {
        rest.push(reply.message);
    }
    assert_eq!(
        rest,
        ["after the swap 1", "after the swap 2", "after the swap 3"]
    );
    // The old connection still serves new calls too.
    assert_eq!(say_hello(channel, "Ana").await.unwrap(), "Hello, Ana!");
    server.stop().await;
}

#[tokio::test]
async fn files_that_make_no_certificate_leave_the_old_one_served() {
    let server = TestServer::start(plain_routes()).await;
    let old = server.server_pem_fingerprint();
    let certs = &server.tls.certs;

    // A new certificate with the old key: they do not match.
    let renewed = server.ca.server().unwrap();
    tls_control::write_replacing(&server.file(pki::SERVER_CERT), &renewed.cert, false).unwrap();
    let error = certs.reload().unwrap_err().to_string();
    assert!(error.contains("KeyMismatch"), "{error}");
    assert_eq!(server.handshake().await.served, old);

    // Not PEM at all.
    tls_control::write_replacing(&server.file(pki::SERVER_CERT), "not a certificate", false)
        .unwrap();
    let error = certs.reload().unwrap_err().to_string();
    assert!(error.contains("holds no certificate"), "{error}");
    assert_eq!(server.handshake().await.served, old);
    assert_eq!(*certs.served().borrow(), old);
    server.stop().await;
}
