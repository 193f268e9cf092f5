//! tonic (and hyper) leave the adaptive window, BDP probing, off unless asked: with
//! only the two 65 535-byte windows set, and `http2_adaptive_window` never called on
//! either side, a client streaming to a server that does not read yet is held back
//! after about 64 KiB. The fixed windows are what makes the flow-control experiment
//! work; `.http2_adaptive_window(Some(false))` in the lesson only spells out the default.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use tokio_stream::{Stream, StreamExt};
use tonic::transport::{Endpoint, Server};
use tonic::{Request, Response, Status, Streaming};

const WINDOW: u32 = 65_535;
const REQUESTS: usize = 100;
const SIZE: usize = 4_000;
/// How long the server is "busy" before it reads: the experiment's initial delay.
const BUSY: Duration = Duration::from_millis(500);

/// Waits `BUSY`, notes how many requests the client has produced by then, reads them all.
struct Busy {
    produced: Arc<AtomicUsize>,
}

#[tonic::async_trait]
impl GreeterService for Busy {
    type SayHelloStream = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        tokio::time::sleep(BUSY).await;
        let before_reading = self.produced.load(Ordering::SeqCst);
        let mut requests = request.into_inner();
        let mut read = 0;
        while requests.message().await?.is_some() {
            read += 1;
        }
        let message = format!("{before_reading} {read}");
        let reply = tokio_stream::once(Ok(SayHelloResponse { message }));
        Ok(Response::new(Box::pin(reply)))
    }
}

/// Requests the client had produced when the server began reading, and requests read.
async fn produced_before_the_server_reads(mut server: Server) -> (usize, usize) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let produced = Arc::new(AtomicUsize::new(0));
    let service = GreeterServiceServer::new(Busy {
        produced: produced.clone(),
    });
    let serving = tokio::spawn(
        server
            .add_service(service)
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
    );
    // The client sets the same fixed windows, and nothing about the adaptive window.
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW)
        .connect()
        .await
        .unwrap();
    let requests = tokio_stream::iter(0..REQUESTS).map(move |_| {
        produced.fetch_add(1, Ordering::SeqCst);
        SayHelloRequest {
            name: "x".repeat(SIZE),
        }
    });
    let mut replies = GreeterServiceClient::new(channel)
        .say_hello(requests)
        .await
        .unwrap()
        .into_inner();
    let reply = replies.message().await.unwrap().expect("one reply");
    serving.abort();
    let mut numbers = reply.message.split(' ').map(|n| n.parse().unwrap());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

#[tokio::test]
async fn without_touching_the_adaptive_window_fixed_windows_hold_the_client_back() {
    let server = Server::builder()
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW);
    let (before, read) = produced_before_the_server_reads(server).await;
    assert_eq!(read, REQUESTS);
    // 16 requests of 4 008 bytes fit 65 535 bytes; tonic encodes up to 32 KiB ahead
    // of the window, about 8 more: far from all 100 (400 kB).
    assert!(
        before < 50,
        "{before} of {REQUESTS} requests went out unread"
    );
}

#[tokio::test]
async fn hypers_default_windows_take_the_whole_stream() {
    // Without the fixed windows (hyper's 1 MiB), nothing holds the client back.
    let (before, read) = produced_before_the_server_reads(Server::builder()).await;
    assert_eq!((before, read), (REQUESTS, REQUESTS));
}
