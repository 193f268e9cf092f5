//! The test-service protocol: how a client asks the server under test to misbehave.
//!
//! gRPC's interop `TestService` takes instructions inside its request messages
//! (`response_size`, `response_status`, …). Our contract is the tutorial's greeter,
//! whose messages hold only a `name`, and the protos must not change; so the
//! instructions travel as request metadata instead. Any greeter ignores unknown
//! metadata, which is why the same client code also runs against plain lesson
//! servers (they just do not obey).
//!
//! | key | value | effect |
//! |---|---|---|
//! | `x-grpc-test-echo-initial` | any ASCII | echoed in the response headers |
//! | `x-grpc-test-echo-trailing-bin` | any bytes | echoed in the trailers (streaming calls) |
//! | `x-response-status` | a gRPC code number | the call fails with that code… |
//! | `x-response-message-bin` | UTF-8 bytes | …and that message (binary metadata: any Unicode and whitespace survive) |
//! | `x-sleep-ms` | milliseconds | unary: sleep before answering |
//! | `x-response-size` | bytes | every response message is exactly this long |
//! | `x-response-count` | number | server streaming: how many messages to send (default 3) |
//! | `authorization` | `Bearer <token>` | unary: the token is echoed as `x-authorized-as` (per-call credentials) |
//!
//! The two echo keys are the interop suite's own names.
//!
//! These instructions let any client make the server sleep, fail or send big
//! messages on demand: they belong in a server under test, never in a real one.
//! The server's own limits still hold, and every number a client sends is
//! bounded before it sizes memory or time:
//!
//! - `x-response-size` above the message limit is refused with
//!   `RESOURCE_EXHAUSTED` *before* anything is allocated (a size up to the limit
//!   costs at most one message, and tonic's encoder still refuses one whose
//!   encoding is over the limit);
//! - `x-sleep-ms` ends at the server's request timeout (tonic drops the handler);
//! - `x-response-count` costs time, not memory: the producer writes into a
//!   bounded channel, so a client that stops reading stops the producer, and one
//!   that vanishes ends it.

use std::time::Duration;

use tonic::Status;
use tonic::metadata::{AsciiMetadataValue, BinaryMetadataValue, MetadataMap};

/// Echoed back in the response headers.
pub const ECHO_INITIAL: &str = "x-grpc-test-echo-initial";
/// Echoed back in the trailers.
pub const ECHO_TRAILING: &str = "x-grpc-test-echo-trailing-bin";
/// The status code to fail with.
pub const RESPONSE_STATUS: &str = "x-response-status";
/// The status message to fail with (binary, so it may hold any text).
pub const RESPONSE_MESSAGE: &str = "x-response-message-bin";
/// How long a unary call sleeps before it answers.
pub const SLEEP_MS: &str = "x-sleep-ms";
/// The exact size of every response message.
pub const RESPONSE_SIZE: &str = "x-response-size";
/// How many messages a server stream sends.
pub const RESPONSE_COUNT: &str = "x-response-count";

/// The per-call credentials a client attaches (gRPC's `authorization` header).
pub const AUTHORIZATION: &str = "authorization";
/// The response header naming the bearer token a unary call carried.
pub const AUTHORIZED_AS: &str = "x-authorized-as";

/// Messages a server stream sends when the client does not say.
pub const DEFAULT_RESPONSE_COUNT: u64 = 3;

/// What one call asked the server to do; `Default` is "behave normally".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Instructions {
    /// Value for [`ECHO_INITIAL`].
    pub echo_initial: Option<AsciiMetadataValue>,
    /// Value for [`ECHO_TRAILING`].
    pub echo_trailing: Option<BinaryMetadataValue>,
    /// Fail with this code and message instead of answering.
    pub status: Option<(tonic::Code, String)>,
    /// Sleep this long before a unary answer.
    pub sleep: Option<Duration>,
    /// Exact size of every response message.
    pub response_size: Option<usize>,
    /// Messages in a server stream.
    pub response_count: Option<u64>,
    /// The bearer token of the call's `authorization` header, if any.
    pub bearer: Option<AsciiMetadataValue>,
}

