//! Exercise 24, solved: a default deadline for every call, sent to the server and
//! overridden by a call's own; a connect timeout on the endpoint.

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
    endpoint.connect_timeout(CONNECT_TIMEOUT)
}

/// Gives a call without a deadline of its own this one.
#[derive(Debug, Clone, Copy)]
pub struct DefaultDeadline(pub Duration);

impl Interceptor for DefaultDeadline {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        // `set_timeout` writes `grpc-timeout`: the header is the call's deadline.
        if request.metadata().get("grpc-timeout").is_none() {
            request.set_timeout(self.0);
        }
        Ok(request)
    }
}

/// A greeter client on `channel` whose calls default to [`CALL_TIMEOUT`].
pub fn client(
    channel: Channel,
) -> GreeterServiceClient<InterceptedService<Channel, DefaultDeadline>> {
    GreeterServiceClient::with_interceptor(channel, DefaultDeadline(CALL_TIMEOUT))
}
