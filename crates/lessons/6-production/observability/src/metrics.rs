//! Server metrics with grpc-ecosystem's names, so existing gRPC dashboards work:
//! `grpc_server_started_total`, `grpc_server_handled_total` (by code),
//! `grpc_server_handling_seconds` and calls in flight, collected by a tower layer.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use http::HeaderMap;
use http_body_util::BodyExt;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::{counter::Counter, family::Family, gauge::Gauge};
use prometheus_client::registry::Registry;
use tonic::Code;
use tonic::body::Body;
use tower::{Layer, Service};

type BoxFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Method {
    grpc_type: &'static str,
    grpc_service: String,
    grpc_method: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Handled {
    grpc_type: &'static str,
    grpc_service: String,
    grpc_method: String,
    grpc_code: &'static str,
}

/// The metric families, registered once and shared by every call.
#[derive(Debug, Clone)]
pub struct GrpcMetrics {
    started: Family<Method, Counter>,
    handled: Family<Handled, Counter>,
    handling: Family<Handled, Histogram, fn() -> Histogram>,
    in_flight: Family<Method, Gauge>,
}

impl GrpcMetrics {
    /// Registers the families in `registry` (the one `/metrics` encodes).
    pub fn register(registry: &mut Registry) -> Self {
        // Prometheus' default buckets, as grpc-ecosystem's histogram uses.
        fn buckets() -> Histogram {
            Histogram::new([
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ])
        }
        let metrics = Self {
            started: Family::default(),
            handled: Family::default(),
            handling: Family::new_with_constructor(buckets),
            in_flight: Family::default(),
        };
        // The text encoder adds `_total` to counters.
        let help = "RPCs started on the server.";
        registry.register("grpc_server_started", help, metrics.started.clone());
        let help = "RPCs completed on the server, regardless of success or failure.";
        registry.register("grpc_server_handled", help, metrics.handled.clone());
        let help = "Response latency (seconds) of gRPC that had been application-level handled by the server.";
        registry.register(
            "grpc_server_handling_seconds",
            help,
            metrics.handling.clone(),
        );
        let help = "RPCs in progress on the server.";
        registry.register("grpc_server_in_flight", help, metrics.in_flight.clone());
        metrics
    }
}

/// Adds [`Metered`] around a tonic server.
#[derive(Debug, Clone)]
pub struct MetricsLayer(pub GrpcMetrics);

impl<S> Layer<S> for MetricsLayer {
    type Service = Metered<S>;
    fn layer(&self, inner: S) -> Metered<S> {
        Metered {
            inner,
            metrics: self.0.clone(),
        }
    }
}

/// Counts every call going through it; see the module docs.
#[derive(Debug, Clone)]
pub struct Metered<S> {
    inner: S,
    metrics: GrpcMetrics,
}

impl<S, B> Service<http::Request<B>> for Metered<S>
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

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let path = request.uri().path().trim_start_matches('/');
        let (service, method) = path.split_once('/').unwrap_or((path, ""));
        // HTTP does not say a method's type; this server's methods are all unary.
        let method = Method {
            grpc_type: "unary",
            grpc_service: service.to_owned(),
            grpc_method: method.to_owned(),
        };
        let mut call = Call::start(self.metrics.clone(), method);
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            if let Some(code) = grpc_status(response.headers()) {
                call.finish(code); // a trailers-only answer: an error
            }
            // Otherwise the status comes in the trailers, the end of the call.
            Ok(response.map(|body| {
                Body::new(body.map_frame(move |frame| {
                    if let Some(code) = frame.trailers_ref().and_then(grpc_status) {
                        call.finish(code);
                    }
                    frame
                }))
            }))
        })
    }
}

/// One call: started when created, handled once with its code, out of flight when dropped.
struct Call {
    metrics: GrpcMetrics,
    method: Method,
    start: Instant,
    finished: bool,
}

impl Call {
    fn start(metrics: GrpcMetrics, method: Method) -> Self {
        metrics.started.get_or_create(&method).inc();
        metrics.in_flight.get_or_create(&method).inc();
        Call {
            metrics,
            method,
            start: Instant::now(),
            finished: false,
        }
    }

    fn finish(&mut self, code: Code) {
        if std::mem::replace(&mut self.finished, true) {
            return;
        }
        let handled = Handled {
            grpc_type: self.method.grpc_type,
            grpc_service: self.method.grpc_service.clone(),
            grpc_method: self.method.grpc_method.clone(),
            grpc_code: code_name(code),
        };
        self.metrics.handled.get_or_create(&handled).inc();
        let seconds = self.start.elapsed().as_secs_f64();
        self.metrics
            .handling
            .get_or_create(&handled)
            .observe(seconds);
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        // Dropped before its status was sent: the client went away.
        self.finish(Code::Cancelled);
        self.metrics.in_flight.get_or_create(&self.method).dec();
    }
}

fn grpc_status(headers: &HeaderMap) -> Option<Code> {
    let value = headers.get("grpc-status")?.to_str().ok()?;
    Some(Code::from_i32(value.parse().ok()?))
}

/// The names grpc-go prints (`codes.Code.String()`), which dashboards filter on.
fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "Canceled",
        Code::Unknown => "Unknown",
        Code::InvalidArgument => "InvalidArgument",
        Code::DeadlineExceeded => "DeadlineExceeded",
        Code::NotFound => "NotFound",
        Code::AlreadyExists => "AlreadyExists",
        Code::PermissionDenied => "PermissionDenied",
        Code::ResourceExhausted => "ResourceExhausted",
        Code::FailedPrecondition => "FailedPrecondition",
        Code::Aborted => "Aborted",
        Code::OutOfRange => "OutOfRange",
        Code::Unimplemented => "Unimplemented",
        Code::Internal => "Internal",
        Code::Unavailable => "Unavailable",
        Code::DataLoss => "DataLoss",
        Code::Unauthenticated => "Unauthenticated",
    }
}

/// Serves `GET /metrics` in the text format Prometheus scrapes, until `shutdown`.
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    registry: Arc<Registry>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let metrics = axum::routing::get(move || async move {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry)
            .expect("writing to a String cannot fail");
        let content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8";
        ([(http::header::CONTENT_TYPE, content_type)], text)
    });
    let app = axum::Router::new().route("/metrics", metrics);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
