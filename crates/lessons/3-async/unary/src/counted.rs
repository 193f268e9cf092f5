//! The listed server with a counting layer around it: what `cargo run -p
//! async-unary -- server` runs, so a `--concurrent` burst can print how many calls
//! the server had in progress. The greeter itself stays the tutorial's.

use std::future::Future;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use lesson_kit::InFlightLayer;
use tokio::net::TcpListener;
use tonic::transport::Server;

use crate::server::Greeter;

/// Serves [`Greeter`] like [`crate::server::serve`], each call counted by `layer`.
pub async fn serve(
    listener: TcpListener,
    work_delay: Duration,
    layer: InFlightLayer,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    Server::builder()
        .layer(layer)
        .add_service(GreeterServiceServer::new(Greeter { work_delay }))
        .serve_with_incoming_shutdown(lesson_kit::server::incoming(listener), shutdown)
        .await?;
    Ok(())
}
