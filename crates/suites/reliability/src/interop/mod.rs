//! grpc's own interop contract (`grpc.testing.TestService`): a server and a
//! client taking the flags grpc's interop binaries take, so any gRPC
//! implementation's interop client or server can be run against ours.

pub mod client;
pub mod server;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::{Identity, Server, ServerTlsConfig};

/// Serves the test service on `listener` (TLS when `tls` is given) until `shutdown`
/// resolves; `max_concurrent_streams` is the SETTINGS value a connection gets (the
/// `max_streams` case runs against 1).
pub async fn serve(
    listener: TcpListener,
    tls: Option<Identity>,
    max_concurrent_streams: Option<u32>,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let mut builder = Server::builder().max_concurrent_streams(max_concurrent_streams);
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
