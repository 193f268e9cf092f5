//! Exercise 34: a server and its client in one process, no port (chapter 6,
//! testing a service).
//!
//! A test that binds a port can race another test for it, and needs a network.
//! tonic can serve any stream of connections (`serve_with_incoming`) and a channel
//! can open its connections with any connector (`connect_with_connector`): join
//! the two with `tokio::io::duplex` pipes and the test needs no socket at all.

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
    // TODO: spawn a server on a stream of connections (an mpsc channel of
    // DuplexStreams, as a ReceiverStream); connect an endpoint whose connector
    // makes a duplex pair per connection, sends one half to the server and
    // returns the other (wrapped in hyper_util's TokioIo).
    todo!("serve_with_incoming + connect_with_connector")
}
