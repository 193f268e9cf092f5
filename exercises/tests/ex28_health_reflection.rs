//! Exercise 28: over a real socket, health says the greeter is serving,
//! reflection lists it, and it really answers.

use grpc_exercises::ex28_health_reflection::router;
use grpc_exercises::support::reference::random_name;
use grpc_exercises::support::{self, greeter::hello, reflection, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use support::TestServer;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

const GREETER: &str = "tutorial.helloworld.v1.GreeterService";

async fn start() -> TestServer {
    support::serve(router().await.expect("the router builds")).await
}

#[tokio::test]
async fn health_reports_the_greeter_serving() {
    within(async {
        let server = start().await;
        let mut health = HealthClient::new(support::connect(&server).await);
        let request = HealthCheckRequest {
            service: GREETER.into(),
        };
        let reply = health.check(request).await.expect("a health answer");
        assert_eq!(reply.into_inner().status(), ServingStatus::Serving);
    })
    .await
}

#[tokio::test]
async fn reflection_lists_the_greeter() {
    within(async {
        let server = start().await;
        let services = reflection::list_services(support::connect(&server).await).await;
        let services = services.expect("a reflection answer");
        assert!(
            services.iter().any(|s| s == GREETER),
            "listed: {services:?}"
        );
    })
    .await
}

#[tokio::test]
async fn the_greeter_itself_answers() {
    within(async {
        let server = start().await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let name = random_name("Jack");
        let reply = client
            .say_hello(hello(&name))
            .await
            .unwrap_or_else(|status| {
                panic!("health and reflection say the greeter is there; SayHello: {status:?}")
            });
        assert_eq!(reply.into_inner().message, format!("Hello, {name}!"));
    })
    .await
}
