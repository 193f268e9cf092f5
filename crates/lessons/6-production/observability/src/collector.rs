//! Glue, not lesson: a minimal OTLP/gRPC trace receiver (what a collector is to
//! the exporter), built from `opentelemetry-proto`'s generated `TraceService`.
//! The demo prints what it received; the tests check it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::{AnyValue, any_value};
use tokio::net::TcpListener;
use tonic::{Request, Response, Status};

/// One span as received, flattened for assertions.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedSpan {
    /// The resource's `service.name` (`OTEL_SERVICE_NAME` of the sender).
    pub service_name: String,
    pub trace_id: Vec<u8>,
    pub span_id: Vec<u8>,
    /// Empty for a root span.
    pub parent_span_id: Vec<u8>,
    pub name: String,
    /// OTLP's `SpanKind`: 2 server, 3 client.
    pub kind: i32,
    pub attributes: BTreeMap<String, String>,
    /// OTLP's `StatusCode`: 0 unset, 1 ok, 2 error.
    pub status: i32,
    pub start_unix_nano: u64,
}

/// OTLP span kinds the lesson makes.
pub const KIND_SERVER: i32 = 2;
pub const KIND_CLIENT: i32 = 3;

/// Everything received so far, shared with the running receiver.
#[derive(Debug, Clone, Default)]
pub struct Received(Arc<Mutex<Vec<ReceivedSpan>>>);

impl Received {
    /// A copy of the spans received so far, oldest first by start time.
    pub fn spans(&self) -> Vec<ReceivedSpan> {
        let mut spans = self.0.lock().unwrap().clone();
        spans.sort_by_key(|span| span.start_unix_nano);
        spans
    }
}

#[tonic::async_trait]
impl TraceService for Received {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        let mut received = self.0.lock().unwrap();
        for resource_spans in request.into_inner().resource_spans {
            let resource = resource_spans.resource.unwrap_or_default();
            let service_name = attributes(&resource.attributes)
                .remove("service.name")
                .unwrap_or_default();
            for span in resource_spans.scope_spans.into_iter().flat_map(|s| s.spans) {
                received.push(ReceivedSpan {
                    service_name: service_name.clone(),
                    attributes: attributes(&span.attributes),
                    status: span.status.map(|s| s.code).unwrap_or_default(),
                    trace_id: span.trace_id,
                    span_id: span.span_id,
                    parent_span_id: span.parent_span_id,
                    name: span.name,
                    kind: span.kind,
                    start_unix_nano: span.start_time_unix_nano,
                });
            }
        }
        Ok(Response::new(ExportTraceServiceResponse::default()))
    }
}

fn attributes(
    list: &[opentelemetry_proto::tonic::common::v1::KeyValue],
) -> BTreeMap<String, String> {
    list.iter()
        .map(|kv| {
            (
                kv.key.clone(),
                kv.value.as_ref().map(text).unwrap_or_default(),
            )
        })
        .collect()
}

fn text(value: &AnyValue) -> String {
    match &value.value {
        Some(any_value::Value::StringValue(s)) => s.clone(),
        Some(any_value::Value::IntValue(i)) => i.to_string(),
        Some(any_value::Value::BoolValue(b)) => b.to_string(),
        Some(any_value::Value::DoubleValue(d)) => d.to_string(),
        other => format!("{other:?}"),
    }
}

/// Serves the receiver on `listener` in a background task; stops with the runtime.
pub fn start(listener: TcpListener) -> Received {
    let received = Received::default();
    let service = TraceServiceServer::new(received.clone());
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(service)
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
    );
    received
}

/// The spans as indented trees, one per trace, children under their parents:
/// `client tutorial.helloworld.v1.GreeterService/SayHello code=0`.
pub fn trees(spans: &[ReceivedSpan]) -> Vec<String> {
    let mut lines = Vec::new();
    let roots = spans.iter().filter(|s| s.parent_span_id.is_empty());
    for (n, root) in roots.enumerate() {
        lines.push(format!("trace {}:", n + 1));
        print_subtree(spans, root, 1, &mut lines);
    }
    lines
}

fn print_subtree(
    spans: &[ReceivedSpan],
    span: &ReceivedSpan,
    depth: usize,
    lines: &mut Vec<String>,
) {
    let side = match span.kind {
        KIND_SERVER => "server",
        KIND_CLIENT => "client",
        _ => "span",
    };
    let code = span
        .attributes
        .get("rpc.grpc.status_code")
        .map_or("?", String::as_str);
    let error = if span.status == 2 { " error" } else { "" };
    lines.push(format!(
        "{}{side} {} code={code}{error}",
        "  ".repeat(depth),
        span.name
    ));
    for child in spans
        .iter()
        .filter(|s| s.parent_span_id == span.span_id && s.trace_id == span.trace_id)
    {
        print_subtree(spans, child, depth + 1, lines);
    }
}
