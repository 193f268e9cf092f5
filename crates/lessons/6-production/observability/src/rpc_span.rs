//! A span per gRPC call, on either side, with OpenTelemetry's RPC attributes.
//!
//! As a server layer it continues the caller's trace from the `traceparent` it
//! received; as a client layer it starts a child of the current span and sends its
//! own `traceparent` on. The span stays open until the response's last frame, where
//! `grpc-status` is: in the trailers, or in the headers of a trailers-only error.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::HeaderMap;
use http_body_util::BodyExt;
use opentelemetry::global;
use tonic::Code;
use tonic::body::Body;
use tower::{Layer, Service};
use tracing::{Instrument, Span, field::Empty};
use tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::propagation::{MetadataExtractor, MetadataInjector};

type BoxFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

/// Which end of the call the span describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

/// Adds [`RpcSpan`] around a tonic server (routes) or client (channel).
#[derive(Debug, Clone, Copy)]
pub struct RpcSpanLayer(pub Side);

impl<S> Layer<S> for RpcSpanLayer {
    type Service = RpcSpan<S>;
    fn layer(&self, inner: S) -> RpcSpan<S> {
        RpcSpan {
            inner,
            side: self.0,
        }
    }
}

/// See the module docs.
#[derive(Debug, Clone)]
pub struct RpcSpan<S> {
    inner: S,
    side: Side,
}

impl<S, B> Service<http::Request<B>> for RpcSpan<S>
where
    S: Service<http::Request<B>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        // The path is `/package.Service/Method`.
        let path = request.uri().path().trim_start_matches('/').to_owned();
        let (service, method) = path.split_once('/').unwrap_or(("", ""));
        let side = self.side;
        let span = match side {
            Side::Server => tracing::info_span!(
                "rpc",
                otel.kind = "server",
                otel.name = path,
                otel.status_code = Empty,
                rpc.system = "grpc",
                rpc.service = service,
                rpc.method = method,
                rpc.grpc.status_code = Empty
            ),
            Side::Client => tracing::info_span!(
                "rpc",
                otel.kind = "client",
                otel.name = path,
                otel.status_code = Empty,
                rpc.system = "grpc",
                rpc.service = service,
                rpc.method = method,
                rpc.grpc.status_code = Empty
            ),
        };
        global::get_text_map_propagator(|propagator| match side {
            Side::Server => {
                let parent = propagator.extract(&MetadataExtractor(request.headers()));
                let _ = span.set_parent(parent);
            }
            Side::Client => {
                let headers = request.headers_mut();
                propagator.inject_context(&span.context(), &mut MetadataInjector(headers));
            }
        });

        let response = self.inner.call(request).instrument(span.clone());
        Box::pin(async move {
            let response = match response.await {
                Ok(response) => response,
                Err(error) => {
                    // The call never got an answer: the client sees UNAVAILABLE.
                    record(&span, side, Code::Unavailable);
                    return Err(error);
                }
            };
            if let Some(code) = grpc_status(response.headers()) {
                record(&span, side, code);
            }
            // Otherwise the status comes in the trailers; the span ends with the body.
            Ok(response.map(|body| {
                Body::new(body.map_frame(move |frame| {
                    if let Some(code) = frame.trailers_ref().and_then(grpc_status) {
                        record(&span, side, code);
                    }
                    frame
                }))
            }))
        })
    }
}

fn grpc_status(headers: &HeaderMap) -> Option<Code> {
    let value = headers.get("grpc-status")?.to_str().ok()?;
    Some(Code::from_i32(value.parse().ok()?))
}

fn record(span: &Span, side: Side, code: Code) {
    span.record("rpc.grpc.status_code", code as i64);
    // The RPC conventions: any failure is a client's error; a server's only when
    // the fault is on its side (a bad argument is the caller's).
    let server_fault = matches!(
        code,
        Code::Unknown
            | Code::DeadlineExceeded
            | Code::Unimplemented
            | Code::Internal
            | Code::Unavailable
            | Code::DataLoss
    );
    if code != Code::Ok && (side == Side::Client || server_fault) {
        span.record("otel.status_code", "error");
    }
}
