//! The roofline must send what tonic sends, byte for byte, or the comparison
//! would measure different work. Both servers get the same raw HTTP/2 request.

use bytes::Bytes;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::{TcpListener, TcpStream};
use tonic::{Response, Status};

/// The tutorial's greeter, on tonic.
struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: tonic::Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

/// What a client sees of one response, minus the `date` header (it differs by clock).
#[derive(Debug, PartialEq)]
struct Seen {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    trailers: Option<HeaderMap>,
}

async fn call(port: u16, path: &str, body: Bytes) -> Seen {
    let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(connection);
    let request = Request::post(format!("http://127.0.0.1:{port}{path}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .body(Full::new(body))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let (parts, incoming) = response.into_parts();
    let collected = incoming.collect().await.unwrap();
    let mut headers = parts.headers;
    headers.remove("date");
    Seen {
        status: parts.status,
        headers,
        trailers: collected.trailers().cloned(),
        body: collected.to_bytes(),
    }
}

/// A length-prefixed request frame, as h2load sends from its prebuilt file.
fn request_frame(name: &str) -> Bytes {
    let mut proto = vec![0x0a];
    let mut len = name.len();
    while len >= 0x80 {
        proto.push((len as u8) | 0x80);
        len >>= 7;
    }
    proto.push(len as u8);
    proto.extend_from_slice(name.as_bytes());
    let mut frame = vec![0];
    frame.extend_from_slice(&(proto.len() as u32).to_be_bytes());
    frame.extend_from_slice(&proto);
    frame.into()
}

async fn start_both() -> (u16, u16) {
    let tonic_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let roofline_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ports = (
        tonic_listener.local_addr().unwrap().port(),
        roofline_listener.local_addr().unwrap().port(),
    );
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(GreeterServiceServer::new(Greeter))
            .serve_with_incoming(lesson_kit::server::incoming(tonic_listener)),
    );
    tokio::spawn(bench_roofline::serve(roofline_listener));
    ports
}

#[tokio::test]
async fn responses_equal_tonics_byte_for_byte() {
    let (tonic_port, roofline_port) = start_both().await;
    let long = "é".repeat(100);
    for name in ["Jack", "", long.as_str()] {
        let frame = request_frame(name);
        let path = bench_roofline::SAY_HELLO_PATH;
        let from_tonic = call(tonic_port, path, frame.clone()).await;
        let from_roofline = call(roofline_port, path, frame).await;
        assert_eq!(from_roofline, from_tonic, "name {name:?}");
        assert_eq!(
            from_roofline.body,
            bench_roofline::wire::hello_response(name)
        );
        let status = from_tonic.trailers.as_ref().unwrap().get("grpc-status");
        assert_eq!(status.unwrap(), "0");
    }
}

#[tokio::test]
async fn a_tonic_client_gets_its_greeting() {
    let (_, roofline_port) = start_both().await;
    let url = format!("http://127.0.0.1:{roofline_port}");
    let mut client =
        helloworld_proto::v1::greeter_service_client::GreeterServiceClient::connect(url)
            .await
            .unwrap();
    let reply = client
        .say_hello(SayHelloRequest {
            name: "Jack".into(),
        })
        .await
        .unwrap();
    assert_eq!(reply.into_inner().message, "Hello, Jack!");
}
