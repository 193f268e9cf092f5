// ANCHOR: head
//! The greeter under test: the tutorial's v1 (unary), v2 (server streaming),
//! v3 (bidi) and v4 (client streaming) contracts, obeying the [test-service protocol](crate::protocol).
//!
//! Written the way a production tonic service is: every stream is produced by a
//! task writing into a *bounded* channel (so a slow reader pushes back on the
//! producer instead of growing a queue), every handler holds an
//! [`InFlight`](lesson_kit::InFlight) guard (so a test can see that a vanished
//! client left nothing running), and bad instructions are statuses, not panics.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use helloworld_proto::{v1, v2, v3, v4};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

use crate::probes::Probes;
use crate::protocol::{DEFAULT_RESPONSE_COUNT, Instructions};

/// The responses of a streaming call, as tonic's generated traits want them.
pub type ResponseStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// One greeter implementing all three contracts; cheap to clone.
#[derive(Clone, Debug)]
pub struct Greeter {
    probes: Probes,
    stream_buffer: usize,
    max_message_bytes: usize,
}

impl Greeter {
    /// A greeter reporting to `probes`, buffering at most `stream_buffer`
    /// messages per stream between producer and tonic, and refusing to build a
    /// response over `max_message_bytes` however large a client asks for.
    pub fn new(probes: Probes, stream_buffer: usize, max_message_bytes: usize) -> Self {
        Self {
            probes,
            stream_buffer: stream_buffer.max(1),
            max_message_bytes,
        }
    }

    /// The response stream for `rx`, counted in the probes if the client
    /// abandons it before its end.
    fn watched<T: Send + 'static>(
        &self,
        rx: mpsc::Receiver<Result<T, Status>>,
    ) -> ResponseStream<T> {
        Box::pin(Watched {
            inner: ReceiverStream::new(rx),
            finished: false,
            probes: self.probes.clone(),
        })
    }

    /// A response carrying the echoed headers.
    fn respond<T>(instructions: &Instructions, message: T) -> Response<T> {
        let mut response = Response::new(message);
        *response.metadata_mut() = instructions.echo_headers();
        response
    }
}
// ANCHOR_END: head

// ANCHOR: unary
#[tonic::async_trait]
impl v1::greeter_service_server::GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<v1::SayHelloRequest>,
    ) -> Result<Response<v1::SayHelloResponse>, Status> {
        // Dropped when the call ends for any reason, including a deadline or a
        // client that went away while we slept.
        let _guard = self.probes.in_flight.enter();
        let instructions = Instructions::from_metadata(request.metadata(), self.max_message_bytes)?;
        if let Some(sleep) = instructions.sleep {
            tokio::time::sleep(sleep).await;
        }
        if let Some(failure) = instructions.requested_failure() {
            return Err(failure);
        }
        let message = instructions.sized(format!("Hello, {}!", request.get_ref().name));
        Ok(Self::respond(
            &instructions,
            v1::SayHelloResponse { message },
        ))
    }
}
// ANCHOR_END: unary

// ANCHOR: server_streaming
#[tonic::async_trait]
impl v2::greeter_service_server::GreeterService for Greeter {
    type SayHelloStream = ResponseStream<v2::SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<v2::SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let instructions = Instructions::from_metadata(request.metadata(), self.max_message_bytes)?;
        let count = instructions
            .response_count
            .unwrap_or(DEFAULT_RESPONSE_COUNT);
        let name = request.into_inner().name;
        // Bounded: when the client stops reading, `send` waits instead of queueing.
        let (tx, rx) = mpsc::channel(self.stream_buffer);
        let (probes, reply) = (self.probes.clone(), instructions.clone());
        tokio::spawn(async move {
            let _guard = probes.in_flight.enter();
            for i in 0..count {
                let message = reply.sized(format!("Hello, {name}! #{i}"));
                // Seen by the probes: a producer stopped by a full buffer.
                let waiting = (tx.capacity() == 0).then(|| probes.waiting_for_room());
                if tx.send(Ok(v2::SayHelloResponse { message })).await.is_err() {
                    return; // the client went away: stop producing
                }
                drop(waiting);
                probes.count_produced();
            }
            let _ = tx.send(Err(reply.final_status())).await;
        });
        Ok(Self::respond(&instructions, self.watched(rx)))
    }
}
// ANCHOR_END: server_streaming

