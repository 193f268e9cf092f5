//! Exercise 24: a default deadline for every call on a channel (beyond the
//! tutorial, deadlines).
//!
//! Setting a deadline on each request is easy to forget (exercise 23). A client
//! can carry a default instead: every call made through it that has no deadline
//! of its own gets [`CALL_TIMEOUT`], sent as `grpc-timeout` so the server stops
//! when the caller does (`Endpoint::timeout` would only time the call locally,
//! and would cut short a call that asked for longer). Connecting gives up after
//! [`CONNECT_TIMEOUT`] instead of the operating system's minutes.

use std::time::Duration;

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Endpoint};
use tonic::{Request, Status};

/// The deadline of a call that sets none.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(300);
/// The longest connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

/// The endpoint for `url`, with its connect timeout.
pub fn endpoint(url: &str) -> Endpoint {
    let endpoint = Endpoint::from_shared(url.to_owned()).expect("a valid URL");
    // TODO: the connection attempt's limit.
    todo!("configure the endpoint's connect timeout")
}

/// Gives a call without a deadline of its own this one.
#[derive(Debug, Clone, Copy)]
pub struct DefaultDeadline(pub Duration);

impl Interceptor for DefaultDeadline {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        // TODO: the default, unless the call brought its own deadline.
        todo!("give the call its default deadline")
    }
}

/// A greeter client on `channel` whose calls default to [`CALL_TIMEOUT`].
pub fn client(
    channel: Channel,
) -> GreeterServiceClient<InterceptedService<Channel, DefaultDeadline>> {
    // TODO: every call through the client passes the interceptor.
    todo!("wrap the channel")
}
