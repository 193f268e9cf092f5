// ANCHOR: head
//! A unary greeter whose work takes a while: the target for deadlines and cancels.
//!
//! The work runs *inside* the handler's future. When the deadline passes or the
//! client goes away, tonic drops that future, and with it everything it owns: the
//! timer, the half-done work and the [`InFlightGuard`](lesson_kit::gauge::InFlightGuard)
//! that counts the call. Nothing has to poll a "cancelled?" flag. (Work moved into
//! `tokio::spawn` would *not* be dropped; keep it in the handler, or abort it from
//! a guard.)

use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use lesson_kit::{Console, InFlight};
use tonic::{Request, Response, Status};

/// Says hello after `work` of (simulated) work.
#[derive(Debug, Clone)]
pub struct SlowGreeter {
    /// How long each call works before answering.
    pub work: Duration,
    /// Counts calls: `completed` ones answered, `abandoned` ones were dropped half-way.
    pub calls: InFlight,
    /// Where the server says what happened.
    pub console: Console,
}

/// Prints, when dropped early, that the server stopped working for a call.
struct StopNotice<'a> {
    console: &'a Console,
    name: &'a str,
    done: bool,
}

impl Drop for StopNotice<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.console.line(format!(
                "server: stopped working for {} (call dropped)",
                self.name
            ));
        }
    }
}
// ANCHOR_END: head

// ANCHOR: slow
#[tonic::async_trait]
impl GreeterService for SlowGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let call = self.calls.enter();
        let name = request.into_inner().name;
        let mut notice = StopNotice {
            console: &self.console,
            name: &name,
            done: false,
        };
        // The "work": dropped mid-sleep if the deadline passes or the client cancels.
        tokio::time::sleep(self.work).await;
        notice.done = true;
        call.complete();
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}
// ANCHOR_END: slow
