//! tonic's helloworld server (`examples/src/helloworld/server.rs` in the tonic
//! repository), as a baseline for the benchmarks: the async-unary lesson must run
//! at least 0.95× as fast as this, or the lesson adds something costly.
//!
//! Changed from tonic's file, and only this: the messages are the tutorial's
//! (`tutorial.helloworld.v1`, reply `Hello, <name>!`) so the same load runs
//! against both; the address is `--addr`; and the `println!` per request is
//! gone, since one write to the log per call would be most of what a benchmark
//! measured.

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::{Request, Response, Status, transport::Server};

/// tonic's `MyGreeter`.
#[derive(Default)]
pub struct MyGreeter {}

#[tonic::async_trait]
impl GreeterService for MyGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let reply = SayHelloResponse {
            message: format!("Hello, {}!", request.into_inner().name),
        };
        Ok(Response::new(reply))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = match std::env::args().skip_while(|arg| arg != "--addr").nth(1) {
        Some(addr) => addr.parse()?,
        None => "[::1]:50051".parse()?,
    };
    let greeter = MyGreeter::default();

    println!("GreeterServer listening on {addr}");

    Server::builder()
        .add_service(GreeterServiceServer::new(greeter))
        .serve(addr)
        .await?;

    Ok(())
}
