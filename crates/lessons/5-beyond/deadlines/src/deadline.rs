// ANCHOR: part1
//! The deadline a client sent, read on the server; and the status a client should see.
//!
//! A gRPC client sends its deadline as the `grpc-timeout` header: at most 8 digits
//! and a unit (`H`ours, `M`inutes, `S`econds, `m`illis, `u`micros, `n`anos), e.g.
//! tonic's `request.set_timeout(50ms)` sends `50000000n` (the finest unit whose
//! amount fits in 8 digits; `tests/deadlines.rs` reads it on a real server).
//!
//! What tonic 0.14 does with it:
//! - **server**: every tonic server reads the header and drops the handler's future
//!   when the time is up (plus `Server::builder().timeout(..)` as an upper bound).
//!   That covers the handler until it *returns*: a streaming response body keeps
//!   flowing, so a streaming handler must watch the deadline itself ([`deadline_of`]).
//! - **client**: the channel runs the same timer and gives up locally.
//! - both report the expiry as `CANCELLED` with message `Timeout expired`, where the
//!   gRPC spec says `DEADLINE_EXCEEDED`. [`spec_status`] restores the spec's code.

use std::time::Duration;

use tokio::time::Instant;
use tonic::{Code, Request, Status};

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
// ANCHOR_END: part1

// ANCHOR: spec_status
/// The status as the gRPC spec names it: tonic's expired timer becomes `DEADLINE_EXCEEDED`.
pub fn spec_status(status: Status) -> Status {
    if status.code() == Code::Cancelled && status.message() == "Timeout expired" {
        Status::deadline_exceeded("deadline exceeded (tonic reported: CANCELLED, Timeout expired)")
    } else {
        status
    }
}
// ANCHOR_END: spec_status

// ANCHOR: deadline_of
/// When the call's deadline passes, counted from now (the request just arrived).
pub fn deadline_of<T>(request: &Request<T>) -> Option<Instant> {
    let header = request.metadata().get("grpc-timeout")?.to_str().ok()?;
    Some(Instant::now() + parse_grpc_timeout(header)?)
}
// ANCHOR_END: deadline_of

// ANCHOR: part2
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit_and_rejects_junk() {
        assert_eq!(
            parse_grpc_timeout("50000000n"),
            Some(Duration::from_millis(50))
        );
        assert_eq!(
            parse_grpc_timeout("50000u"),
            Some(Duration::from_millis(50))
        );
        assert_eq!(parse_grpc_timeout("2S"), Some(Duration::from_secs(2)));
        assert_eq!(parse_grpc_timeout("1H"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_grpc_timeout("3M"), Some(Duration::from_secs(180)));
        assert_eq!(parse_grpc_timeout("7m"), Some(Duration::from_millis(7)));
        assert_eq!(parse_grpc_timeout("9n"), Some(Duration::from_nanos(9)));
        for junk in ["", "S", "123456789S", "10x", "-1S", "1.5S", "ä"] {
            assert_eq!(parse_grpc_timeout(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn reads_what_set_timeout_sends() {
        let mut request = Request::new(());
        request.set_timeout(Duration::from_millis(50));
        let deadline = deadline_of(&request).expect("a deadline");
        assert!(deadline <= Instant::now() + Duration::from_millis(50));
        assert!(deadline_of(&Request::new(())).is_none());
    }

    #[test]
    fn only_tonics_timeout_is_renamed() {
        let expired = spec_status(Status::cancelled("Timeout expired"));
        assert_eq!(expired.code(), Code::DeadlineExceeded);
        let cancelled = spec_status(Status::cancelled("user pressed stop"));
        assert_eq!(cancelled.code(), Code::Cancelled);
    }
}
// ANCHOR_END: part2
