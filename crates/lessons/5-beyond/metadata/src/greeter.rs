//! The tutorial's v2 streaming greeter, answering with the request's id in its headers.

use std::pin::Pin;

use helloworld_proto::v2::greeter_service_server::GreeterService;
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use tokio_stream::Stream;
use tonic::metadata::MetadataValue;
use tonic::{Request, Response, Status};

use crate::interceptor::{REQUEST_ID, RequestId};

/// Streams three greetings and answers with the request's id in its headers.
#[derive(Debug, Default, Clone, Copy)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let id = request.extensions().get::<RequestId>().cloned();
        let name = request.into_inner().name;
        let greetings = (0..3).map(move |i| {
            Ok(SayHelloResponse {
                message: format!("Hello number {i}, {name}!"),
            })
        });
        let mut response =
            Response::new(Box::pin(tokio_stream::iter(greetings)) as Self::SayHelloStream);
        if let Some(RequestId(id)) = id {
            let value = MetadataValue::try_from(id.as_str())
                .map_err(|_| Status::internal("request id is not a header value"))?;
            response.metadata_mut().insert(REQUEST_ID, value);
        }
        Ok(response)
    }
}
