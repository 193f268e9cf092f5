//! Exercise 36: one trace across a call, in the metadata (chapter 6, traces and
//! metrics).
//!
//! A trace crosses a process boundary as two metadata entries, W3C `traceparent`
//! and `tracestate`. OpenTelemetry's `TraceContextPropagator` knows their format;
//! it reads and writes them through an [`Injector`] and an [`Extractor`], which you
//! write here for tonic's `MetadataMap`, then use on each side of a call.

use opentelemetry::Context;
use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tonic::metadata::{KeyRef, MetadataKey, MetadataMap, MetadataValue};

/// Writes propagation fields into a request's metadata.
pub struct MetadataInjector<'a>(pub &'a mut MetadataMap);

impl Injector for MetadataInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        // TODO: store the field as an ASCII metadata entry (skip one that is not
        // valid metadata rather than panic).
        todo!("store one propagation field")
    }
}

/// Reads propagation fields from a request's metadata.
pub struct MetadataExtractor<'a>(pub &'a MetadataMap);

impl Extractor for MetadataExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        // TODO: the entry's text, if there is one and it is text.
        todo!("read one propagation field")
    }

    fn keys(&self) -> Vec<&str> {
        // TODO: the names of the ASCII entries.
        todo!("list the field names")
    }
}

/// Client side: puts `cx`'s span context into outgoing `metadata`.
pub fn inject(cx: &Context, metadata: &mut MetadataMap) {
    // TODO: the propagator, through your injector.
    todo!("inject the trace context")
}

/// Server side: the caller's context from incoming `metadata` (an empty context,
/// so a new trace, when there is none or it is malformed).
pub fn extract(metadata: &MetadataMap) -> Context {
    // TODO: the propagator, through your extractor.
    todo!("extract the trace context")
}
