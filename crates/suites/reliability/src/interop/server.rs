//! `reliability interop-server`: grpc's `grpc.testing.TestService`, doing what
//! grpc's interop test descriptions ask of a server.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::{Stream, StreamExt};
use http::HeaderName;
use interop_proto::grpc_testing as pb;
use pb::test_service_server::{TestService, TestServiceServer};
use tokio_stream::wrappers::ReceiverStream;
use tonic::codec::{CompressionEncoding, SingleMessageCompressionOverride};
use tonic::{Code, Request, Response, Status, Streaming};

/// Responses larger than this are refused: the peers' default receive limit is 4 MiB.
const MAX_RESPONSE_SIZE: i32 = 4 * 1024 * 1024 - 64;

const ECHO_INITIAL: HeaderName = HeaderName::from_static("x-grpc-test-echo-initial");
const ECHO_TRAILING: HeaderName = HeaderName::from_static("x-grpc-test-echo-trailing-bin");

/// The test service; it keeps no state between calls.
#[derive(Debug, Default, Clone, Copy)]
pub struct Interop;

fn payload(size: i32) -> Result<pb::Payload, Status> {
    if !(0..=MAX_RESPONSE_SIZE).contains(&size) {
        return Err(Status::invalid_argument(format!(
            "response size {size} is outside 0..={MAX_RESPONSE_SIZE}"
        )));
    }
    Ok(pb::Payload {
        r#type: pb::PayloadType::Compressable as i32,
        body: vec![0; size as usize],
    })
}

/// The status a request asks to be answered with (`response_status`), if any.
fn requested_status(status: &Option<pb::EchoStatus>) -> Result<(), Status> {
    match status {
        Some(echo) if echo.code != 0 => Err(Status::new(Code::from_i32(echo.code), &echo.message)),
        _ => Ok(()),
    }
}

/// Whether the request arrived compressed. tonic decompresses before the handler
/// runs, so only the call's `grpc-encoding` header is visible, not each message's
/// compressed flag: a call declaring gzip counts as compressed.
fn arrived_compressed<T>(request: &Request<T>) -> bool {
    request
        .metadata()
        .get("grpc-encoding")
        .is_some_and(|encoding| encoding != "identity")
}

fn check_expect_compressed(expect: &Option<pb::BoolValue>, compressed: bool) -> Result<(), Status> {
    if expect.as_ref().is_some_and(|b| b.value) && !compressed {
        return Err(Status::invalid_argument(
            "expected a compressed request, got an uncompressed one",
        ));
    }
    Ok(())
}

fn wanted(flag: &Option<pb::BoolValue>) -> bool {
    flag.as_ref().is_some_and(|b| b.value)
}

fn with_compression<T>(mut response: Response<T>, compress: bool) -> Response<T> {
    if !compress {
        response
            .extensions_mut()
            .insert(SingleMessageCompressionOverride::Disable);
    }
    response
}

type ResponseStream =
    Pin<Box<dyn Stream<Item = Result<pb::StreamingOutputCallResponse, Status>> + Send>>;

/// Sends the responses one request's parameters ask for, waiting `interval_us` before each.
async fn respond(
    request: &pb::StreamingOutputCallRequest,
    tx: &tokio::sync::mpsc::Sender<Result<pb::StreamingOutputCallResponse, Status>>,
) -> Result<(), Status> {
    requested_status(&request.response_status)?;
    for parameters in &request.response_parameters {
        if parameters.interval_us > 0 {
            // A client that goes away ends the wait too: a cancelled call must not
            // keep a task sleeping for as long as the caller asked.
            let interval = Duration::from_micros(parameters.interval_us.unsigned_abs().into());
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = tx.closed() => return Ok(()),
            }
        }
        let response = pb::StreamingOutputCallResponse {
            payload: Some(payload(parameters.size)?),
        };
        if tx.send(Ok(response)).await.is_err() {
            return Ok(()); // the client went away
        }
    }
    Ok(())
}

#[tonic::async_trait]
impl TestService for Interop {
    async fn empty_call(&self, _: Request<pb::Empty>) -> Result<Response<pb::Empty>, Status> {
        Ok(Response::new(pb::Empty {}))
    }

    async fn unary_call(
        &self,
        request: Request<pb::SimpleRequest>,
    ) -> Result<Response<pb::SimpleResponse>, Status> {
        let compressed = arrived_compressed(&request);
        let request = request.into_inner();
        check_expect_compressed(&request.expect_compressed, compressed)?;
        requested_status(&request.response_status)?;
        let response = pb::SimpleResponse {
            payload: Some(payload(request.response_size)?),
            ..Default::default()
        };
        Ok(with_compression(
            Response::new(response),
            wanted(&request.response_compressed),
        ))
    }

    async fn cacheable_unary_call(
        &self,
        request: Request<pb::SimpleRequest>,
    ) -> Result<Response<pb::SimpleResponse>, Status> {
        self.unary_call(request).await
    }

    type StreamingOutputCallStream = ResponseStream;

