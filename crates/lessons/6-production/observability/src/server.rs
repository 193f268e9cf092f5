//! The server: traced and metered by two tower layers around the Greeter.

use std::sync::Arc;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Server};

use crate::greeter::{Greeter, traced_client};
use crate::metrics::{GrpcMetrics, MetricsLayer, serve_metrics};
use crate::rpc_span::{RpcSpanLayer, Side};

/// Serves gRPC on `grpc` and `/metrics` on `metrics` until `shutdown` completes;
/// with a `downstream` URL, every call is passed on to that Greeter.
pub async fn serve(
    grpc: TcpListener,
    metrics: TcpListener,
    downstream: Option<String>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let mut registry = Registry::default();
    let grpc_metrics = GrpcMetrics::register(&mut registry);
    let (stop_scrapes, scrapes_stopped) = tokio::sync::oneshot::channel::<()>();
    let scrapes = tokio::spawn(serve_metrics(metrics, Arc::new(registry), async {
        let _ = scrapes_stopped.await;
    }));

    let downstream = match downstream {
        Some(url) => Some(traced_client(Channel::from_shared(url)?.connect_lazy())),
        None => None,
    };
    Server::builder()
        .layer(MetricsLayer(grpc_metrics))
        .layer(RpcSpanLayer(Side::Server))
        .add_service(GreeterServiceServer::new(Greeter { downstream }))
        .serve_with_incoming_shutdown(TcpIncoming::from(grpc).with_nodelay(Some(true)), shutdown)
        .await?;
    // Scrapes go on until the last call is done, so its counts are seen.
    let _ = stop_scrapes.send(());
    scrapes.await??;
    Ok(())
}
