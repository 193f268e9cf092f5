// ANCHOR: part1
//! The client half: its own limits, and the calls that run into the server's.

use std::time::Duration;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use prost::Message;
use tonic::Status;
use tonic::transport::{Channel, Endpoint};

/// Client-side limits (the lesson's client flags).
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Largest request this client agrees to send, in bytes.
    #[arg(long, default_value_t = 2048)]
    pub max_send_bytes: usize,
    /// Largest response this client agrees to receive, in bytes.
    #[arg(long, default_value_t = 4096)]
    pub max_receive_bytes: usize,
    /// Calls sent at once to show the server's concurrency limit.
    #[arg(long, default_value_t = 6)]
    pub parallel: usize,
    /// Ping the server this often, even when idle; no answer within the same time drops the connection.
    #[arg(long, default_value = "10s")]
    pub ping_every: humantime::Duration,
}
// ANCHOR_END: part1

// ANCHOR: endpoint
/// An endpoint that pings the server to find a dead connection before a call hangs on it.
pub fn endpoint(url: String, keepalive: Duration) -> anyhow::Result<Endpoint> {
    Ok(Endpoint::from_shared(url)?
        .http2_keep_alive_interval(keepalive)
        .keep_alive_timeout(keepalive)
        .keep_alive_while_idle(true))
}

/// The generated greeter client over a channel.
pub type Greeter = GreeterServiceClient<Channel>;

/// The generated client with this side's message limits.
pub fn client(channel: Channel, flags: &ClientFlags) -> Greeter {
    GreeterServiceClient::new(channel)
        .max_encoding_message_size(flags.max_send_bytes)
        .max_decoding_message_size(flags.max_receive_bytes)
}
// ANCHOR_END: endpoint

// ANCHOR: say_hello
/// One call, checked against this client's send limit first; size errors as the spec names them.
///
/// tonic 0.14 reports a message over a limit as `OUT_OF_RANGE` (gRPC's C core, Java
/// and Go say `RESOURCE_EXHAUSTED`), and a request over the *client's own* send limit
/// fails only after its headers went out, as `INTERNAL: h2 protocol error`. Checking
/// the encoded size up front gives a clear status and sends nothing.
pub async fn say_hello(
    client: &GreeterServiceClient<Channel>,
    max_send_bytes: usize,
    name: &str,
) -> Result<String, Status> {
    let request = SayHelloRequest { name: name.into() };
    let size = request.encoded_len();
    if size > max_send_bytes {
        return Err(Status::resource_exhausted(format!(
            "request is {size} bytes, this client sends at most {max_send_bytes}"
        )));
    }
    match client.clone().say_hello(request).await {
        Ok(response) => Ok(response.into_inner().message),
        Err(status) => Err(spec_status(status)),
    }
}

/// tonic's `OUT_OF_RANGE: ... message length too large` as the spec's `RESOURCE_EXHAUSTED`.
pub fn spec_status(status: Status) -> Status {
    if status.code() == tonic::Code::OutOfRange
        && status.message().contains("message length too large")
    {
        Status::resource_exhausted(status.message())
    } else {
        status
    }
}
// ANCHOR_END: say_hello

// ANCHOR: part2
/// `calls` calls at once; how many succeeded.
pub async fn in_parallel(client: &GreeterServiceClient<Channel>, calls: usize) -> usize {
    in_parallel_outcomes(client, calls)
        .await
        .iter()
        .filter(|outcome| outcome.is_ok())
        .count()
}

/// `calls` calls at once; each one's outcome, in order.
pub async fn in_parallel_outcomes(
    client: &GreeterServiceClient<Channel>,
    calls: usize,
) -> Vec<Result<String, tonic::Status>> {
    let calls = (0..calls).map(|i| {
        let client = client.clone();
        async move { say_hello(&client, usize::MAX, &format!("caller {i}")).await }
    });
    futures::future::join_all(calls).await
}
// ANCHOR_END: part2
