//! Exercise 31, a fake answer: no keepalive at all, on either side, and a
//! handler that counts every call as abandoned when it starts.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: the_server_pings_an_idle_peer a_silent_peer_is_disconnected a_client_notices_a_server_that_vanished the_server_drops_and_counts_the_call_of_a_client_that_vanished an_answered_call_is_not_counted_as_abandoned

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

/// The builder as it comes.
pub fn server_builder() -> Server {
    Server::builder()
}

/// The endpoint as it comes.
pub fn endpoint(url: &str) -> Endpoint {
    Endpoint::from_shared(url.to_owned()).expect("a valid URL")
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

#[tonic::async_trait]
impl GreeterService for SlowGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // Counted up front "in case": every call looks abandoned.
        self.log.abandoned.fetch_add(1, Ordering::SeqCst);
        self.log.dropped.notify_one();
        self.log.started.notify_one();
        tokio::time::sleep(self.work).await;
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}
