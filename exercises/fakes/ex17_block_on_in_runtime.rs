//! Exercise 17, a fake answer: the front end never asks its back end, it makes
//! the greeting up. scripts/check-exercises requires these tests to fail on it:
//! fails: the_front_end_relays_the_back_end

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use sync_kit::BlockingChannel;
use tonic::transport::Endpoint;
use tonic::{Request, Response, Status};

/// The synchronous library: asks the greeter at `url`, blocking until it answers.
pub fn ask_backend(url: &str, name: &str) -> anyhow::Result<String> {
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    Ok(channel.unary(stub.say_hello(request))?.message)
}

/// The async front end.
#[derive(Debug, Clone)]
pub struct Frontend {
    /// Where the back end listens.
    pub backend_url: String,
}

#[tonic::async_trait]
impl GreeterService for Frontend {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}
