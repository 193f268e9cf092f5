//! Exercise 9: the three predictions against the encoded request and the DATA
//! frames of a real, stalled stream.
//!
//! A proxy between client and server records the client's DATA frames; the test
//! reads them the moment a whole window has passed (an event: the server reads
//! nothing, so nothing more can pass). A miss says only "not yet".

use std::pin::Pin;
use std::sync::Arc;

use futures::Stream;
use grpc_exercises::ex09_predict_window::{
    NAME_CHARS, PART_SENT_BYTES, REQUESTS, WHOLE_REQUESTS_IN_WINDOW, WINDOW, WIRE_BYTES_PER_REQUEST,
};
use grpc_exercises::support::proxy::DataFrames;
use grpc_exercises::support::{self, within_blocking};
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use prost::Message;
use sync_kit::BlockingChannel;
use tokio::sync::Notify;
use tonic::transport::{Endpoint, Server};
use tonic::{Request, Response, Status, Streaming};

fn request() -> SayHelloRequest {
    SayHelloRequest {
        name: "1".repeat(NAME_CHARS),
    }
}

#[test]
fn the_bytes_per_request() {
    let measured = request().encoded_len() + 5;
    assert!(
        WIRE_BYTES_PER_REQUEST == measured,
        "not yet: a request is not {WIRE_BYTES_PER_REQUEST} bytes in a DATA frame"
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

/// The tutorial's blocking bidi client streams to a busy server through the
/// proxy; returns the DATA frames' sizes once a whole window has passed, after
/// checking that everything arrives once the server reads.
fn frames_before_the_stall() -> Vec<usize> {
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
        let mut proxy = runtime.block_on(DataFrames::start(server.addr()));

        let endpoint = Endpoint::from_shared(format!("http://{}", proxy.addr())).expect("a URL");
        let channel = BlockingChannel::connect(endpoint).expect("connect");
        let mut stub = GreeterServiceClient::new(channel.channel());
        let requests = (0..REQUESTS).map(|_| request());
        let replies = channel
            .bidi(requests, |stream| stub.say_hello(stream))
            .expect("SayHello");

        let frames = runtime.block_on(proxy.wait_for_bytes(WINDOW as usize));
        assert_eq!(
            frames.iter().sum::<usize>(),
            WINDOW as usize,
            "more than the window passed while the server read nothing: {frames:?}"
        );

        release.notify_one();
        let answers: Vec<_> = replies.map(|reply| reply.expect("an answer")).collect();
        assert_eq!(answers.len(), 1);
        assert_eq!(
            answers[0].message,
            REQUESTS.to_string(),
            "all arrive in the end"
        );
        frames
    })
}

#[test]
fn the_whole_requests_in_the_window() {
    let frames = frames_before_the_stall();
    let whole = frames
        .iter()
        .filter(|&&n| n == request().encoded_len() + 5)
        .count();
    assert!(
        WHOLE_REQUESTS_IN_WINDOW == whole,
        "not yet: {WHOLE_REQUESTS_IN_WINDOW} is not how many whole requests go out"
    );
}

#[test]
fn the_part_of_the_next_request_that_still_goes_out() {
    let frames = frames_before_the_stall();
    let last = frames.last().copied().unwrap_or(0);
    assert!(
        PART_SENT_BYTES == last,
        "not yet: {PART_SENT_BYTES} bytes is not what goes out of the next request"
    );
}
