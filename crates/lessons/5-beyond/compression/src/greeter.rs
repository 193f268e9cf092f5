//! The server: a greeter that accepts and sends each encoding it is given.

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::codec::CompressionEncoding;
use tonic::{Request, Response, Status};

/// Greets back with the whole name, so replies are as repetitive as requests.
#[derive(Debug, Default, Clone, Copy)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// The greeter accepting and sending each of `encodings`.
pub fn service(encodings: &[CompressionEncoding]) -> GreeterServiceServer<Greeter> {
    let mut service = GreeterServiceServer::new(Greeter);
    for encoding in encodings {
        service = service
            .accept_compressed(*encoding)
            .send_compressed(*encoding);
    }
    service
}
