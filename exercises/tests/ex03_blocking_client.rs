//! Exercise 3: plain, synchronous code gets its greeting over a real socket, from
//! a server that signs its answers with a word the client cannot guess.

use grpc_exercises::ex03_blocking_client::BlockingGreeter;
use grpc_exercises::support::reference::{Reference, random_name};
use grpc_exercises::support::{self, within_blocking};
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

/// A plain test: no async runtime on this thread, as in a sync program. The
/// server runs on a runtime of its own, as a separate process would.
#[test]
fn a_blocking_client_greets_from_plain_code() {
    within_blocking(greet_from_plain_code);
}

fn greet_from_plain_code() {
    let server_runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
    let reference = Reference::new();
    let router = Server::builder().add_service(GreeterServiceServer::new(reference.clone()));
    let server = server_runtime.block_on(support::serve(router));

    let mut client = BlockingGreeter::connect(&server.url(false)).expect("connect");
    for name in [random_name("Jack"), random_name("Rose")] {
        assert_eq!(
            client.say_hello(&name).expect("SayHello"),
            reference.greeting(&name),
            "the client must return what the server answered"
        );
    }

    server_runtime
        .block_on(server.stop())
        .expect("a clean stop");
}
