//! `peer_credentials` outside a Unix socket: a TCP call carries none, and the
//! handler says so with UNAUTHENTICATED instead of guessing.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use local_sockets::server::Greeter;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::Code;
use tonic::transport::Server;

#[tokio::test]
async fn a_tcp_call_has_no_peer_credentials() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        Server::builder()
            .add_service(GreeterServiceServer::new(Greeter::default()))
            .serve_with_incoming_shutdown(TcpListenerStream::new(listener), async {
                let _ = stopped.await;
            }),
    );
    let mut client = GreeterServiceClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    let status = client
        .say_hello(SayHelloRequest { name: "Ana".into() })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    assert_eq!(
        status.message(),
        "no peer credentials: not a Unix socket call"
    );
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
