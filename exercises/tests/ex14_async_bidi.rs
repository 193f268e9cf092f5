//! Exercise 14: a lock-step conversation over a real socket, one name at a time.

use grpc_exercises::ex14_async_bidi::Greeter;
use grpc_exercises::support::reference::random_name;
use grpc_exercises::support::{self, within};
use helloworld_proto::v3::SayHelloRequest;
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::GreeterServiceServer;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Server;

#[tokio::test]
async fn each_name_is_answered_before_the_next_is_sent() {
    within(async {
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(Greeter))).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let (names, outgoing) = mpsc::channel(1);
        let mut answers = client
            .say_hello(ReceiverStream::new(outgoing))
            .await
            .expect("SayHello")
            .into_inner();
        for name in ["Ann", "Bob", "Cid"].map(random_name) {
            names
                .send(SayHelloRequest { name: name.clone() })
                .await
                .expect("the call is open");
            let answer = answers.message().await.expect("an answer");
            let answer = answer.expect("the server answers before the client is done");
            assert_eq!(answer.message, format!("Hello, {name}!"));
        }
        drop(names);
        let end = answers.message().await.expect("a clean end");
        assert!(
            end.is_none(),
            "the server ends its stream when the client ends"
        );
    })
    .await
}
