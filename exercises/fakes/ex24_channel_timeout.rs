//! Exercise 24, a fake answer: the channel's own `timeout` instead of a default
//! deadline: the server is never told it, a call that asks for longer is cut
//! short, and connecting may take as long as the operating system likes.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: connecting_to_a_server_that_never_accepts_gives_up the_server_is_told_the_default_deadline a_call_asking_for_longer_gets_longer

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

/// The channel times every call, locally.
pub fn endpoint(url: &str) -> Endpoint {
    Endpoint::from_shared(url.to_owned())
        .expect("a valid URL")
        .timeout(CALL_TIMEOUT)
}

/// Does nothing.
#[derive(Debug, Clone, Copy)]
pub struct DefaultDeadline(pub Duration);

impl Interceptor for DefaultDeadline {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        Ok(request)
    }
}

/// A greeter client on `channel`.
pub fn client(
    channel: Channel,
) -> GreeterServiceClient<InterceptedService<Channel, DefaultDeadline>> {
    GreeterServiceClient::with_interceptor(channel, DefaultDeadline(CALL_TIMEOUT))
}
