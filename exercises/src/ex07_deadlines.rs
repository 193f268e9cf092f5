//! Exercise 7: give every call a deadline (beyond the tutorial, deadlines).
//!
//! A call without a deadline waits as long as the server takes, possibly forever.
//! gRPC sends the deadline to the server in the `grpc-timeout` header, so both
//! sides can give up at the same moment and the server can stop useless work.

use std::time::Duration;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::transport::Channel;
use tonic::{Request, Status};

// ANCHOR: client
/// Calls `SayHello` but gives up after `deadline`, returning the greeting or the
/// status the call ended with (`DEADLINE_EXCEEDED` or, in tonic, `CANCELLED`
/// with "Timeout expired").
pub async fn greet_with_deadline(
    channel: Channel,
    name: &str,
    deadline: Duration,
) -> Result<String, Status> {
    // TODO: wrap a `SayHelloRequest` in a `tonic::Request`, give it the deadline,
    // and call `say_hello` with it.
    // HINT: `let mut request = Request::new(SayHelloRequest { .. });`
    //       `request.set_timeout(deadline);` sets the `grpc-timeout` header.
    todo!("call SayHello with a deadline")
}
// ANCHOR_END: client
