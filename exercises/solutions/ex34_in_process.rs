//! Exercise 34, solved: a server and its client in one process, no port.

use std::io;

use hyper_util::rt::TokioIo;
use tokio::io::DuplexStream;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::service::Routes;
use tonic::transport::{Channel, Endpoint, Server, Uri};

/// Bytes each direction of a pipe buffers.
pub const PIPE_BUFFER: usize = 64 * 1024;

/// Serves `routes` in a background task and returns a channel to them, joined by
/// in-memory pipes: every connection the channel opens is a fresh
/// `tokio::io::duplex` pair whose server half goes to `serve_with_incoming`.
pub async fn in_process_channel(routes: Routes) -> Result<Channel, tonic::transport::Error> {
    let (to_server, connections) = mpsc::channel::<io::Result<DuplexStream>>(4);
    tokio::spawn(
        Server::builder()
            .add_routes(routes)
            .serve_with_incoming(ReceiverStream::new(connections)),
    );
    // Never dialled: the connector makes every connection.
    Endpoint::from_static("http://in-process.invalid")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let to_server = to_server.clone();
            async move {
                let (client, server) = tokio::io::duplex(PIPE_BUFFER);
                to_server
                    .send(Ok(server))
                    .await
                    .map_err(|_| io::Error::other("the in-process server has stopped"))?;
                Ok::<_, io::Error>(TokioIo::new(client))
            }
        }))
        .await
}
