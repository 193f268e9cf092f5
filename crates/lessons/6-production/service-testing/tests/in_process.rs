//! The whole stack, client to handler, in one process: tonic's encoder, HTTP/2,
//! the router, the handler and back, over in-memory pipes instead of a socket.
//! What a direct call cannot see (routing, encoding, deadlines on the wire,
//! layers) is tested here, and no port is ever bound.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use service_testing::Greeter;
use service_testing::in_process::in_process_channel;
use tonic::service::Routes;

#[tokio::test]
async fn a_call_goes_through_the_whole_stack_without_a_port() {
    let channel = in_process_channel(Routes::new(GreeterServiceServer::new(Greeter)))
        .await
        .unwrap();
    let mut client = GreeterServiceClient::new(channel);
    let reply = client
        .say_hello(SayHelloRequest {
            name: "Jack".into(),
        })
        .await
        .unwrap();
    assert_eq!(reply.into_inner().message, "Hello, Jack!");
}

#[tokio::test]
async fn many_calls_share_the_in_process_connection() {
    let channel = in_process_channel(Routes::new(GreeterServiceServer::new(Greeter)))
        .await
        .unwrap();
    let calls = (0..50).map(|i| {
        let mut client = GreeterServiceClient::new(channel.clone());
        async move {
            let request = SayHelloRequest {
                name: format!("caller {i}"),
            };
            client
                .say_hello(request)
                .await
                .map(|r| r.into_inner().message)
        }
    });
    let replies = join_all(calls).await;
    for (i, reply) in replies.into_iter().enumerate() {
        assert_eq!(reply.unwrap(), format!("Hello, caller {i}!"));
    }
}

#[tokio::test]
async fn a_method_the_server_does_not_have_is_unimplemented() {
    // An empty router: the call is routed, and refused, by tonic itself.
    let channel = in_process_channel(Routes::default()).await.unwrap();
    let status = GreeterServiceClient::new(channel)
        .say_hello(SayHelloRequest {
            name: "Jack".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::Unimplemented);
}

/// Runs the calls concurrently, each in a task, and collects their outputs in order.
async fn join_all<F>(calls: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let tasks: Vec<_> = calls.into_iter().map(tokio::spawn).collect();
    let mut outputs = Vec::with_capacity(tasks.len());
    for task in tasks {
        outputs.push(task.await.expect("the call's task"));
    }
    outputs
}
