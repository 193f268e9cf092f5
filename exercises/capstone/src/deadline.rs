//! The caller's deadline, read on the server (given: not part of the exercise).
//!
//! A gRPC client sends its deadline as the `grpc-timeout` header: at most 8 digits
//! and a unit (`H`, `M`, `S`, `m`illis, `u`micros, `n`anos). tonic's server drops a
//! handler's future when it passes, but only until the handler *returns*: a
//! response stream keeps flowing, so a streaming handler watches the deadline itself.
//! See the book's "Deadlines and cancellation" page.

use std::time::Duration;

use tokio::time::Instant;
use tonic::Request;

// ANCHOR: deadline_of
/// When the call's deadline passes, counted from now (the request just arrived);
/// `None` if the caller set none.
pub fn deadline_of<T>(request: &Request<T>) -> Option<Instant> {
    let header = request.metadata().get("grpc-timeout")?.to_str().ok()?;
    Some(Instant::now() + parse_grpc_timeout(header)?)
}
// ANCHOR_END: deadline_of

/// Parses a `grpc-timeout` value such as `50000000n` or `2S`; `None` if malformed.
pub fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let unit = value.chars().last()?;
    let digits = &value[..value.len() - unit.len_utf8()];
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let amount: u64 = digits.parse().ok()?;
    Some(match unit {
        'H' => Duration::from_secs(amount * 3600),
        'M' => Duration::from_secs(amount * 60),
        'S' => Duration::from_secs(amount),
        'm' => Duration::from_millis(amount),
        'u' => Duration::from_micros(amount),
        'n' => Duration::from_nanos(amount),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_set_timeout_sends() {
        let mut request = Request::new(());
        request.set_timeout(Duration::from_millis(50));
        let header = request.metadata().get("grpc-timeout").unwrap();
        assert_eq!(
            parse_grpc_timeout(header.to_str().unwrap()),
            Some(Duration::from_millis(50))
        );
        assert!(deadline_of(&request).is_some());
        assert!(deadline_of(&Request::new(())).is_none());
        for junk in ["", "S", "123456789S", "10x", "1.5S"] {
            assert_eq!(parse_grpc_timeout(junk), None, "{junk:?}");
        }
    }
}
