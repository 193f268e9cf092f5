// ANCHOR: head
//! One server instance: the greeter, saying who answered, plus its health.
//!
//! The reply carries the instance's name in an `x-served-by` response header, so a
//! client (or a test) can count where its calls went without changing the message.
//! On shutdown the instance reports `NOT_SERVING` *before* it stops accepting, so
//! health-checking balancers take it out while its in-flight calls drain.

use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use lesson_kit::shutdown::with_grace;
use lesson_kit::{ShutdownSignal, server};
use tonic::metadata::MetadataValue;
use tonic::transport::Server;
use tonic::{Request, Response, Status};
use tonic_health::ServingStatus;

/// The header naming the instance that answered.
pub const SERVED_BY: &str = "x-served-by";

/// The health service name balancers watch.
pub const GREETER: &str = helloworld_proto::SERVICE_NAMES[0];

/// The greeter of one named instance.
#[derive(Debug, Clone)]
pub struct Greeter {
    /// This instance's name, sent in `x-served-by`.
    pub instance: String,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        let mut response = Response::new(SayHelloResponse { message });
        let value = MetadataValue::try_from(self.instance.as_str())
            .map_err(|_| Status::internal("instance name is not a header value"))?;
        response.metadata_mut().insert(SERVED_BY, value);
        Ok(response)
    }
}
// ANCHOR_END: head

// ANCHOR: serve_instance
/// Serves one instance named `instance` until `shutdown`, announcing the drain via health.
pub async fn serve_instance(
    listener: tokio::net::TcpListener,
    instance: String,
    shutdown: ShutdownSignal,
    grace: Duration,
) -> anyhow::Result<()> {
    let (reporter, health) = tonic_health::server::health_reporter();
    reporter
        .set_service_status(GREETER, ServingStatus::Serving)
        .await;
    let drain = {
        let shutdown = shutdown.clone();
        async move {
            shutdown.wait().await;
            // Watchers learn first; then tonic stops accepting and drains.
            reporter
                .set_service_status(GREETER, ServingStatus::NotServing)
                .await;
        }
    };
    let serve = Server::builder()
        .add_service(health)
        .add_service(GreeterServiceServer::new(Greeter { instance }))
        .serve_with_incoming_shutdown(server::incoming(listener), drain);
    with_grace(serve, shutdown, grace).await?;
    Ok(())
}
// ANCHOR_END: serve_instance
