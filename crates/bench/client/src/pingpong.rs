//! Bidi ping-pong: one stream, one message in flight; each round trip is timed
//! from sending a request to receiving its reply.

use std::time::Instant;

use anyhow::Context;
use helloworld_proto::v3::SayHelloRequest;
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::{Summary, Window, connect};

/// Plays ping-pong over `window` against a server that answers each request at once.
pub async fn run(url: &str, window: Window) -> anyhow::Result<Summary> {
    let mut client = GreeterServiceClient::new(connect(url).await?);
    let (pings, outbound) = mpsc::channel(1);
    let ping = || SayHelloRequest {
        name: "ping".into(),
    };
    // The first ping goes before the call: some servers (grpcio) send response
    // headers only with the first reply, so awaiting them first would deadlock.
    let mut started = Instant::now();
    pings.send(ping()).await?;
    let call = client.say_hello(ReceiverStream::new(outbound));
    let mut replies = call.await?.into_inner();
    let mut summary = Summary::default();
    loop {
        let reply = replies
            .message()
            .await?
            .context("server ended the stream")?;
        summary.record_call(&window, started, reply.message.len());
        if window.is_over() {
            return Ok(summary);
        }
        started = Instant::now();
        pings.send(ping()).await?;
    }
}
