// ANCHOR: head
//! The sync bidi server: the tutorial's flow-control server, its handler an
//! iterator of requests in and an iterator of replies out.

use std::future::Future;
use std::time::Duration;

use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use sync_kit::{ResponseStream, WorkerPool, after_yield};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status, Streaming};

/// HTTP/2's default window, in bytes, which the tutorial keeps by turning BDP
/// probing off: the most a peer may send before the reader catches up.
pub const WINDOW: u32 = 65_535;

/// The tutorial's `datetime.now().strftime("%T.%f")`: local time, microseconds.
fn now() -> String {
    chrono::Local::now().format("%T%.6f").to_string()
}
// ANCHOR_END: head

// ANCHOR: handler
/// The tutorial's `SayHello`: wait, then for each request count its characters,
/// work, and reply "Hello", logging every fifth request.
pub fn say_hello(
    requests: impl Iterator<Item = SayHelloRequest>,
    initial_delay: Duration,
    work_delay: Duration,
) -> impl Iterator<Item = SayHelloResponse> {
    std::thread::sleep(initial_delay); // not reading: the requests fill the window
    let mut received = 0;
    let replies = requests.enumerate().map(move |(index, request)| {
        let i = index + 1;
        received += request.name.chars().count();
        if i % 5 == 0 {
            println!(
                "{}   Request {i}:   Received {received} char in total",
                now()
            );
        }
        std::thread::sleep(work_delay);
        SayHelloResponse {
            message: "Hello".into(),
        }
    });
    // Python prints "Sent" after `yield`, once the transport took the reply.
    after_yield(replies, |i| {
        if i % 5 == 0 {
            println!("{}   Request {i}:   Sent {} char in total\n", now(), 5 * i);
        }
    })
}
// ANCHOR_END: handler

// ANCHOR: greeter
/// The servicer: one worker of `pool` runs the whole conversation.
#[derive(Debug, Clone, Default)]
pub struct Greeter {
    /// The worker threads: at most `max_workers` conversations at once.
    pub pool: WorkerPool,
    /// How long to wait before reading anything (the tutorial's 5 s).
    pub initial_delay: Duration,
    /// Pretend work per request (the tutorial's 1 s).
    pub work_delay: Duration,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = ResponseStream<SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let (initial_delay, work_delay) = (self.initial_delay, self.work_delay);
        let replies = self
            .pool
            .bidi(request.into_inner(), move |requests| {
                say_hello(requests, initial_delay, work_delay)
            })
            .await?;
        Ok(Response::new(replies))
    }
}
// ANCHOR_END: greeter

// ANCHOR: serve
/// The tutorial's `serve()`, with its fixed 65 535-byte windows (`bdp_probe = 0`).
pub async fn serve(
    listener: TcpListener,
    max_workers: usize,
    initial_delay: Duration,
    work_delay: Duration,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let pool = WorkerPool::new(max_workers);
    let greeter = Greeter {
        pool,
        initial_delay,
        work_delay,
    };
    let port = listener.local_addr()?.port();
    println!("Server started, listening on {port}");
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW)
        .http2_adaptive_window(Some(false))
        .add_service(GreeterServiceServer::new(greeter))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}
// ANCHOR_END: serve
