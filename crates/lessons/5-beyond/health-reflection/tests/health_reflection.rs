//! Health and reflection over a real socket, with the generated clients.

use std::time::Duration;

use health_reflection::{HealthReflection, health, reflection};
use lesson_kit::{Console, Lesson, RunningServer};
use tonic::Code;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;

/// Serves `routes` alone (no lesson flags) and connects to it.
async fn start_routes(routes: tonic::service::Routes) -> (RunningServer, Channel) {
    let running = RunningServer::start(|listener, shutdown| async move {
        tonic::transport::Server::builder()
            .add_routes(routes)
            .serve_with_incoming_shutdown(lesson_kit::server::incoming(listener), shutdown.wait())
            .await?;
        Ok(())
    })
    .await
    .unwrap();
    let channel = connect(&running).await;
    (running, channel)
}

async fn connect(running: &RunningServer) -> Channel {
    Channel::from_shared(running.url(false))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

async fn start(flags: health_reflection::ServerFlags) -> (RunningServer, Channel) {
    let running = RunningServer::start(|listener, shutdown| {
        HealthReflection::serve(listener, flags, Console::capture(), shutdown)
    })
    .await
    .unwrap();
    let channel = connect(&running).await;
    (running, channel)
}

/// A raw `Watch` stream on the greeter's health, to read status changes one by one.
async fn open_watch(channel: Channel) -> tonic::Streaming<tonic_health::pb::HealthCheckResponse> {
    let request = tonic_health::pb::HealthCheckRequest {
        service: health::GREETER.to_owned(),
    };
    tonic_health::pb::health_client::HealthClient::new(channel)
        .watch(request)
        .await
        .unwrap()
        .into_inner()
}

fn plain() -> health_reflection::ServerFlags {
    health_reflection::ServerFlags {
        not_serving: false,
        toggle_every: None,
        grace: Duration::from_secs(2).into(),
    }
}

#[tokio::test]
async fn reflection_lists_exactly_the_served_services_in_both_versions() {
    let (running, channel) = start(plain()).await;
    let expected = [
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
        "tutorial.helloworld.v1.GreeterService",
    ];
    assert_eq!(
        reflection::list_services(channel.clone()).await.unwrap(),
        expected
    );

    // The v1alpha protocol, as older grpcurl speaks it.
    use tonic_reflection::pb::v1alpha::ServerReflectionRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse;
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = ServerReflectionClient::new(channel.clone())
        .server_reflection_info(tokio_stream::once(request))
        .await
        .unwrap()
        .into_inner();
    let Some(MessageResponse::ListServicesResponse(list)) =
        stream.message().await.unwrap().unwrap().message_response
    else {
        panic!("v1alpha list answer")
    };
    let mut names: Vec<_> = list.service.into_iter().map(|s| s.name).collect();
    names.sort();
    assert_eq!(names, expected);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn reflection_describes_a_symbol_and_reports_unknown_ones() {
    let (running, channel) = start(plain()).await;
    let files = reflection::file_containing_symbol(channel.clone(), health::GREETER)
        .await
        .unwrap();
    let file = files
        .iter()
        .find(|f| f.name() == "tutorial/helloworld/v1/helloworld.proto")
        .expect("the v1 file");
    assert_eq!(file.service[0].name(), "GreeterService");
    assert_eq!(file.service[0].method[0].name(), "SayHello");
    let message = reflection::file_containing_symbol(channel, "no.such.Symbol")
        .await
        .unwrap_err()
        .to_string();
    assert!(message.contains("not found"), "{message}"); // a NOT_FOUND status
    running.stop().await.unwrap();
}

#[tokio::test]
async fn health_check_follows_the_reporter_and_watch_sees_every_change() {
    let (reporter, routes) = health_reflection::routes().await.unwrap();
    let (running, channel) = start_routes(routes).await;
    assert_eq!(
        health::check(channel.clone(), health::GREETER)
            .await
            .unwrap(),
        ServingStatus::Serving
    );
    let unknown = health::check(channel.clone(), "no.Such").await.unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);

    let console = Console::capture();
    let watcher = {
        let (channel, console) = (channel.clone(), console.clone());
        tokio::spawn(async move {
            health::watch(channel, health::GREETER, 2, |status| {
                console.line(status.as_str_name());
            })
            .await
        })
    };
    // Change only once the watcher has seen the first status (it prints a line).
    tokio::time::timeout(Duration::from_secs(5), async {
        while console.lines().is_empty() {
            tokio::task::yield_now().await;
        }
    })
    .await
    .unwrap();
    health::set_greeter_serving(&reporter, false).await;
    assert_eq!(
        health::check(channel.clone(), health::GREETER)
            .await
            .unwrap(),
        ServingStatus::NotServing
    );
    // `Watch` reports the latest status, so wait until it has reported this one.
    tokio::time::timeout(Duration::from_secs(5), async {
        while console.lines().len() < 2 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .unwrap();
    health::set_greeter_serving(&reporter, true).await;
    let seen = tokio::time::timeout(Duration::from_secs(5), watcher)
        .await
        .expect("watch saw both changes")
        .unwrap()
        .unwrap();
    assert_eq!(
        seen,
        [
            ServingStatus::Serving,
            ServingStatus::NotServing,
            ServingStatus::Serving
        ]
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn the_not_serving_flag_and_the_toggle_are_visible_to_clients() {
    let (running, channel) = start(health_reflection::ServerFlags {
        not_serving: true,
        toggle_every: None,
        grace: Duration::from_secs(2).into(),
    })
    .await;
    assert_eq!(
        health::check(channel, health::GREETER).await.unwrap(),
        ServingStatus::NotServing
    );
    running.stop().await.unwrap();

    let (running, channel) = start(health_reflection::ServerFlags {
        not_serving: false,
        toggle_every: Some(Duration::from_millis(20).into()),
        grace: Duration::from_secs(2).into(),
    })
    .await;
    // The toggle flips the status; a watcher sees it go NOT_SERVING and back.
    let mut stream = open_watch(channel).await;
    let mut seen = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), async {
        while !matches!(
            seen.as_slice(),
            [.., ServingStatus::NotServing, ServingStatus::Serving]
        ) {
            seen.push(stream.message().await.unwrap().unwrap().status());
        }
    })
    .await
    .expect("the toggle changes the status both ways");
    drop(stream); // an open `Watch` would hold graceful shutdown for the whole grace
    running.stop().await.unwrap();
}

#[tokio::test]
async fn the_demo_client_prints_services_file_and_health() {
    let (running, _) = start(plain()).await;
    let console = Console::capture();
    HealthReflection::client(
        running.url(false),
        health_reflection::ClientFlags { watch: 0 },
        console.clone(),
    )
    .await
    .unwrap();
    let lines = console.lines();
    assert!(
        lines.contains(&"  tutorial.helloworld.v1.GreeterService".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"health of tutorial.helloworld.v1.GreeterService: SERVING".to_owned()),
        "{lines:?}"
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn shutdown_reports_not_serving_and_an_open_watch_cannot_hold_the_server() {
    let (running, channel) = start(health_reflection::ServerFlags {
        not_serving: false,
        toggle_every: None,
        grace: Duration::from_millis(200).into(),
    })
    .await;
    let mut stream = open_watch(channel).await;
    assert_eq!(
        stream.message().await.unwrap().unwrap().status(),
        ServingStatus::Serving
    );
    // The watch stays open: without the grace period, stop() would wait forever.
    tokio::time::timeout(Duration::from_secs(10), running.stop())
        .await
        .expect("the grace period ends the shutdown")
        .unwrap();
    // The watcher was told before the server went away. (The abandoned connection
    // task lives on until the runtime ends, as it would at the end of `main`.)
    let told = tokio::time::timeout(Duration::from_secs(5), stream.message())
        .await
        .expect("the drain status was pushed")
        .unwrap()
        .unwrap();
    assert_eq!(told.status(), ServingStatus::NotServing);
}

#[tokio::test]
async fn the_client_falls_back_to_v1alpha_like_grpcurl() {
    // A server with only the older reflection version, as grpcio-reflection serves.
    let routes = tonic::service::Routes::new(reflection::v1alpha_service().unwrap());
    let (running, channel) = start_routes(routes).await;
    let services = reflection::list_services(channel.clone()).await.unwrap();
    assert!(
        services.contains(&"tutorial.helloworld.v1.GreeterService".to_owned()),
        "{services:?}"
    );
    let files =
        reflection::file_containing_symbol(channel, "tutorial.helloworld.v1.GreeterService")
            .await
            .unwrap();
    assert_eq!(files[0].package(), "tutorial.helloworld.v1");
    running.stop().await.unwrap();
}
