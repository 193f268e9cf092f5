//! Exercise 31: a peer that never acknowledges a PING is disconnected; a real
//! client, idle for several intervals, is still served.

use grpc_exercises::ex31_keepalive::{KEEPALIVE_INTERVAL, KEEPALIVE_TIMEOUT, server_builder};
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The client preface and an empty SETTINGS frame: an HTTP/2 peer that then
/// goes silent (it reads, but never acknowledges anything).
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";

#[tokio::test]
async fn a_silent_peer_is_disconnected() {
    within(async {
        let router = server_builder().add_service(GreeterServiceServer::new(Hello));
        let server = support::serve(router).await;
        let mut socket = TcpStream::connect(server.addr()).await.expect("connect");
        socket.write_all(PREFACE).await.expect("the preface");
        let limit = (KEEPALIVE_INTERVAL + KEEPALIVE_TIMEOUT) * 5;
        let closed = tokio::time::timeout(limit, async {
            let mut buffer = [0; 1024];
            // Read (and ignore) SETTINGS, PINGs, GOAWAY, until the server hangs up.
            while socket.read(&mut buffer).await.is_ok_and(|n| n > 0) {}
        })
        .await;
        assert!(
            closed.is_ok(),
            "a peer that acknowledged no PING was still connected after {limit:?}: \
             the server does not ping, or does not give up"
        );
    })
    .await
}

#[tokio::test]
async fn an_idle_client_that_answers_pings_stays_connected() {
    within(async {
        let router = server_builder().add_service(GreeterServiceServer::new(Hello));
        let server = support::serve(router).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        client.say_hello(hello("Jack")).await.expect("a first call");
        tokio::time::sleep((KEEPALIVE_INTERVAL + KEEPALIVE_TIMEOUT) * 3).await;
        let reply = client.say_hello(hello("Jack")).await;
        assert!(reply.is_ok(), "after an idle spell: {reply:?}");
    })
    .await
}
