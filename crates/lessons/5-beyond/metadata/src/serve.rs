//! The server: the interceptor on the greeter, both layers around every call.

use std::future::Future;

use helloworld_proto::v2::greeter_service_server::GreeterServiceServer;
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

use crate::greeter::Greeter;
use crate::interceptor::request_ids;
use crate::layers::{EchoLayer, TimingLayer};

/// Serves the greeter on `listener` until `shutdown`, timing lines going to `log`.
pub async fn serve(
    listener: TcpListener,
    log: impl Fn(String) + Send + Sync + 'static,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    let greeter = GreeterServiceServer::with_interceptor(Greeter, request_ids());
    Server::builder()
        .layer(TimingLayer::new(log))
        .layer(EchoLayer)
        .add_service(greeter)
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(Some(true)),
            shutdown,
        )
        .await
}
