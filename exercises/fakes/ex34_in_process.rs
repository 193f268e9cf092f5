//! Exercise 34, a fake answer: a real TCP server on a local port. The calls work,
//! but the test sees a peer address, which no in-memory pipe has.
//!
//! fails: calls_reach_the_service_over_a_pipe

use tokio::net::TcpListener;
use tonic::service::Routes;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Endpoint, Server};

pub const PIPE_BUFFER: usize = 64 * 1024;

pub async fn in_process_channel(routes: Routes) -> Result<Channel, tonic::transport::Error> {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(
        Server::builder()
            .add_routes(routes)
            .serve_with_incoming(TcpIncoming::from(listener)),
    );
    Endpoint::from_shared(url).expect("url").connect().await
}
