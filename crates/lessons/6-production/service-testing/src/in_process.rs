//! A server and a channel in one process, joined by in-memory pipes: no port, no
//! socket, nothing another test can race for. Each connection the channel opens is
//! a fresh `tokio::io::duplex` pair; the server half goes to `serve_with_incoming`.

use std::io;

use hyper_util::rt::TokioIo;
use tokio::io::DuplexStream;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::service::Routes;
use tonic::transport::{Channel, Endpoint, Server, Uri};

/// Bytes each direction of a pipe buffers (like a socket's buffer).
const PIPE_BUFFER: usize = 64 * 1024;

/// Serves `routes` in a background task and returns a channel to them.
/// The server stops once the channel (and every clone of it) is dropped.
pub async fn in_process_channel(routes: Routes) -> Result<Channel, tonic::transport::Error> {
    let (to_server, connections) = mpsc::channel::<io::Result<DuplexStream>>(4);
    tokio::spawn(
        Server::builder()
            .add_routes(routes)
            .serve_with_incoming(ReceiverStream::new(connections)),
    );
    // The URL is never dialled: the connector below makes every connection.
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
