//! Exercise 3: plain, synchronous code gets its greeting over a real socket.

use grpc_exercises::ex03_blocking_client::BlockingGreeter;
use grpc_exercises::support::{self, greeter::Hello, within_blocking};
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
    let router = Server::builder().add_service(GreeterServiceServer::new(Hello));
    let server = server_runtime.block_on(support::serve(router));

    let mut client = BlockingGreeter::connect(&server.url(false)).expect("connect");
    assert_eq!(client.say_hello("Jack").expect("SayHello"), "Hello, Jack!");
    assert_eq!(
        client.say_hello("Rose").expect("a second call"),
        "Hello, Rose!"
    );

    server_runtime
        .block_on(server.stop())
        .expect("a clean stop");
}
