// ANCHOR: head
//! The servers that replaced the tutorial's v1 greeter, one per contract version.
//! Each greets as v1 did; only the contract it was built from differs.

use crate::contracts::{renamed, renumbered, retyped, streaming, v1_1, v1_2};
use helloworld_proto::v1;
use tonic::transport::Channel;
use tonic::{Request, Response, Status};
// ANCHOR_END: head

// ANCHOR: v1_1
/// v1.1: reads the new `tone` (TONE_UNSPECIFIED from a v1 client) and answers it.
#[derive(Debug, Default)]
pub struct GreeterV1_1;

#[tonic::async_trait]
impl v1_1::greeter_service_server::GreeterService for GreeterV1_1 {
    async fn say_hello(
        &self,
        request: Request<v1_1::SayHelloRequest>,
    ) -> Result<Response<v1_1::SayHelloResponse>, Status> {
        let request = request.into_inner();
        let (message, tone) = match request.tone() {
            v1_1::Tone::Warm => (format!("Hello, dear {}!", request.name), v1_1::Tone::Warm),
            _ => (format!("Hello, {}!", request.name), v1_1::Tone::Plain),
        };
        Ok(Response::new(v1_1::SayHelloResponse {
            message,
            tone: tone.into(),
        }))
    }

    async fn say_goodbye(
        &self,
        request: Request<v1_1::SayGoodbyeRequest>,
    ) -> Result<Response<v1_1::SayGoodbyeResponse>, Status> {
        let message = format!("Goodbye, {}!", request.into_inner().name);
        Ok(Response::new(v1_1::SayGoodbyeResponse { message }))
    }
}
// ANCHOR_END: v1_1

// ANCHOR: v1_2
/// v1.2: answers in the new tone, TONE_CHEERFUL, unless asked for another.
#[derive(Debug, Default)]
pub struct GreeterV1_2;

#[tonic::async_trait]
impl v1_2::greeter_service_server::GreeterService for GreeterV1_2 {
    async fn say_hello(
        &self,
        request: Request<v1_2::SayHelloRequest>,
    ) -> Result<Response<v1_2::SayHelloResponse>, Status> {
        let request = request.into_inner();
        let tone = match request.tone() {
            v1_2::Tone::Unspecified => v1_2::Tone::Cheerful,
            asked => asked,
        };
        Ok(Response::new(v1_2::SayHelloResponse {
            message: format!("Hello, {}!", request.name),
            tone: tone.into(),
        }))
    }

    async fn say_goodbye(
        &self,
        request: Request<v1_2::SayGoodbyeRequest>,
    ) -> Result<Response<v1_2::SayGoodbyeResponse>, Status> {
        let message = format!("Goodbye, {}!", request.into_inner().name);
        Ok(Response::new(v1_2::SayGoodbyeResponse { message }))
    }
}
// ANCHOR_END: v1_2

// ANCHOR: relay
/// A service still built from v1 that passes each request on to `backend`: the
/// middle hop of a chain whose ends were upgraded to v1.1 before it was.
#[derive(Debug, Clone)]
pub struct RelayV1 {
    pub backend: Channel,
}

#[tonic::async_trait]
impl v1::greeter_service_server::GreeterService for RelayV1 {
    async fn say_hello(
        &self,
        request: Request<v1::SayHelloRequest>,
    ) -> Result<Response<v1::SayHelloResponse>, Status> {
        // The message as v1 decoded it: fields v1 does not define are already gone.
        let mut backend =
            v1::greeter_service_client::GreeterServiceClient::new(self.backend.clone());
        backend.say_hello(request.into_inner()).await
    }
}

/// The tutorial's own v1 greeter: the old server the v1.1 client meets.
#[derive(Debug, Default)]
pub struct GreeterV1;

#[tonic::async_trait]
impl v1::greeter_service_server::GreeterService for GreeterV1 {
    async fn say_hello(
        &self,
        request: Request<v1::SayHelloRequest>,
    ) -> Result<Response<v1::SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(v1::SayHelloResponse { message }))
    }
}
// ANCHOR_END: relay

// ANCHOR: breaking
/// Built from `renumbered`: reads the name from field 2, where no v1 client writes it.
#[derive(Debug, Default)]
pub struct GreeterRenumbered;

#[tonic::async_trait]
impl renumbered::greeter_service_server::GreeterService for GreeterRenumbered {
    async fn say_hello(
        &self,
        request: Request<renumbered::SayHelloRequest>,
    ) -> Result<Response<renumbered::SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(renumbered::SayHelloResponse { message }))
    }
}

/// Built from `retyped`: field 1 of the response now holds a `Greeting` message.
#[derive(Debug, Default)]
pub struct GreeterRetyped;

#[tonic::async_trait]
impl retyped::greeter_service_server::GreeterService for GreeterRetyped {
    async fn say_hello(
        &self,
        request: Request<retyped::SayHelloRequest>,
    ) -> Result<Response<retyped::SayHelloResponse>, Status> {
        let text = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(retyped::SayHelloResponse {
            message: Some(retyped::Greeting { text }),
        }))
    }
}

/// Built from `streaming`: three greetings for one request.
#[derive(Debug, Default)]
pub struct GreeterStreaming;

#[tonic::async_trait]
impl streaming::greeter_service_server::GreeterService for GreeterStreaming {
    type SayHelloStream =
        tokio_stream::Iter<std::vec::IntoIter<Result<streaming::SayHelloResponse, Status>>>;

    async fn say_hello(
        &self,
        request: Request<streaming::SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let name = request.into_inner().name;
        let greetings: Vec<_> = (1..=3)
            .map(|n| {
                Ok(streaming::SayHelloResponse {
                    message: format!("Hello, {name}! ({n} of 3)"),
                })
            })
            .collect();
        Ok(Response::new(tokio_stream::iter(greetings)))
    }
}

/// Built from `renamed`: the v1 greeter under the package `tutorial.greeter.v1`.
#[derive(Debug, Default)]
pub struct GreeterRenamed;

#[tonic::async_trait]
impl renamed::greeter_service_server::GreeterService for GreeterRenamed {
    async fn say_hello(
        &self,
        request: Request<renamed::SayHelloRequest>,
    ) -> Result<Response<renamed::SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(renamed::SayHelloResponse { message }))
    }
}
// ANCHOR_END: breaking
