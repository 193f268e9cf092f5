//! Exercise 17: the front end answers with the back end's greeting.

use grpc_exercises::ex17_block_on_in_runtime::Frontend;
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_end_relays_the_back_end() {
    within(async {
        let backend =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(Hello))).await;
        let frontend = Frontend {
            backend_url: backend.url(false),
        };
        let frontend =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(frontend)))
                .await;
        let mut client = GreeterServiceClient::new(support::connect(&frontend).await);
        for name in ["Jack", "Rose"] {
            let reply = client.say_hello(hello(name)).await;
            let reply = reply.unwrap_or_else(|status| {
                panic!("the front end failed: {status:?} (did a handler thread panic? see above)")
            });
            assert_eq!(reply.into_inner().message, format!("Hello, {name}!"));
        }
    })
    .await
}
