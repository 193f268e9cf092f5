//! Exercise 17 (fix the bug): blocking code called from async code (chapter 3,
//! sync vs async).
//!
//! A front-end greeter asks a back end for each greeting, through a client
//! library written for synchronous programs ([`ask_backend`], which must not
//! change: think of it as someone else's crate). The front end compiles, and every
//! call to it fails.

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use sync_kit::BlockingChannel;
use tonic::transport::Endpoint;
use tonic::{Request, Response, Status};

/// The synchronous library: asks the greeter at `url`, blocking until it answers.
/// It runs a tokio runtime of its own (through [`BlockingChannel`]).
pub fn ask_backend(url: &str, name: &str) -> anyhow::Result<String> {
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    Ok(channel.unary(stub.say_hello(request))?.message)
}

/// The async front end: answers with what the back end at `backend_url` says.
#[derive(Debug, Clone)]
pub struct Frontend {
    /// Where the back end listens.
    pub backend_url: String,
}

// ANCHOR: server
#[tonic::async_trait]
impl GreeterService for Frontend {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        // FIX: every call fails here.
        let message = ask_backend(&self.backend_url, &name)
            .map_err(|e| Status::unavailable(format!("the back end: {e}")))?;
        Ok(Response::new(SayHelloResponse { message }))
    }
}
// ANCHOR_END: server
