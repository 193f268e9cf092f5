//! Exercise 36: the trace context a client injects is the one its server extracts,
//! over a real call; `tracestate` travels too; no or broken context starts a new trace.

use std::str::FromStr;

use grpc_exercises::ex36_trace_context::{MetadataExtractor, extract, inject};
use grpc_exercises::support::reference::random_word;
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use opentelemetry::Context;
use opentelemetry::propagation::Extractor;
use opentelemetry::trace::{SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState};
use tonic::metadata::MetadataMap;
use tonic::transport::Server;
use tonic::{Request, Response, Status};

/// A remote parent with ids and a `tracestate` no answer can know in advance.
fn random_parent(sampled: bool) -> (SpanContext, String) {
    let hex = format!("{}{}", random_word(), random_word());
    let trace_id = TraceId::from_hex(&hex).unwrap();
    let span_id = SpanId::from_hex(&random_word()).unwrap();
    let vendor = format!("v{}", &random_word()[..8]);
    let state = TraceState::from_str(&format!("{vendor}=x")).unwrap();
    let flags = if sampled {
        TraceFlags::SAMPLED
    } else {
        TraceFlags::default()
    };
    (
        SpanContext::new(trace_id, span_id, flags, false, state),
        vendor,
    )
}

fn context_of(span: SpanContext) -> Context {
    Context::new().with_remote_span_context(span)
}

#[test]
fn inject_writes_traceparent_and_tracestate() {
    let (parent, vendor) = random_parent(true);
    let mut metadata = MetadataMap::new();
    inject(&context_of(parent.clone()), &mut metadata);
    let traceparent = format!("00-{}-{}-01", parent.trace_id(), parent.span_id());
    assert_eq!(metadata.get("traceparent").unwrap(), traceparent.as_str());
    assert_eq!(
        metadata.get("tracestate").unwrap(),
        format!("{vendor}=x").as_str()
    );

    let (unsampled, _) = random_parent(false);
    let mut metadata = MetadataMap::new();
    inject(&context_of(unsampled.clone()), &mut metadata);
    let traceparent = format!("00-{}-{}-00", unsampled.trace_id(), unsampled.span_id());
    assert_eq!(metadata.get("traceparent").unwrap(), traceparent.as_str());
}

#[test]
fn extract_reads_back_what_inject_wrote() {
    let (parent, vendor) = random_parent(true);
    let mut metadata = MetadataMap::new();
    inject(&context_of(parent.clone()), &mut metadata);
    let extracted = extract(&metadata);
    let span = extracted.span();
    let got = span.span_context();
    assert_eq!(
        (got.trace_id(), got.span_id()),
        (parent.trace_id(), parent.span_id())
    );
    assert!(got.is_remote() && got.is_sampled());
    assert_eq!(got.trace_state().get(&vendor), Some("x"));
}

#[test]
fn the_extractor_lists_the_ascii_keys() {
    let mut metadata = MetadataMap::new();
    metadata.insert("traceparent", "x".parse().unwrap());
    metadata.insert("x-other", "y".parse().unwrap());
    metadata.insert_bin(
        "x-raw-bin",
        tonic::metadata::MetadataValue::from_bytes(b"z"),
    );
    let extractor = MetadataExtractor(&metadata);
    let mut keys = extractor.keys();
    keys.sort();
    assert_eq!(keys, ["traceparent", "x-other"]);
    assert_eq!(extractor.get("x-other"), Some("y"));
    assert_eq!(extractor.get("missing"), None);
}

#[test]
fn no_or_broken_context_extracts_no_parent() {
    assert!(
        !extract(&MetadataMap::new())
            .span()
            .span_context()
            .is_valid()
    );
    let mut metadata = MetadataMap::new();
    metadata.insert("traceparent", "00-not-a-trace-01".parse().unwrap());
    assert!(!extract(&metadata).span().span_context().is_valid());
}

/// Answers with the trace id and parent span id it extracted: `trace/span`.
struct Echo;

#[tonic::async_trait]
impl GreeterService for Echo {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let cx = extract(request.metadata());
        let span = cx.span();
        let parent = span.span_context();
        let message = format!("{}/{}", parent.trace_id(), parent.span_id());
        Ok(Response::new(SayHelloResponse { message }))
    }
}

#[tokio::test]
async fn the_trace_crosses_a_real_call() {
    within(async {
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(Echo))).await;
        let (parent, _) = random_parent(true);
        let cx = context_of(parent.clone());
        let channel = support::connect(&server).await;
        let mut client =
            GreeterServiceClient::with_interceptor(channel, move |mut req: Request<()>| {
                inject(&cx, req.metadata_mut());
                Ok(req)
            });
        let reply = client.say_hello(hello("Jack")).await.unwrap().into_inner();
        assert_eq!(
            reply.message,
            format!("{}/{}", parent.trace_id(), parent.span_id())
        );
    })
    .await;
}
