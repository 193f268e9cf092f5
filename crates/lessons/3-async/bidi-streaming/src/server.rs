// ANCHOR: head
//! The async bidi server: an echo that answers each message as it arrives.

use std::future::Future;
use std::pin::Pin;

use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use tokio::net::TcpListener;
use tokio_stream::{Stream, StreamExt};
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status, Streaming};

/// The reply stream a call returns.
pub type ReplyStream = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;
// ANCHOR_END: head

// ANCHOR: greeter
/// The servicer: one reply per message, sent as soon as the message is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = ReplyStream;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<ReplyStream>, Status> {
        // The reply stream *is* the request stream, mapped: nothing is buffered,
        // and it ends when the client closes its half (or fails with its error).
        let replies = request.into_inner().map(|request| {
            let name = request?.name;
            Ok(SayHelloResponse {
                message: format!("Hello, {name}!"),
            })
        });
        Ok(Response::new(Box::pin(replies)))
    }
}
// ANCHOR_END: greeter

// ANCHOR: serve
/// Serves until `shutdown`; open chats go on until their clients close them.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .add_service(GreeterServiceServer::new(Greeter))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
}
// ANCHOR_END: serve
