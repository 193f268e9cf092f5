//! Exercise 37: `one_port` served with `accept_http1(true)` on a real socket,
//! called as gRPC over h2c, gRPC-Web and plain HTTP/1.1, and preflighted by two origins.

use axum::extract::Path;
use axum::routing::get;
use bytes::Bytes;
use grpc_exercises::ex37_grpc_web::one_port;
use grpc_exercises::support::greeter::{Hello, hello};
use grpc_exercises::support::{TestServer, connect, serve, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic_web::GrpcWebClientLayer;

const ALLOWED: &str = "http://localhost:5173";
const SAY_HELLO: &str = "/tutorial.helloworld.v1.GreeterService/SayHello";

async fn start() -> TestServer {
    let grpc = Routes::new(GreeterServiceServer::new(Hello));
    let web = axum::Router::new().route(
        "/v1/hello/{name}",
        get(|Path(name): Path<String>| async move { format!("Hello, {name}!") }),
    );
    let app = one_port(grpc, web, vec![ALLOWED.parse().unwrap()]);
    serve(
        Server::builder()
            .accept_http1(true)
            .add_routes(Routes::from(app)),
    )
    .await
}

/// One HTTP/1.1 request: (status, headers, body).
async fn http1(request: http::Request<Empty<Bytes>>) -> (u16, http::HeaderMap, String) {
    let client = Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await.expect("an HTTP/1.1 answer");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (
        parts.status.as_u16(),
        parts.headers,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

fn preflight(server: &TestServer, origin: &str) -> http::Request<Empty<Bytes>> {
    http::Request::options(format!("{}{SAY_HELLO}", server.url(false)))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-grpc-web,x-user-agent",
        )
        .body(Empty::new())
        .unwrap()
}

#[tokio::test]
async fn a_web_route_answers_over_http1() {
    within(async {
        let server = start().await;
        let request = http::Request::get(format!("{}/v1/hello/Jack", server.url(false)))
            .body(Empty::new())
            .unwrap();
        let (status, _, body) = http1(request).await;
        assert_eq!(
            (status, body.as_str()),
            (200, "Hello, Jack!"),
            "GET /v1/hello/Jack over HTTP/1.1"
        );
    })
    .await;
}

#[tokio::test]
async fn grpc_web_over_http1_reaches_the_greeter() {
    within(async {
        let server = start().await;
        let http1 = Client::builder(TokioExecutor::new()).build_http();
        let service = tower::ServiceBuilder::new()
            .layer(GrpcWebClientLayer::new())
            .service(http1);
        let mut client =
            GreeterServiceClient::with_origin(service, server.url(false).parse().unwrap());
        let reply = client
            .say_hello(hello("Jack"))
            .await
            .expect("a gRPC-Web answer");
        assert_eq!(reply.into_inner().message, "Hello, Jack!");
    })
    .await;
}

#[tokio::test]
async fn grpc_over_h2c_reaches_the_greeter() {
    within(async {
        let server = start().await;
        let mut client = GreeterServiceClient::new(connect(&server).await);
        let reply = client
            .say_hello(hello("Jack"))
            .await
            .expect("a gRPC answer");
        assert_eq!(reply.into_inner().message, "Hello, Jack!");
    })
    .await;
}

#[tokio::test]
async fn a_preflight_from_an_allowed_origin_is_allowed() {
    within(async {
        let server = start().await;
        let (_, headers, _) = http1(preflight(&server, ALLOWED)).await;
        let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(
            header("access-control-allow-origin").as_deref(),
            Some(ALLOWED)
        );
        let allowed = header("access-control-allow-headers").unwrap_or_default();
        for needed in ["content-type", "x-grpc-web", "x-user-agent"] {
            assert!(
                allowed.contains(needed),
                "{needed} is not allowed: {allowed:?}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_preflight_from_a_foreign_origin_is_refused() {
    within(async {
        let server = start().await;
        let (_, headers, _) = http1(preflight(&server, "http://evil.example")).await;
        assert_eq!(
            headers.get("access-control-allow-origin"),
            None,
            "a page from http://evil.example may call this server"
        );
    })
    .await;
}

#[tokio::test]
async fn a_page_from_an_allowed_origin_may_read_the_grpc_status() {
    within(async {
        let server = start().await;
        let request = http::Request::post(format!("{}{SAY_HELLO}", server.url(false)))
            .header("origin", ALLOWED)
            .header("content-type", "application/grpc-web+proto")
            .body(Empty::new())
            .unwrap();
        let (_, headers, _) = http1(request).await;
        let exposed = headers
            .get("access-control-expose-headers")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        assert!(
            exposed.contains("grpc-status") && exposed.contains("grpc-message"),
            "exposed: {exposed:?}"
        );
    })
    .await;
}
