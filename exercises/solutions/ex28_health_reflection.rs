//! Exercise 28, solved: make a server discoverable and checkable.

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;
use tonic::transport::server::Router;

use crate::support::greeter::Hello;

/// The greeter this server offers (finished already; this exercise is about the rest).
pub type Greeter = GreeterServiceServer<Hello>;

/// The server's services: the greeter, a health service that reports the greeter
/// as `SERVING`, and reflection over `helloworld_proto::FILE_DESCRIPTOR_SET`.
pub async fn router() -> anyhow::Result<Router> {
    // ANCHOR: router
    let (reporter, health) = tonic_health::server::health_reporter();
    reporter.set_serving::<Greeter>().await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(helloworld_proto::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    Ok(Server::builder()
        .add_service(GreeterServiceServer::new(Hello))
        .add_service(health)
        .add_service(reflection))
    // ANCHOR_END: router
}
