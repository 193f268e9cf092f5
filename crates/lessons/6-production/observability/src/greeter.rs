//! The traced service: a front Greeter that asks a downstream Greeter, so one call
//! crosses three processes (client → front → backend) in one trace.

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};
use tower::ServiceBuilder;

use crate::rpc_span::{RpcSpan, RpcSpanLayer, Side};

/// A client whose every call gets a client span and carries `traceparent`.
pub type TracedClient = GreeterServiceClient<RpcSpan<Channel>>;

/// Wraps `channel` so its calls are traced.
pub fn traced_client(channel: Channel) -> TracedClient {
    GreeterServiceClient::new(
        ServiceBuilder::new()
            .layer(RpcSpanLayer(Side::Client))
            .service(channel),
    )
}

/// Answers itself (`downstream: None`) or forwards the name downstream.
#[derive(Debug, Clone)]
pub struct Greeter {
    pub downstream: Option<TracedClient>,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        let Some(downstream) = &self.downstream else {
            if name.is_empty() {
                return Err(Status::invalid_argument("name must not be empty"));
            }
            let message = format!("Hello, {name}!");
            return Ok(Response::new(SayHelloResponse { message }));
        };
        // Called inside this call's server span: the client span is its child.
        // A downstream error is passed on as it is.
        let reply = downstream
            .clone()
            .say_hello(SayHelloRequest { name })
            .await?;
        let message = format!("{} (via the backend)", reply.into_inner().message);
        Ok(Response::new(SayHelloResponse { message }))
    }
}
