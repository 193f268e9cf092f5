//! Exercise 36, a fake answer: `traceparent` only (the injector drops every other
//! field, the extractor lists no keys), so `tracestate` never crosses the call.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: inject_writes_traceparent_and_tracestate extract_reads_back_what_inject_wrote the_extractor_lists_the_ascii_keys

use opentelemetry::Context;
use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tonic::metadata::{MetadataMap, MetadataValue};

/// Writes only `traceparent`.
pub struct MetadataInjector<'a>(pub &'a mut MetadataMap);

impl Injector for MetadataInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        if key == "traceparent"
            && let Ok(value) = MetadataValue::try_from(value.as_str())
        {
            self.0.insert("traceparent", value);
        }
    }
}

/// Reads entries but lists none.
pub struct MetadataExtractor<'a>(pub &'a MetadataMap);

impl Extractor for MetadataExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|value| value.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        Vec::new()
    }
}

pub fn inject(cx: &Context, metadata: &mut MetadataMap) {
    TraceContextPropagator::new().inject_context(cx, &mut MetadataInjector(metadata));
}

pub fn extract(metadata: &MetadataMap) -> Context {
    TraceContextPropagator::new().extract(&MetadataExtractor(metadata))
}
