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
use sync_bidi_streaming::client;
use sync_kit::{BlockingChannel, run_blocking};
use tokio::task::JoinHandle;
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

/// Serves `Busy` on `server` at 127.0.0.1:0: its URL and the counter a client
/// bumps for each request it makes.
async fn start_busy(mut server: Server) -> (String, Arc<AtomicUsize>, JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let produced = Arc::new(AtomicUsize::new(0));
    let service = GreeterServiceServer::new(Busy {
        produced: produced.clone(),
    });
    let serving = tokio::spawn(async move {
        let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
        let _ = server
            .add_service(service)
            .serve_with_incoming(incoming)
            .await;
    });
    (format!("http://{addr}"), produced, serving)
}

/// `Busy`'s one reply: requests made before it read, requests read.
fn counts(reply: &str) -> (usize, usize) {
    let mut numbers = reply.split(' ').map(|n| n.parse().unwrap());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

/// The server's `SETTINGS` fix both windows at 65 535 bytes.
fn fixed_windows() -> Server {
    Server::builder()
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW)
}

/// Requests the client had produced when the server began reading, and requests
/// read, for a client streaming `requests` requests from an always-ready stream.
async fn produced_before_the_server_reads(server: Server, requests: usize) -> (usize, usize) {
    let (url, produced, serving) = start_busy(server).await;
    // The client sets the same fixed windows, and nothing about the adaptive window.
    let channel = Endpoint::from_shared(url)
        .unwrap()
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW)
        .connect()
        .await
        .unwrap();
    let requests = tokio_stream::iter(0..requests).map(move |_| {
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
    counts(&reply.message)
}

#[tokio::test]
async fn without_touching_the_adaptive_window_fixed_windows_hold_the_client_back() {
    let (before, read) = produced_before_the_server_reads(fixed_windows(), REQUESTS).await;
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
    let (before, read) = produced_before_the_server_reads(Server::builder(), REQUESTS).await;
    assert_eq!((before, read), (REQUESTS, REQUESTS));
}

#[tokio::test]
async fn an_always_ready_stream_is_encoded_nine_requests_at_a_time() {
    // tonic's encoder hands hyper a chunk once it has passed 32 KiB: nine
    // 4 008-byte requests (36 072 bytes). The first chunk fits the 65 535-byte
    // window, the second only partly, and hyper holds a third: 27 made.
    assert_eq!(
        produced_before_the_server_reads(fixed_windows(), REQUESTS).await,
        (27, REQUESTS)
    );
    // The flow-control page's 25 requests are all made before the first read.
    assert_eq!(
        produced_before_the_server_reads(fixed_windows(), 25).await,
        (25, 25)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lessons_client_has_made_18_requests_when_the_window_closes() {
    // 16 sent, 1 half sent, 1 in hyper's hand: the demand-driven iterator is not
    // stepped again until the server reads.
    let (url, produced, serving) = start_busy(fixed_windows()).await;
    let reply = run_blocking(move || {
        let endpoint = Endpoint::from_shared(url)?
            .initial_stream_window_size(WINDOW)
            .initial_connection_window_size(WINDOW);
        let channel = BlockingChannel::connect(endpoint)?;
        let mut stub = GreeterServiceClient::new(channel.channel());
        let requests = client::requests(25, SIZE).inspect(move |_| {
            produced.fetch_add(1, Ordering::SeqCst);
        });
        let mut replies = channel.bidi(requests, |stream| stub.say_hello(stream))?;
        let reply = replies.next().expect("one reply")?;
        anyhow::Ok(reply.message)
    })
    .await
    .expect("the call succeeds");
    serving.abort();
    assert_eq!(counts(&reply), (18, 25));
}
