//! Exercise 28, a fake answer: health and reflection, but the greeter itself is
//! not served. scripts/check-exercises requires these tests to fail on it:
//! fails: the_greeter_itself_answers

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;
use tonic::transport::server::Router;

use crate::support::greeter::Hello;

/// The greeter this server should offer.
pub type Greeter = GreeterServiceServer<Hello>;

/// Health says the greeter serves, reflection lists it, and nobody answers it.
pub async fn router() -> anyhow::Result<Router> {
    let (reporter, health) = tonic_health::server::health_reporter();
    reporter.set_serving::<Greeter>().await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(helloworld_proto::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    Ok(Server::builder()
        .add_service(health)
        .add_service(reflection))
}
