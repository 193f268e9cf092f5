// ANCHOR: head
//! The sync unary server: the tutorial's first server, its handler plain
//! blocking code on a pool of worker threads.

use std::future::Future;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use sync_kit::WorkerPool;
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};
// ANCHOR_END: head

// ANCHOR: greeter
/// The servicer. tonic calls it on the async runtime; it hands each call to a
/// worker of `pool`, where the blocking handler runs (grpcio's thread pool).
#[derive(Debug, Clone, Default)]
pub struct Greeter {
    /// The worker threads: at most `max_workers` handlers run at once.
    pub pool: WorkerPool,
    /// How long each call works before replying (zero: the tutorial's greeter).
    pub work_delay: Duration,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let (name, work_delay) = (request.into_inner().name, self.work_delay);
        let reply = self
            .pool
            .unary(move || {
                // The tutorial's handler, on a worker thread, where blocking is fine.
                std::thread::sleep(work_delay);
                Ok(SayHelloResponse {
                    message: format!("Hello, {name}!"),
                })
            })
            .await?;
        Ok(Response::new(reply))
    }
}
// ANCHOR_END: greeter

// ANCHOR: serve
/// The tutorial's `serve()`: a pool of `max_workers` threads, the greeter, the
/// start-up line; serves until `shutdown` completes, then lets calls finish.
pub async fn serve(
    listener: TcpListener,
    max_workers: usize,
    work_delay: Duration,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let pool = WorkerPool::new(max_workers);
    let port = listener.local_addr()?.port();
    println!("Server started, listening on {port}");
    // Nagle off, as tonic does when it binds a port itself: a small reply
    // should not wait for the ACK of the one before.
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .add_service(GreeterServiceServer::new(Greeter { pool, work_delay }))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}
// ANCHOR_END: serve
