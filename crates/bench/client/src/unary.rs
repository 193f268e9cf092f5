//! Closed-loop unary load: `connections` × `in_flight` tasks, each calling
//! `v1.SayHello` again as soon as its answer arrives, as h2load's `-c` and `-m` do.

use std::time::Instant;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tokio::task::JoinSet;

use crate::{Summary, Window, connect, gather};

/// Runs the load over `window`; every reply must be `Hello, <name>!`.
pub async fn run(
    url: &str,
    connections: usize,
    in_flight: usize,
    name: &str,
    window: Window,
) -> anyhow::Result<Summary> {
    let mut tasks = JoinSet::new();
    for _ in 0..connections {
        let channel = connect(url).await?;
        for _ in 0..in_flight {
            let mut client = GreeterServiceClient::new(channel.clone());
            let name = name.to_owned();
            tasks.spawn(async move {
                let expected = format!("Hello, {name}!");
                let mut summary = Summary::default();
                while !window.is_over() {
                    let started = Instant::now();
                    let request = SayHelloRequest { name: name.clone() };
                    let reply = client.say_hello(request).await?.into_inner();
                    anyhow::ensure!(reply.message == expected, "unexpected {reply:?}");
                    summary.record_call(&window, started, reply.message.len());
                }
                Ok(summary)
            });
        }
    }
    gather(tasks).await
}

/// One call, checked: proves a server answers the tutorial's greeting before
/// h2load (which only sees HTTP status 200, not `grpc-status`) loads it.
pub async fn check(url: &str, name: &str) -> anyhow::Result<String> {
    let mut client = GreeterServiceClient::new(connect(url).await?);
    let request = SayHelloRequest { name: name.into() };
    let message = client.say_hello(request).await?.into_inner().message;
    anyhow::ensure!(
        message == format!("Hello, {name}!"),
        "unexpected {message:?}"
    );
    Ok(message)
}
