//! W3C trace context in gRPC metadata: what lets one trace cross a process boundary.
//!
//! gRPC metadata travels as HTTP/2 headers, so the carrier is the request's
//! `http::HeaderMap`. OpenTelemetry's `TraceContextPropagator` writes and reads the
//! `traceparent` (and `tracestate`) entries through these two adapters.

use http::HeaderMap;
use http::header::{HeaderName, HeaderValue};
use opentelemetry::propagation::{Extractor, Injector};

/// Writes propagation fields into outgoing request metadata.
pub struct MetadataInjector<'a>(pub &'a mut HeaderMap);

impl Injector for MetadataInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        // A field that is not a valid header is dropped, never sent half-written.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(key.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            self.0.insert(name, value);
        }
    }
}

/// Reads propagation fields from incoming request metadata.
pub struct MetadataExtractor<'a>(pub &'a HeaderMap);

impl Extractor for MetadataExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|value| value.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(HeaderName::as_str).collect()
    }
}
