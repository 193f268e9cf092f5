//! Exercise 7: a lock-step conversation with the pool's iterator, and a blocking
//! client that streams names and collects the greetings of a server it did not write.

use grpc_exercises::ex07_sync_bidi::{Greeter, greet_all};
use grpc_exercises::support::reference::{Reference, random_name};
use grpc_exercises::support::{self, within, within_blocking};
use helloworld_proto::v3::SayHelloRequest;
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::GreeterServiceServer;
use sync_kit::WorkerPool;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Server;

fn router() -> tonic::transport::server::Router {
    let greeter = Greeter {
        pool: WorkerPool::new(2),
    };
    Server::builder().add_service(GreeterServiceServer::new(greeter))
}

/// The client sends a name only after the previous answer came back: a server
/// that waits for the whole stream before answering never gets the second name.
#[tokio::test]
async fn each_name_is_answered_before_the_next_is_sent() {
    within(async {
        let server = support::serve(router()).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let (names, outbound) = tokio::sync::mpsc::channel(1);
        let mut answers = client
            .say_hello(ReceiverStream::new(outbound))
            .await
            .expect("SayHello")
            .into_inner();
        for name in ["Jack", "Rose", "Cal"].map(random_name) {
            let request = SayHelloRequest { name: name.clone() };
            names.send(request).await.expect("the call is open");
            let answer = answers
                .message()
                .await
                .expect("an answer")
                .expect("one per name");
            assert_eq!(answer.message, format!("Hello, {name}!"));
        }
        drop(names);
        assert!(answers.message().await.expect("a clean end").is_none());
    })
    .await
}

#[test]
fn plain_code_streams_names_and_collects_greetings() {
    within_blocking(|| {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
        let reference = Reference::new();
        let router = Server::builder().add_service(GreeterServiceServer::new(reference.clone()));
        let server = runtime.block_on(support::serve(router));
        let names: Vec<String> = (1..=20)
            .map(|i| random_name(&format!("name {i}")))
            .collect();
        let expected: Vec<String> = names.iter().map(|name| reference.greeting(name)).collect();
        let got = greet_all(&server.url(false), names).expect("greet_all");
        assert_eq!(
            got, expected,
            "the client must return what the server answered, in order"
        );
    });
}