// ANCHOR: bidi
#[tonic::async_trait]
impl v3::greeter_service_server::GreeterService for Greeter {
    type SayHelloStream = ResponseStream<v3::SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<Streaming<v3::SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let instructions = Instructions::from_metadata(request.metadata(), self.max_message_bytes)?;
        let mut inbound = request.into_inner();
        let (tx, rx) = mpsc::channel(self.stream_buffer);
        let (probes, reply) = (self.probes.clone(), instructions.clone());
        // A task of its own reads the inbound stream, so replies flow while it waits.
        tokio::spawn(async move {
            let _guard = probes.in_flight.enter();
            let end = loop {
                match inbound.message().await {
                    Ok(Some(_)) if reply.status.is_some() => break reply.final_status(),
                    Ok(Some(hello)) => {
                        let message = reply.sized(format!("Hello, {}!", hello.name));
                        if tx.send(Ok(v3::SayHelloResponse { message })).await.is_err() {
                            return;
                        }
                        probes.count_produced();
                    }
                    Ok(None) => break reply.final_status(),
                    // tonic ends a request stream cleanly (`Ok(None)`) when the
                    // client cancels; other failures (a broken frame) land here.
                    Err(status) => break status,
                }
            };
            let _ = tx.send(Err(end)).await;
        });
        Ok(Self::respond(&instructions, self.watched(rx)))
    }
}
// ANCHOR_END: bidi

// ANCHOR: client_streaming
#[tonic::async_trait]
impl v4::greeter_service_server::GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<Streaming<v4::SayHelloRequest>>,
    ) -> Result<Response<v4::SayHelloResponse>, Status> {
        let _guard = self.probes.in_flight.enter();
        let instructions = Instructions::from_metadata(request.metadata(), self.max_message_bytes)?;
        let mut inbound = request.into_inner();
        // Counted, not kept: however many names a client streams, the server
        // holds one message at a time (and tonic's request timeout ends a stream
        // that never stops).
        let (mut count, mut bytes) = (0u32, 0u64);
        while let Some(hello) = inbound.message().await? {
            count = count.saturating_add(1);
            bytes += hello.name.len() as u64;
        }
        if let Some(failure) = instructions.requested_failure() {
            return Err(failure);
        }
        let message = instructions.sized(format!("Hello to {count} names ({bytes} bytes)!"));
        let reply = v4::SayHelloResponse {
            message,
            greeted_count: count,
        };
        Ok(Self::respond(&instructions, reply))
    }
}
// ANCHOR_END: client_streaming

// ANCHOR: watched
/// A response stream that knows whether the client saw its end.
///
/// tonic ends a server's *request* stream cleanly when the client cancels (a
/// RST_STREAM CANCEL reads as `Ok(None)`, like a half-close), so the handler
/// cannot see the cancel there. What it can see is hyper dropping the *response*
/// stream before its end: that is counted as abandoned.
struct Watched<S> {
    inner: S,
    finished: bool,
    probes: Probes,
}

impl<S, T> Stream for Watched<S>
where
    S: Stream<Item = Result<T, Status>> + Unpin,
{
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let next = Pin::new(&mut self.inner).poll_next(cx);
        if let Poll::Ready(Some(Ok(_))) = &next {
            self.probes.count_pulled();
        }
        // A status (even OK) is the last item tonic reads; so is the end.
        if let Poll::Ready(None | Some(Err(_))) = &next {
            self.finished = true;
        }
        next
    }
}

impl<S> Drop for Watched<S> {
    fn drop(&mut self) {
        if !self.finished {
            self.probes.count_abandoned();
        }
    }
}
// ANCHOR_END: watched
