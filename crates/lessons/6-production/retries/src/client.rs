//! A greeter client that retries: the policy wrapped around the call service.

use std::time::Duration;

use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::Status;
use tonic::transport::Channel;
use tower::retry::Retry;
use tower::{Service, ServiceExt};

use crate::call::{Call, Unary};
use crate::retry_policy::RetryPolicy;

/// The path of the greeter's unary method.
pub const SAY_HELLO: &str = "/tutorial.helloworld.v1.GreeterService/SayHello";

/// Calls on `channel`, retried as `policy` says.
pub type Retrying = Retry<RetryPolicy, Unary<SayHelloRequest, SayHelloResponse>>;

/// A retrying client over `channel`.
pub fn retrying(channel: Channel, policy: RetryPolicy) -> Retrying {
    Retry::new(policy, Unary::new(channel))
}

/// `SayHello(name)`, every attempt included within `timeout`.
pub async fn say_hello(
    client: &mut Retrying,
    name: &str,
    timeout: Duration,
) -> Result<SayHelloResponse, Status> {
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    let call = Call::new(SAY_HELLO, request, timeout);
    client.ready().await?.call(call).await
}
