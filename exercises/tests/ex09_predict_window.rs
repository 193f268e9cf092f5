//! Exercise 9: the three predictions against the encoded request and a real,
//! stalled stream.
//!
//! The one timing here is how the test tells "stalled" from "still going": no new
//! request made for [`QUIET`] on a loopback socket.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::Stream;
use grpc_exercises::ex09_predict_window::{
    NAME_CHARS, REQUESTS, REQUESTS_MADE, WHOLE_REQUESTS_IN_WINDOW, WINDOW, WIRE_BYTES_PER_REQUEST,
};
use grpc_exercises::support::{self, within_blocking};
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use prost::Message;
use sync_kit::BlockingChannel;
use tokio::sync::Notify;
use tonic::transport::{Endpoint, Server};
use tonic::{Request, Response, Status, Streaming};

/// How long without a new request counts as "stalled".
const QUIET: Duration = Duration::from_millis(1000);

fn request() -> SayHelloRequest {
    SayHelloRequest {
        name: "1".repeat(NAME_CHARS),
    }
}

/// The bytes one request takes on the wire: the message and the 5-byte prefix.
fn measured_wire_bytes() -> usize {
    request().encoded_len() + 5
}

#[test]
fn the_bytes_per_request() {
    let measured = measured_wire_bytes();
    assert_eq!(
        WIRE_BYTES_PER_REQUEST,
        measured,
        "you predicted {WIRE_BYTES_PER_REQUEST}; prost encodes {} bytes, plus 5 for gRPC's prefix",
        measured - 5
    );
}

#[test]
fn the_whole_requests_in_the_window() {
    let measured = WINDOW as usize / measured_wire_bytes();
    assert_eq!(
        WHOLE_REQUESTS_IN_WINDOW,
        measured,
        "you predicted {WHOLE_REQUESTS_IN_WINDOW}; {WINDOW} / {} is {measured}",
        measured_wire_bytes()
    );
}

/// Reads nothing until released, then counts the requests and answers once.
struct Busy {
    release: Arc<Notify>,
}

#[tonic::async_trait]
impl GreeterService for Busy {
    type SayHelloStream = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

    /// Answers the call at once (so the client can start streaming), but reads
    /// its requests only when released.
    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let release = self.release.clone();
        let mut inbound = request.into_inner();
        let reply = futures::stream::once(async move {
            release.notified().await;
            let mut count = 0;
            while inbound.message().await?.is_some() {
                count += 1;
            }
            Ok(SayHelloResponse {
                message: count.to_string(),
            })
        });
        Ok(Response::new(Box::pin(reply)))
    }
}

#[test]
fn the_requests_made_before_the_client_stalls() {
    within_blocking(|| {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
        let release = Arc::new(Notify::new());
        let busy = Busy {
            release: release.clone(),
        };
        let router = Server::builder()
            .initial_stream_window_size(WINDOW)
            .initial_connection_window_size(WINDOW)
            .http2_adaptive_window(Some(false))
            .add_service(GreeterServiceServer::new(busy));
        let server = runtime.block_on(support::serve(router));

        let endpoint = Endpoint::from_shared(server.url(false)).expect("a URL");
        let channel = BlockingChannel::connect(endpoint).expect("connect");
        let mut stub = GreeterServiceClient::new(channel.channel());
        let made = Arc::new(AtomicUsize::new(0));
        let counter = made.clone();
        let requests = (0..REQUESTS).map(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            request()
        });
        let replies = channel
            .bidi(requests, |stream| stub.say_hello(stream))
            .expect("SayHello");

        // Wait until no new request has been made for QUIET.
        let (mut last, mut since) = (made.load(Ordering::SeqCst), Instant::now());
        while since.elapsed() < QUIET {
            std::thread::sleep(Duration::from_millis(20));
            let now = made.load(Ordering::SeqCst);
            if now != last {
                (last, since) = (now, Instant::now());
            }
        }
        assert_eq!(
            REQUESTS_MADE, last,
            "you predicted {REQUESTS_MADE}; the client's iterator made {last} requests \
             before it stalled, the server having read none"
        );

        release.notify_one();
        let answers: Vec<_> = replies.map(|reply| reply.expect("an answer")).collect();
        assert_eq!(answers.len(), 1);
        assert_eq!(
            answers[0].message,
            REQUESTS.to_string(),
            "all arrive in the end"
        );
    });
}
