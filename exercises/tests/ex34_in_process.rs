//! Exercise 34: calls reach the service through the in-process channel, and they
//! arrive over a pipe, not a socket (a TCP connection would have a peer address).

use std::sync::{Arc, Mutex};

use grpc_exercises::ex34_in_process::in_process_channel;
use grpc_exercises::support::reference::random_name;
use grpc_exercises::support::{greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::service::Routes;
use tonic::{Request, Response, Status};

/// Greets, and keeps the peer address of every call it served.
#[derive(Clone, Default)]
struct Recording {
    peers: Arc<Mutex<Vec<Option<std::net::SocketAddr>>>>,
}

#[tonic::async_trait]
impl GreeterService for Recording {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        self.peers.lock().unwrap().push(request.remote_addr());
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}

#[tokio::test]
async fn calls_reach_the_service_over_a_pipe() {
    within(async {
        let service = Recording::default();
        let routes = Routes::new(GreeterServiceServer::new(service.clone()));
        let channel = in_process_channel(routes)
            .await
            .expect("an in-process channel");
        let mut calls = Vec::new();
        for _ in 0..3 {
            let mut client = GreeterServiceClient::new(channel.clone());
            calls.push(tokio::spawn(async move {
                let name = random_name("Jack");
                let reply = client.say_hello(hello(&name)).await.expect("SayHello");
                assert_eq!(reply.into_inner().message, format!("Hello, {name}!"));
            }));
        }
        for call in calls {
            call.await.expect("a call panicked");
        }
        let peers = service.peers.lock().unwrap().clone();
        assert_eq!(peers.len(), 3, "the service served every call");
        assert!(
            peers.iter().all(Option::is_none),
            "the calls came from {peers:?}: a socket, not an in-memory pipe"
        );
    })
    .await
}
