//! Beyond the tutorial: metadata, interceptors and tower layers.
//!
//! Metadata is gRPC's name for HTTP/2 headers: key/value pairs sent with a call
//! (request metadata), before the first response message (response headers) and
//! after the last one (trailers, where `grpc-status` lives too). Request ids,
//! auth tokens, tracing context and client versions travel there.
//!
//! - [`interceptor`]: a tonic interceptor gives every request an id.
//! - [`layers`]: tower layers echo `x-echo-*` headers into response headers *and*
//!   trailers, and log each call's path, status and time.
//!
//! The handler is the tutorial's v2 server-streaming greeter, because a stream
//! shows headers (before the messages) and trailers (after them) apart.

pub mod interceptor;
pub mod layers;

use std::pin::Pin;

use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use lesson_kit::{Console, Lesson, ShutdownSignal, server};
use tokio_stream::Stream;
use tonic::metadata::{MetadataMap, MetadataValue};
use tonic::transport::{Channel, Server};
use tonic::{Request, Response, Status};

use interceptor::{REQUEST_ID, RequestId};

/// Streams three greetings and answers with the request's id in its headers.
#[derive(Debug, Default, Clone, Copy)]
pub struct Greeter;

// ANCHOR: handler
#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let id = request.extensions().get::<RequestId>().cloned();
        let name = request.into_inner().name;
        let greetings = (0..3).map(move |i| {
            Ok(SayHelloResponse {
                message: format!("Hello number {i}, {name}!"),
            })
        });
        let mut response =
            Response::new(Box::pin(tokio_stream::iter(greetings)) as Self::SayHelloStream);
        if let Some(RequestId(id)) = id {
            let value = MetadataValue::try_from(id.as_str())
                .map_err(|_| Status::internal("request id is not a header value"))?;
            response.metadata_mut().insert(REQUEST_ID, value);
        }
        Ok(response)
    }
}
// ANCHOR_END: handler

// ANCHOR: serve
/// Serves the greeter behind the interceptor and both layers until `shutdown`.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    console: Console,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    let greeter = GreeterServiceServer::with_interceptor(Greeter, interceptor::request_ids());
    Server::builder()
        .layer(layers::TimingLayer { console })
        .layer(layers::EchoLayer)
        .add_service(greeter)
        .serve_with_incoming_shutdown(server::incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}
// ANCHOR_END: serve

/// The metadata lesson; see the crate docs.
#[derive(Debug)]
pub struct Metadata;

/// The server has no flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServerFlags {}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Sent as `x-request-id`; omit it to let the server make one up.
    #[arg(long)]
    pub request_id: Option<String>,
    /// Sent as `x-echo-client`, and echoed back in headers and trailers.
    #[arg(long, default_value = "metadata-lesson")]
    pub echo: String,
}

/// What a call returned besides its messages.
#[derive(Debug, Clone)]
pub struct Returned {
    /// Response headers (before the first message).
    pub headers: MetadataMap,
    /// The greetings.
    pub messages: Vec<String>,
    /// Trailers (after the last message).
    pub trailers: MetadataMap,
}

// ANCHOR: client
/// Calls with `x-request-id` (if given) and `x-echo-client`; returns headers, messages, trailers.
pub async fn call(
    channel: Channel,
    request_id: Option<&str>,
    echo: &str,
) -> anyhow::Result<Returned> {
    let mut request = Request::new(SayHelloRequest {
        name: "Jack".into(),
    });
    if let Some(id) = request_id {
        request.metadata_mut().insert(REQUEST_ID, id.parse()?);
    }
    request
        .metadata_mut()
        .insert("x-echo-client", echo.parse()?);
    let response = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    let headers = response.metadata().clone();
    let mut stream = response.into_inner();
    let mut messages = Vec::new();
    while let Some(reply) = stream.message().await? {
        messages.push(reply.message);
    }
    let trailers = stream.trailers().await?.unwrap_or_default();
    Ok(Returned {
        headers,
        messages,
        trailers,
    })
}
// ANCHOR_END: client

fn show(console: &Console, what: &str, map: &MetadataMap) {
    for key in [REQUEST_ID, "x-echo-client"] {
        if let Some(value) = map.get(key).and_then(|v| v.to_str().ok()) {
            console.line(format!("response {what} {key}: {value}"));
        }
    }
}

impl Lesson for Metadata {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        _flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        serve_with(listener, console, shutdown).await
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let channel = Channel::from_shared(url)?.connect().await?;
        let returned = call(channel, flags.request_id.as_deref(), &flags.echo).await?;
        show(&console, "header", &returned.headers);
        for message in &returned.messages {
            console.line(format!("Greeter client received: {message}"));
        }
        show(&console, "trailer", &returned.trailers);
        Ok(())
    }
}
