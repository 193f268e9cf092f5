//! Exercise 28: make a server discoverable and checkable (beyond the tutorial,
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
    // TODO: one server, three services: the greeter; health, reporting the
    // greeter as SERVING; and reflection, describing `helloworld_proto`'s schema.
    todo!("add the greeter, health and reflection")
}
// ANCHOR_END: router
