//! Shared by the metrics tests: an in-process server and a reader of `/metrics`.

#![allow(dead_code)]

use std::net::SocketAddr;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use lesson_kit::RunningServer;
use tokio::net::TcpListener;
use tonic::transport::Channel;

/// A Greeter (passing calls to `downstream`, if any) and where its `/metrics` is.
pub async fn start(downstream: Option<String>) -> (RunningServer, SocketAddr) {
    let metrics = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_addr = metrics.local_addr().unwrap();
    let running = RunningServer::start(move |listener, shutdown| {
        observability::server::serve(listener, metrics, downstream, shutdown.wait())
    })
    .await
    .unwrap();
    (running, metrics_addr)
}

pub async fn client(running: &RunningServer) -> GreeterServiceClient<Channel> {
    GreeterServiceClient::connect(running.url(false))
        .await
        .unwrap()
}

/// One SayHello: an empty name is refused with INVALID_ARGUMENT.
pub async fn say_hello(client: &mut GreeterServiceClient<Channel>, name: &str) -> tonic::Code {
    let request = SayHelloRequest { name: name.into() };
    match client.say_hello(request).await {
        Ok(_) => tonic::Code::Ok,
        Err(status) => status.code(),
    }
}

/// The value of the sample `name{…}` whose labels include all of `labels`.
pub fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines()
        .filter(|line| line.starts_with(&format!("{name}{{")))
        .find(|line| {
            labels
                .iter()
                .all(|(key, value)| line.contains(&format!("{key}=\"{value}\"")))
        })
        .and_then(|line| line.rsplit(' ').next()?.parse().ok())
}