impl Instructions {
    /// Reads the instructions a request carries; malformed values are the
    /// client's mistake and come back as `INVALID_ARGUMENT`, never a panic, and a
    /// response size over `max_message_bytes` is `RESOURCE_EXHAUSTED` (checked
    /// here, before any response is built: the client names the size, the server
    /// must not allocate whatever it names).
    pub fn from_metadata(metadata: &MetadataMap, max_message_bytes: usize) -> Result<Self, Status> {
        let number = |key: &str| -> Result<Option<u64>, Status> {
            metadata
                .get(key)
                .map(|value| {
                    value
                        .to_str()
                        .ok()
                        .and_then(|text| text.parse().ok())
                        .ok_or_else(|| Status::invalid_argument(format!("{key} must be a number")))
                })
                .transpose()
        };
        let status = match number(RESPONSE_STATUS)? {
            None => None,
            Some(code) => {
                let message = match metadata.get_bin(RESPONSE_MESSAGE) {
                    Some(value) => String::from_utf8(
                        value
                            .to_bytes()
                            .map_err(|_| {
                                Status::invalid_argument(format!(
                                    "{RESPONSE_MESSAGE} is not base64"
                                ))
                            })?
                            .to_vec(),
                    )
                    .map_err(|_| {
                        Status::invalid_argument(format!("{RESPONSE_MESSAGE} must be UTF-8"))
                    })?,
                    None => String::new(),
                };
                let code = i32::try_from(code).unwrap_or(i32::MAX);
                Some((tonic::Code::from_i32(code), message))
            }
        };
        let response_size = match number(RESPONSE_SIZE)? {
            None => None,
            Some(size) => match usize::try_from(size) {
                Ok(size) if size <= max_message_bytes => Some(size),
                _ => {
                    return Err(Status::resource_exhausted(format!(
                        "{RESPONSE_SIZE} {size} is over this server's {max_message_bytes}-byte message limit"
                    )));
                }
            },
        };
        Ok(Self {
            echo_initial: metadata.get(ECHO_INITIAL).cloned(),
            echo_trailing: metadata.get_bin(ECHO_TRAILING).cloned(),
            status,
            sleep: number(SLEEP_MS)?.map(Duration::from_millis),
            response_size,
            response_count: number(RESPONSE_COUNT)?,
            bearer: metadata
                .get(AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .and_then(|token| AsciiMetadataValue::try_from(token).ok()),
        })
    }

    /// Writes the instructions into a request's metadata: the client half.
    pub fn write_to(&self, metadata: &mut MetadataMap) {
        if let Some(value) = &self.echo_initial {
            metadata.insert(ECHO_INITIAL, value.clone());
        }
        if let Some(value) = &self.echo_trailing {
            metadata.insert_bin(ECHO_TRAILING, value.clone());
        }
        if let Some((code, message)) = &self.status {
            metadata.insert(RESPONSE_STATUS, ascii(*code as i32));
            metadata.insert_bin(
                RESPONSE_MESSAGE,
                BinaryMetadataValue::from_bytes(message.as_bytes()),
            );
        }
        if let Some(sleep) = self.sleep {
            metadata.insert(SLEEP_MS, ascii(sleep.as_millis()));
        }
        if let Some(size) = self.response_size {
            metadata.insert(RESPONSE_SIZE, ascii(size));
        }
        if let Some(count) = self.response_count {
            metadata.insert(RESPONSE_COUNT, ascii(count));
        }
        if let Some(token) = &self.bearer
            && let Ok(value) = AsciiMetadataValue::try_from(format!(
                "Bearer {}",
                token.to_str().unwrap_or_default()
            ))
        {
            metadata.insert(AUTHORIZATION, value);
        }
    }

    /// A request for `message` carrying these instructions.
    pub fn request<T>(&self, message: T) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        self.write_to(request.metadata_mut());
        request
    }

