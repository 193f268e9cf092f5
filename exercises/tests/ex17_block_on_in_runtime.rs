//! Exercise 17: the front end answers with its back end's greeting (a back end
//! that signs its answers, so the front end cannot make them up).

use grpc_exercises::ex17_block_on_in_runtime::Frontend;
use grpc_exercises::support::reference::{Reference, random_name};
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_end_relays_the_back_end() {
    within(async {
        let reference = Reference::new();
        let backend = support::serve(
            Server::builder().add_service(GreeterServiceServer::new(reference.clone())),
        )
        .await;
        let frontend = Frontend {
            backend_url: backend.url(false),
        };
        let frontend =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(frontend)))
                .await;
        let mut client = GreeterServiceClient::new(support::connect(&frontend).await);
        for name in [random_name("Jack"), random_name("Rose")] {
            let reply = client.say_hello(hello(&name)).await;
            let reply = reply.unwrap_or_else(|status| {
                panic!("the front end failed: {status:?} (did a handler thread panic? see above)")
            });
            assert_eq!(
                reply.into_inner().message,
                reference.greeting(&name),
                "the front end must answer with what its back end said"
            );
        }
    })
    .await
}
