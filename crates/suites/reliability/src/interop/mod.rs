//! grpc's own interop contract (`grpc.testing.TestService`): a server and a
//! client taking the flags grpc's interop binaries take, so any gRPC
//! implementation's interop client or server can be run against ours.

pub mod client;
pub mod server;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::{Identity, Server, ServerTlsConfig};

/// Serves the test service on `listener` (TLS when `tls` is given) until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    tls: Option<Identity>,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let mut builder = Server::builder();
    if let Some(identity) = tls {
        builder = builder.tls_config(ServerTlsConfig::new().identity(identity))?;
    }
    builder
        .layer(server::EchoMetadataLayer)
        .add_service(server::service())
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
        .await?;
    Ok(())
}
