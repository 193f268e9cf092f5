//! Exercise 23, a fake answer: a deadline, but always one second, whatever the
//! caller asked for, and a relay that passes its caller's deadline on uncapped.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: the_server_is_told_the_callers_deadline the_relay_passes_on_the_callers_deadline_capped_at_its_own

use std::time::Duration;

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

/// Calls `SayHello` but gives up after one second.
pub async fn greet_with_deadline(
    channel: Channel,
    name: &str,
    _deadline: Duration,
) -> Result<String, Status> {
    let mut request = Request::new(SayHelloRequest {
        name: name.to_owned(),
    });
    request.set_timeout(Duration::from_secs(1));
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
        let asked = request
            .metadata()
            .get("grpc-timeout")
            .and_then(|value| value.to_str().ok())
            .and_then(parse_grpc_timeout);
        let deadline = asked.unwrap_or(self.max);
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