    /// The echo headers to put on the response.
    pub fn echo_headers(&self) -> MetadataMap {
        let mut headers = MetadataMap::new();
        if let Some(value) = &self.echo_initial {
            headers.insert(ECHO_INITIAL, value.clone());
        }
        if let Some(token) = &self.bearer {
            headers.insert(AUTHORIZED_AS, token.clone());
        }
        headers
    }

    /// The echo trailers, carried by a final status (tonic sends a status's
    /// metadata in the trailers; an `OK` status with metadata is how a stream
    /// ends with custom trailers).
    pub fn final_status(&self) -> Status {
        let mut trailers = MetadataMap::new();
        if let Some(value) = &self.echo_trailing {
            trailers.insert_bin(ECHO_TRAILING, value.clone());
        }
        match &self.status {
            Some((code, message)) => Status::with_metadata(*code, message.clone(), trailers),
            None => Status::with_metadata(tonic::Code::Ok, "", trailers),
        }
    }

    /// The requested failure, if any.
    pub fn requested_failure(&self) -> Option<Status> {
        self.status.as_ref().map(|_| self.final_status())
    }

    /// `text`, cut or padded with `.` to the requested size (unchanged if none).
    pub fn sized(&self, mut text: String) -> String {
        if let Some(size) = self.response_size {
            if text.len() > size {
                let mut end = size;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.truncate(end);
            }
            text.extend(std::iter::repeat_n('.', size - text.len()));
        }
        text
    }
}

fn ascii(value: impl std::fmt::Display) -> AsciiMetadataValue {
    // Digits are always valid ASCII metadata.
    AsciiMetadataValue::try_from(value.to_string())
        .unwrap_or_else(|_| AsciiMetadataValue::from_static("0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_round_trip_through_metadata() {
        let sent = Instructions {
            echo_initial: Some(AsciiMetadataValue::from_static("hi")),
            echo_trailing: Some(BinaryMetadataValue::from_bytes(b"\xca\xfe")),
            status: Some((tonic::Code::Unknown, "\t☺ 😈\r\n".into())),
            sleep: Some(Duration::from_millis(5)),
            response_size: Some(7),
            response_count: Some(2),
            bearer: Some(AsciiMetadataValue::from_static("t0ken")),
        };
        let request = sent.request(());
        assert_eq!(
            Instructions::from_metadata(request.metadata(), 7).unwrap(),
            sent
        );
    }

    #[test]
    fn bad_numbers_are_invalid_arguments() {
        let mut metadata = MetadataMap::new();
        metadata.insert(SLEEP_MS, AsciiMetadataValue::from_static("soon"));
        let error = Instructions::from_metadata(&metadata, 1024).unwrap_err();
        assert_eq!(error.code(), tonic::Code::InvalidArgument);
    }

    #[test]
    fn a_response_size_over_the_limit_is_refused_before_allocating() {
        for size in ["1025", "18446744073709551615"] {
            let mut metadata = MetadataMap::new();
            metadata.insert(RESPONSE_SIZE, AsciiMetadataValue::from_static(size));
            let error = Instructions::from_metadata(&metadata, 1024).unwrap_err();
            assert_eq!(error.code(), tonic::Code::ResourceExhausted, "{size}");
            assert!(
                error.message().contains("1024-byte message limit"),
                "{error:?}"
            );
        }
        let mut metadata = MetadataMap::new();
        metadata.insert(RESPONSE_SIZE, AsciiMetadataValue::from_static("1024"));
        let ok = Instructions::from_metadata(&metadata, 1024).unwrap();
        assert_eq!(ok.response_size, Some(1024));
    }

    #[test]
    fn sizing_pads_and_cuts_on_char_boundaries() {
        let sized = |n| Instructions {
            response_size: Some(n),
            ..Default::default()
        };
        assert_eq!(sized(5).sized("ab".into()), "ab...");
        assert_eq!(sized(2).sized("a☺".into()), "a.");
    }
}
