//! Exercise 23 (fix the bugs): a call without a deadline, and a server that
//! ignores its caller's (beyond the tutorial, deadlines).
//!
//! A call without a deadline waits as long as the server takes, possibly forever.
//! gRPC sends the deadline to the server in the `grpc-timeout` header, so both
//! sides can give up at the same moment and the server can stop useless work,
//! and a server that calls on must pass the remaining time on.

use std::time::Duration;

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

/// Calls `SayHello` but gives up after `deadline`, returning the greeting or the
/// status the call ended with (`DEADLINE_EXCEEDED` or, in tonic, `CANCELLED`
/// with "Timeout expired").
pub async fn greet_with_deadline(
    channel: Channel,
    name: &str,
    deadline: Duration,
) -> Result<String, Status> {
    // FIX: the test's server never answers, and this call waits for it forever.
    let request = Request::new(SayHelloRequest {
        name: name.to_owned(),
    });
    let reply = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    Ok(reply.into_inner().message)
}

/// A greeter in front of another one (`downstream`). It passes its caller's
/// deadline on, so both give up together, but grants no call more than `max`,
/// its own budget; a caller who sent no deadline gets `max`.
#[derive(Debug, Clone)]
pub struct Relay {
    pub downstream: Channel,
    pub max: Duration,
}

#[tonic::async_trait]
impl GreeterService for Relay {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // FIX: every downstream call gets `max`, whatever the caller asked for.
        let deadline = self.max;
        let name = request.into_inner().name;
        let message = greet_with_deadline(self.downstream.clone(), &name, deadline).await?;
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// Parses a `grpc-timeout` value (at most 8 digits and a unit: `H`, `M`, `S`,
/// `m`illis, `u`micros, `n`anos), e.g. `50000u`; `None` if malformed.
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
