//! Exercise 11: five greetings, then the end of the call, promptly; and a
//! client hanging up between two greetings stops the producer at once.

use std::time::Duration;

use grpc_exercises::ex11_stream_never_ends::Greeter;
use grpc_exercises::support::{self, within};
use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

/// Far longer than five greetings take on a loopback socket.
const END_WITHIN: Duration = Duration::from_secs(3);

#[tokio::test]
async fn the_stream_ends_after_five_greetings() {
    within(async {
        let greeter = Greeter::default();
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(greeter))).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let request = SayHelloRequest {
            name: "Jack".to_owned(),
        };
        let mut stream = client
            .say_hello(request)
            .await
            .expect("SayHello")
            .into_inner();
        let mut got = Vec::new();
        let read_all = async {
            while let Some(reply) = stream.message().await.expect("a greeting") {
                got.push(reply.message);
            }
        };
        let ended = tokio::time::timeout(END_WITHIN, read_all).await;
        let expected: Vec<String> = (0..5).map(|i| format!("Hello number {i}, Jack!")).collect();
        assert_eq!(got, expected, "five greetings, in order");
        assert!(
            ended.is_ok(),
            "all five greetings arrived, but the stream had not ended {END_WITHIN:?} later: \
             something still holds a sender"
        );
    })
    .await
}

#[tokio::test]
async fn a_client_hanging_up_between_greetings_stops_the_producer_at_once() {
    within(async {
        // The next greeting is a minute away: only the hang-up can stop it sooner.
        let greeter = Greeter {
            every: Duration::from_secs(60),
            ..Greeter::default()
        };
        let stopped = greeter.stopped.clone();
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(greeter))).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let request = SayHelloRequest {
            name: "Jack".to_owned(),
        };
        let mut stream = client
            .say_hello(request)
            .await
            .expect("SayHello")
            .into_inner();
        let first = stream.message().await.expect("a greeting");
        assert_eq!(
            first.map(|reply| reply.message).as_deref(),
            Some("Hello number 0, Jack!")
        );
        drop(stream);

        let gone = tokio::time::timeout(END_WITHIN, stopped.notified()).await;
        assert!(
            gone.is_ok(),
            "{END_WITHIN:?} after its client hung up, the producer had not stopped: \
             it sleeps until the next greeting instead of watching for the hang-up too"
        );
    })
    .await
}
