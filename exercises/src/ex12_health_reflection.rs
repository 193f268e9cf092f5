//! Exercise 12: make a server discoverable and checkable (beyond the tutorial,
//! health and reflection).
//!
//! Load balancers and orchestrators ask the standard `grpc.health.v1.Health`
//! service whether a service is up; tools like `grpcurl` ask the reflection
//! service what the server offers, without any `.proto` files. Neither is part of
//! your API, and both are a few lines in tonic.

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;
use tonic::transport::server::Router;

use crate::support::greeter::Hello;

/// The greeter this server offers (finished already; this exercise is about the rest).
pub type Greeter = GreeterServiceServer<Hello>;

// ANCHOR: router
/// The server's services: the greeter, a health service that reports the greeter
/// as `SERVING`, and reflection over `helloworld_proto::FILE_DESCRIPTOR_SET`.
pub async fn router() -> anyhow::Result<Router> {
    // TODO: add three services to one `Server::builder()`:
    //  1. the greeter, `GreeterServiceServer::new(Hello)`;
    //  2. health: `tonic_health::server::health_reporter()` gives a reporter and a
    //     service; tell the reporter the greeter is serving;
    //  3. reflection: `tonic_reflection::server::Builder::configure()`, registering
    //     the encoded descriptor set, then `.build_v1()?`.
    // HINT: `reporter.set_serving::<Greeter>().await` uses the greeter's full name,
    //       `tutorial.helloworld.v1.GreeterService`.
    todo!("add the greeter, health and reflection")
}
// ANCHOR_END: router
