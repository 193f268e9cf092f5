//! The same port called four ways: gRPC over h2c, gRPC-Web over HTTP/1.1, the
//! JSON route, and a browser's CORS preflight.

use bytes::Bytes;
use helloworld_proto::{v1, v2};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tonic::transport::Channel;
use tonic_web::GrpcWebClientLayer;

/// gRPC over plaintext HTTP/2 (h2c, prior knowledge): what every tonic `Channel` speaks.
pub async fn grpc_hello(url: &str, name: &str) -> Result<String, tonic::Status> {
    let channel = Channel::from_shared(url.to_owned())
        .map_err(|e| tonic::Status::invalid_argument(e.to_string()))?
        .connect()
        .await
        .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let mut client = v1::greeter_service_client::GreeterServiceClient::new(channel);
    let request = v1::SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}

/// The v2 stream over gRPC, every greeting in the order it came.
pub async fn grpc_stream(url: &str, name: &str) -> Result<Vec<String>, tonic::Status> {
    let channel = Channel::from_shared(url.to_owned())
        .map_err(|e| tonic::Status::invalid_argument(e.to_string()))?
        .connect()
        .await
        .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel);
    let request = v2::SayHelloRequest { name: name.into() };
    let mut stream = client.say_hello(request).await?.into_inner();
    let mut greetings = Vec::new();
    while let Some(reply) = stream.message().await? {
        greetings.push(reply.message);
    }
    Ok(greetings)
}

/// gRPC-Web over HTTP/1.1: tonic's generated client on a plain HTTP/1 client,
/// with `GrpcWebClientLayer` doing the framing a browser's library does.
pub async fn grpc_web_hello(url: &str, name: &str) -> Result<String, tonic::Status> {
    let http1 = Client::builder(TokioExecutor::new()).build_http();
    let service = tower::ServiceBuilder::new()
        .layer(GrpcWebClientLayer::new())
        .service(http1);
    let origin = url
        .parse()
        .map_err(|_| tonic::Status::invalid_argument(format!("bad URL {url}")))?;
    let mut client = v1::greeter_service_client::GreeterServiceClient::with_origin(service, origin);
    let request = v1::SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}

/// What an HTTP/1.1 request got back: status, the headers asked for, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one HTTP/1.1 request without a body and reads the whole answer.
pub async fn http1(request: http::Request<Empty<Bytes>>) -> anyhow::Result<Answer> {
    let client = Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("?").to_owned()))
        .collect();
    let body = response.into_body().collect().await?.to_bytes();
    Ok(Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// `GET /v1/hello/{name}`.
pub async fn json_hello(url: &str, name: &str) -> anyhow::Result<Answer> {
    let request = http::Request::get(format!("{url}/v1/hello/{name}")).body(Empty::new())?;
    http1(request).await
}

/// The preflight a browser sends before a page from `origin` may POST gRPC-Web here.
pub async fn preflight(url: &str, origin: &str) -> anyhow::Result<Answer> {
    let request = http::Request::options(format!(
        "{url}/tutorial.helloworld.v1.GreeterService/SayHello"
    ))
    .header("origin", origin)
    .header("access-control-request-method", "POST")
    .header(
        "access-control-request-headers",
        "content-type,x-grpc-web,x-user-agent",
    )
    .body(Empty::new())?;
    http1(request).await
}
