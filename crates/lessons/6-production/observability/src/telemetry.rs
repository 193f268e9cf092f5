//! Tracing setup: `tracing` spans exported as OpenTelemetry spans over OTLP/gRPC.
//!
//! Configured the standard way, by environment: `OTEL_EXPORTER_OTLP_ENDPOINT`
//! (default `http://localhost:4317`), `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`
//! and the batch processor's `OTEL_BSP_*` are read by the SDK itself, so any OTLP
//! receiver (a collector, Jaeger, Tempo) works without a flag of ours.

use std::io::IsTerminal;

use opentelemetry::global;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::SpanExporter;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::filter::{EnvFilter, LevelFilter};
use tracing_subscriber::prelude::*;

/// Installs the exporter, the W3C propagator and the subscriber; call it inside a
/// tokio runtime (the exporter's channel runs on it). Keep the provider and call
/// `shutdown()` on it before exiting: that sends the spans still in its batch.
pub fn init() -> anyhow::Result<SdkTracerProvider> {
    let exporter = SpanExporter::builder().with_tonic().build()?;
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        // `service.name` from OTEL_SERVICE_NAME, more from OTEL_RESOURCE_ATTRIBUTES.
        .with_resource(Resource::builder().build())
        .build();
    global::set_text_map_propagator(TraceContextPropagator::new());

    let spans = tracing_opentelemetry::layer()
        .with_tracer(provider.tracer("grpc"))
        // Only the attributes the spans set, not source lines, threads and timings.
        .with_location(false)
        .with_threads(false)
        .with_target(false)
        .with_tracked_inactivity(false)
        .with_filter(LevelFilter::INFO);
    // Log lines still go to stderr, as quiet as RUST_LOG says (default: warnings).
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()));
    tracing_subscriber::registry()
        .with(spans)
        .with(logs)
        .try_init()?;
    Ok(provider)
}