    async fn streaming_output_call(
        &self,
        request: Request<pb::StreamingOutputCallRequest>,
    ) -> Result<Response<ResponseStream>, Status> {
        let request = request.into_inner();
        // tonic compresses a whole stream or none of it: any message asking for it compresses all.
        let compress = request
            .response_parameters
            .iter()
            .any(|p| wanted(&p.compressed));
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            if let Err(status) = respond(&request, &tx).await {
                let _ = tx.send(Err(status)).await;
            }
        });
        let stream: ResponseStream = Box::pin(ReceiverStream::new(rx));
        Ok(with_compression(Response::new(stream), compress))
    }

    async fn streaming_input_call(
        &self,
        request: Request<Streaming<pb::StreamingInputCallRequest>>,
    ) -> Result<Response<pb::StreamingInputCallResponse>, Status> {
        let compressed = arrived_compressed(&request);
        let mut stream = request.into_inner();
        let mut total: i32 = 0;
        while let Some(message) = stream.message().await? {
            check_expect_compressed(&message.expect_compressed, compressed)?;
            let size = message.payload.map_or(0, |p| p.body.len()) as i32;
            total = total.saturating_add(size);
        }
        Ok(Response::new(pb::StreamingInputCallResponse {
            aggregated_payload_size: total,
        }))
    }

    type FullDuplexCallStream = ResponseStream;

    async fn full_duplex_call(
        &self,
        request: Request<Streaming<pb::StreamingOutputCallRequest>>,
    ) -> Result<Response<ResponseStream>, Status> {
        let mut requests = request.into_inner();
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            loop {
                let request = match requests.message().await {
                    Ok(Some(request)) => request,
                    Ok(None) => return,
                    Err(status) => {
                        let _ = tx.send(Err(status)).await;
                        return;
                    }
                };
                if let Err(status) = respond(&request, &tx).await {
                    let _ = tx.send(Err(status)).await;
                    return;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    type HalfDuplexCallStream = ResponseStream;

    async fn half_duplex_call(
        &self,
        request: Request<Streaming<pb::StreamingOutputCallRequest>>,
    ) -> Result<Response<ResponseStream>, Status> {
        // All requests first, then all responses.
        let requests: Vec<_> = request.into_inner().collect().await;
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            for request in requests {
                let outcome = match request {
                    Ok(request) => respond(&request, &tx).await,
                    Err(status) => Err(status),
                };
                if let Err(status) = outcome {
                    let _ = tx.send(Err(status)).await;
                    return;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn unimplemented_call(
        &self,
        _: Request<pb::Empty>,
    ) -> Result<Response<pb::Empty>, Status> {
        Err(Status::unimplemented(
            "UnimplementedCall is not implemented, on purpose",
        ))
    }
}

/// The service with gzip accepted and offered (sent only to clients accepting it).
pub fn service() -> TestServiceServer<Interop> {
    TestServiceServer::new(Interop)
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip)
}

/// Echoes `x-grpc-test-echo-initial` into the response headers and
/// `x-grpc-test-echo-trailing-bin` into the trailers, whatever the method.
#[derive(Debug, Clone, Copy, Default)]
pub struct EchoMetadataLayer;

impl<S> tower::Layer<S> for EchoMetadataLayer {
    type Service = EchoMetadata<S>;
    fn layer(&self, inner: S) -> Self::Service {
        EchoMetadata { inner }
    }
}

/// See [`EchoMetadataLayer`].
#[derive(Debug, Clone)]
pub struct EchoMetadata<S> {
    inner: S,
}

impl<S, B> tower::Service<http::Request<B>> for EchoMetadata<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let initial = request.headers().get(ECHO_INITIAL).cloned();
        let trailing = request.headers().get(ECHO_TRAILING).cloned();
        let response = self.inner.call(request);
        Box::pin(async move {
            let mut response = response.await?;
            if let Some(value) = initial {
                response.headers_mut().insert(ECHO_INITIAL, value);
            }
            let Some(value) = trailing else {
                return Ok(response);
            };
            // A trailers-only response (an error) carries its trailers in the headers.
            if response.headers().contains_key("grpc-status") {
                response.headers_mut().insert(ECHO_TRAILING, value);
                return Ok(response);
            }
            Ok(response.map(|body| {
                tonic::body::Body::new(AddTrailer {
                    body,
                    value: Some(value),
                })
            }))
        })
    }
}

/// A body that adds one trailer to the trailers its inner body sends.
struct AddTrailer {
    body: tonic::body::Body,
    value: Option<http::HeaderValue>,
}

impl http_body::Body for AddTrailer {
    type Data = bytes::Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let frame = std::task::ready!(Pin::new(&mut self.body).poll_frame(cx));
        Poll::Ready(frame.map(|frame| {
            frame.map(|frame| match frame.into_trailers() {
                Ok(mut trailers) => {
                    if let Some(value) = self.value.take() {
                        trailers.insert(ECHO_TRAILING, value);
                    }
                    http_body::Frame::trailers(trailers)
                }
                Err(frame) => frame,
            })
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }
}
