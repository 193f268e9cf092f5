//! `--addr` mode: against a server that implements only some of the contracts
//! and none of the test-service behaviours, the suite runs what it can and
//! skips the rest with a reason, instead of failing.

use helloworld_proto::v1;
use lesson_kit::RunningServer;
use reliability::cases::{Need, all, run};
use reliability::{Outcome, Target};
use tonic::{Request, Response, Status};

/// A plain unary greeter, like the tutorial's first lesson.
struct PlainGreeter;

#[tonic::async_trait]
impl v1::greeter_service_server::GreeterService for PlainGreeter {
    async fn say_hello(
        &self,
        request: Request<v1::SayHelloRequest>,
    ) -> Result<Response<v1::SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(v1::SayHelloResponse { message }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unary_only_server_runs_what_it_can_and_skips_the_rest() {
    let server = RunningServer::start(|listener, shutdown| async move {
        tonic::transport::Server::builder()
            .add_service(v1::greeter_service_server::GreeterServiceServer::new(
                PlainGreeter,
            ))
            .serve_with_incoming_shutdown(lesson_kit::server::incoming(listener), shutdown.wait())
            .await?;
        Ok(())
    })
    .await
    .unwrap();
    let target = Target::connect(&server.url(false), None).await.unwrap();
    assert_eq!(
        (
            target.contracts().v1,
            target.contracts().v2,
            target.contracts().v3
        ),
        (true, false, false)
    );

    let mut passed = Vec::new();
    for case in all() {
        let outcome = run(&case, &target).await;
        let runnable = case.needs.iter().all(|need| *need == Need::V1);
        match outcome {
            Outcome::Passed(_) => {
                assert!(runnable, "{} should have been skipped", case.name);
                passed.push(case.name);
            }
            Outcome::Skipped(reason) => assert!(!runnable, "{} skipped: {reason}", case.name),
            Outcome::Failed(why) => panic!("{} failed against a plain server: {why}", case.name),
        }
    }
    // The reliability page names these 12 for a unary lesson server.
    assert_eq!(
        passed,
        [
            "empty_unary",
            "unimplemented_method",
            "unimplemented_service",
            "oversized_request",
            "garbage_instead_of_preface",
            "garbage_frames",
            "wrong_content_type",
            "truncated_grpc_frame",
            "malformed_protobuf",
            "huge_length_prefix",
            "rpc_soak",
            "channel_soak",
        ]
    );
    drop(target);
    server.stop().await.unwrap();
}
