//! grpc-go's stub server for its authz tests, in Rust: `grpc.testing.TestService`
//! answering UnaryCall and StreamingInputCall, behind the lesson's [`AuthzLayer`],
//! on 127.0.0.1 port 0; and the two calls grpc-go's table makes.

#![allow(dead_code)] // each test file uses part of it

use std::pin::Pin;

use authorization::{AuthzLayer, Policy, Tokens};
use futures::Stream;
use interop_proto::grpc_testing as pb;
use pb::test_service_client::TestServiceClient;
use pb::test_service_server::{TestService, TestServiceServer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::metadata::{MetadataKey, MetadataValue};
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Server};
use tonic::{Request, Response, Status, Streaming};

/// Answers the two calls grpc-go's table makes; the rest are UNIMPLEMENTED.
pub struct Stub;

type Messages = Pin<Box<dyn Stream<Item = Result<pb::StreamingOutputCallResponse, Status>> + Send>>;

#[tonic::async_trait]
impl TestService for Stub {
    async fn empty_call(&self, _: Request<pb::Empty>) -> Result<Response<pb::Empty>, Status> {
        Err(Status::unimplemented("not in grpc-go's authz table"))
    }
    async fn unary_call(
        &self,
        _: Request<pb::SimpleRequest>,
    ) -> Result<Response<pb::SimpleResponse>, Status> {
        Ok(Response::new(pb::SimpleResponse::default()))
    }
    async fn cacheable_unary_call(
        &self,
        _: Request<pb::SimpleRequest>,
    ) -> Result<Response<pb::SimpleResponse>, Status> {
        Err(Status::unimplemented("not in grpc-go's authz table"))
    }
    type StreamingOutputCallStream = Messages;
    async fn streaming_output_call(
        &self,
        _: Request<pb::StreamingOutputCallRequest>,
    ) -> Result<Response<Messages>, Status> {
        Err(Status::unimplemented("not in grpc-go's authz table"))
    }
    async fn streaming_input_call(
        &self,
        request: Request<Streaming<pb::StreamingInputCallRequest>>,
    ) -> Result<Response<pb::StreamingInputCallResponse>, Status> {
        let mut stream = request.into_inner();
        while stream.message().await?.is_some() {}
        Ok(Response::new(pb::StreamingInputCallResponse::default()))
    }
    type FullDuplexCallStream = Messages;
    async fn full_duplex_call(
        &self,
        _: Request<Streaming<pb::StreamingOutputCallRequest>>,
    ) -> Result<Response<Messages>, Status> {
        Err(Status::unimplemented("not in grpc-go's authz table"))
    }
    type HalfDuplexCallStream = Messages;
    async fn half_duplex_call(
        &self,
        _: Request<Streaming<pb::StreamingOutputCallRequest>>,
    ) -> Result<Response<Messages>, Status> {
        Err(Status::unimplemented("not in grpc-go's authz table"))
    }
    async fn unimplemented_call(
        &self,
        _: Request<pb::Empty>,
    ) -> Result<Response<pb::Empty>, Status> {
        Err(Status::unimplemented("unimplemented"))
    }
}

/// A stub server behind `policy` on a port of its own; dropping it stops the server.
pub struct StubServer {
    pub channel: Channel,
    _stop: oneshot::Sender<()>,
}

/// Starts the stub behind `policy`, naming callers by `tokens`.
pub async fn start(policy: Policy, tokens: Tokens) -> StubServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(
        Server::builder()
            .layer(AuthzLayer::new(policy, tokens))
            .add_service(TestServiceServer::new(Stub))
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), async {
                let _ = stopped.await;
            }),
    );
    let channel = Channel::from_shared(url).unwrap().connect().await.unwrap();
    StubServer {
        channel,
        _stop: stop,
    }
}

/// Adds `authorization: Bearer <token>` and `metadata` (appended: a key given twice is sent twice).
pub fn with_metadata<T>(message: T, token: Option<&str>, metadata: &[(&str, &str)]) -> Request<T> {
    let mut request = Request::new(message);
    if let Some(token) = token {
        let value: MetadataValue<_> = format!("Bearer {token}").parse().unwrap();
        request.metadata_mut().insert("authorization", value);
    }
    for (key, value) in metadata {
        let key: MetadataKey<_> = key.parse().unwrap();
        request.metadata_mut().append(key, value.parse().unwrap());
    }
    request
}

/// grpc-go's two calls: UnaryCall, then StreamingInputCall with one message.
/// Each outcome is `Ok(())` or the status.
pub async fn both_calls(
    channel: &Channel,
    token: Option<&str>,
    metadata: &[(&str, &str)],
) -> [Result<(), Status>; 2] {
    let mut client = TestServiceClient::new(channel.clone());
    let unary = client
        .unary_call(with_metadata(pb::SimpleRequest::default(), token, metadata))
        .await
        .map(drop);
    let message = pb::StreamingInputCallRequest {
        payload: Some(pb::Payload {
            body: b"hi".to_vec(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let stream = tokio_stream::iter(vec![message]);
    let streaming = client
        .streaming_input_call(with_metadata(stream, token, metadata))
        .await
        .map(drop);
    [unary, streaming]
}
