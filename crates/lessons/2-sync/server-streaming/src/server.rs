// ANCHOR: head
//! The sync server-streaming server: the handler returns an iterator, as the
//! tutorial's Python handler is a generator.

use std::future::Future;

use helloworld_proto::v2::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use sync_kit::{ResponseStream, WorkerPool};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};
// ANCHOR_END: head

// ANCHOR: greeter
/// The servicer: each call's iterator runs on a worker of `pool`, which it
/// keeps until the iterator is done or the client is gone.
#[derive(Debug, Clone, Default)]
pub struct Greeter {
    /// The worker threads: at most `max_workers` streams run at once.
    pub pool: WorkerPool,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = ResponseStream<SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let name = request.into_inner().name;
        let replies = self
            .pool
            .server_stream(move || {
                // Python's `for i in range(5): yield ...`; each step runs only
                // when the transport asks for the next message.
                (0..5).map(move |i| SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                })
            })
            .await?;
        Ok(Response::new(replies))
    }
}
// ANCHOR_END: greeter

// ANCHOR: serve
/// The tutorial's `serve()`: a pool of `max_workers` threads, the greeter, the
/// start-up line; serves until `shutdown` completes, then lets calls finish.
pub async fn serve(
    listener: TcpListener,
    max_workers: usize,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let pool = WorkerPool::new(max_workers);
    let port = listener.local_addr()?.port();
    println!("Server started, listening on {port}");
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .add_service(GreeterServiceServer::new(Greeter { pool }))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}
// ANCHOR_END: serve
