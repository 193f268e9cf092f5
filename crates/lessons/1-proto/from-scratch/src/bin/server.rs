use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

// The code build.rs generated from proto/helloworld.proto, package by package.
pub mod helloworld {
    tonic::include_proto!("tutorial.helloworld.v1");
}

use helloworld::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld::{SayHelloRequest, SayHelloResponse};

#[derive(Debug, Default)]
struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        let reply = SayHelloResponse {
            message: format!("Hello, {name}!"),
        };
        Ok(Response::new(reply))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The tutorial's port; `cargo run --bin server -- 127.0.0.1:50052` picks another.
    let addr = std::env::args().nth(1).unwrap_or("[::]:50051".into());
    // Bound before the line is printed: a client started on seeing it finds the port open.
    // Nagle off, as `serve(addr)` would set it: a small frame never waits for an ACK.
    let incoming = TcpIncoming::bind(addr.parse()?)?.with_nodelay(Some(true));
    println!("Greeter server listening on {}", incoming.local_addr()?);
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    Server::builder()
        .add_service(GreeterServiceServer::new(Greeter))
        .serve_with_incoming_shutdown(incoming, ctrl_c)
        .await?;
    Ok(())
}
