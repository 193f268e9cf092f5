//! Exercise 31: keepalive on both ends, so each notices a peer that has gone
//! silent (beyond the tutorial, limits and keepalive).
//!
//! A peer whose machine vanished (cable pulled, laptop closed) never sends a FIN:
//! without keepalive its connection stays open forever, and a call on it waits
//! forever. With keepalive a side sends an HTTP/2 PING every
//! [`KEEPALIVE_INTERVAL`] and closes the connection when one is not acknowledged
//! within [`KEEPALIVE_TIMEOUT`]. Healthy peers acknowledge pings by themselves.
//! The server pings its clients; the client pings its server, also while no call
//! is in flight, so a dead connection is found before the next call needs it.
//!
//! When the server gives up on a peer, the calls it was serving end too: their
//! handler futures are dropped mid-`await`, and nothing after that `await` runs.
//! [`SlowGreeter`] has to notice, so that a call cut off counts as abandoned.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::sync::Notify;
use tonic::transport::{Endpoint, Server};
use tonic::{Request, Response, Status};

/// How often each side pings.
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_millis(200);
/// How long it waits for the acknowledgement.
pub const KEEPALIVE_TIMEOUT: Duration = Duration::from_millis(200);

// ANCHOR: server
/// A server builder that pings its peers and drops the ones that do not answer.
pub fn server_builder() -> Server {
    // TODO: ping every KEEPALIVE_INTERVAL; give up on a peer after KEEPALIVE_TIMEOUT.
    todo!("configure the server's keepalive")
}
// ANCHOR_END: server

// ANCHOR: client
/// The endpoint for `url`: pings its server, idle or not, and gives up on one
/// that does not answer.
pub fn endpoint(url: &str) -> Endpoint {
    let endpoint = Endpoint::from_shared(url.to_owned()).expect("a valid URL");
    // TODO: the same three ideas on the client: how often, how long, and also
    // when no call is in flight.
    todo!("configure the client's keepalive")
}
// ANCHOR_END: client

/// What became of the calls a [`SlowGreeter`] was given.
#[derive(Debug, Default)]
pub struct CallLog {
    /// Notified as each call starts its work.
    pub started: Notify,
    /// Calls whose handler was dropped before it answered.
    pub abandoned: AtomicUsize,
    /// Notified after each one is counted.
    pub dropped: Notify,
}

/// A greeter that works `work` per call, logging into `log`.
#[derive(Debug, Clone)]
pub struct SlowGreeter {
    pub work: Duration,
    pub log: Arc<CallLog>,
}

#[tonic::async_trait]
impl GreeterService for SlowGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        self.log.started.notify_one();
        // TODO: a call dropped during this sleep must end up counted in
        // `log.abandoned` (then `log.dropped` notified); one that answers, not.
        tokio::time::sleep(self.work).await;
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}
