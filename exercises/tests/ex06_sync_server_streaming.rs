//! Exercise 6: five greetings from an iterator, read by plain code until the end.

use grpc_exercises::ex06_sync_server_streaming::{Greeter, collect_greetings};
use grpc_exercises::support::{self, within, within_blocking};
use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::GreeterServiceServer;
use sync_kit::WorkerPool;
use tonic::transport::Server;

fn expected(name: &str) -> Vec<String> {
    (0..5)
        .map(|i| format!("Hello number {i}, {name}!"))
        .collect()
}

fn router() -> tonic::transport::server::Router {
    let greeter = Greeter {
        pool: WorkerPool::new(2),
    };
    Server::builder().add_service(GreeterServiceServer::new(greeter))
}

#[tokio::test]
async fn the_server_streams_five_greetings_then_ends() {
    within(async {
        let server = support::serve(router()).await;
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
        while let Some(reply) = stream.message().await.expect("a greeting") {
            got.push(reply.message);
        }
        assert_eq!(got, expected("Jack"));
    })
    .await
}

#[test]
fn plain_code_reads_the_stream_to_its_end() {
    within_blocking(|| {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
        let server = runtime.block_on(support::serve(router()));
        let got = collect_greetings(&server.url(false), "Ann").expect("collect_greetings");
        assert_eq!(got, expected("Ann"));
    });
}
