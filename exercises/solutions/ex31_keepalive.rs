//! Exercise 31, solved: keepalive on both ends, so each notices a peer that has
//! gone silent, and a handler that counts the calls dropped mid-work (a future
//! dropped runs no more code, only destructors).

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

/// A server builder that pings its peers and drops the ones that do not answer.
pub fn server_builder() -> Server {
    // ANCHOR: server
    Server::builder()
        .http2_keepalive_interval(Some(KEEPALIVE_INTERVAL))
        .http2_keepalive_timeout(Some(KEEPALIVE_TIMEOUT))
    // ANCHOR_END: server
}

/// The endpoint for `url`: pings its server, idle or not, and gives up on one
/// that does not answer.
pub fn endpoint(url: &str) -> Endpoint {
    // ANCHOR: client
    Endpoint::from_shared(url.to_owned())
        .expect("a valid URL")
        .http2_keep_alive_interval(KEEPALIVE_INTERVAL)
        .keep_alive_timeout(KEEPALIVE_TIMEOUT)
        .keep_alive_while_idle(true)
    // ANCHOR_END: client
}

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

/// Counts its call as abandoned when dropped, unless the call answered first.
struct Unanswered<'a> {
    log: &'a CallLog,
    answered: bool,
}

impl Drop for Unanswered<'_> {
    fn drop(&mut self) {
        if !self.answered {
            self.log.abandoned.fetch_add(1, Ordering::SeqCst);
            self.log.dropped.notify_one();
        }
    }
}

#[tonic::async_trait]
impl GreeterService for SlowGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        self.log.started.notify_one();
        let mut call = Unanswered {
            log: &self.log,
            answered: false,
        };
        tokio::time::sleep(self.work).await;
        call.answered = true;
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}
