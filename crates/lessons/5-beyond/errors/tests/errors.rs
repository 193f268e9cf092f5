//! Every code and the rich details, as a client sees them over a real socket.

use errors::{Errors, call_closed_port, call_unserved_method, codes, say_hello, validation};
use lesson_kit::{Console, Lesson, RunningServer};
use tonic::Code;
use tonic::transport::Channel;
use tonic_types::StatusExt;

async fn start() -> (RunningServer, Channel) {
    let running = RunningServer::start(|listener, shutdown| {
        Errors::serve(
            listener,
            lesson_kit::cli::NoFlags {},
            Console::capture(),
            shutdown,
        )
    })
    .await
    .unwrap();
    let channel = Channel::from_shared(running.url(false))
        .unwrap()
        .connect()
        .await
        .unwrap();
    (running, channel)
}

#[tokio::test]
async fn every_code_reaches_the_client_with_its_message_and_the_server_keeps_serving() {
    let (running, channel) = start().await;
    for (name, code, message) in codes::CODES {
        let status = say_hello(channel.clone(), name).await.unwrap_err();
        assert_eq!((status.code(), status.message()), (code, message), "{name}");
    }
    assert_eq!(say_hello(channel, "Jack").await.unwrap(), "Hello, Jack!");
    running.stop().await.unwrap();
}

#[tokio::test]
async fn validation_failures_decode_into_bad_request_and_error_info() {
    let (running, channel) = start().await;
    let too_long = "ü".repeat(validation::MAX_NAME_CHARS + 1);
    for (name, reason) in [("", "NAME_EMPTY"), (too_long.as_str(), "NAME_TOO_LONG")] {
        let status = say_hello(channel.clone(), name).await.unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument);
        let details = status.get_error_details();
        let violation = &details.bad_request().expect("BadRequest").field_violations[0];
        assert_eq!(violation.field, "name");
        let info = details.error_info().expect("ErrorInfo");
        assert_eq!(
            (info.reason.as_str(), info.domain.as_str()),
            (reason, validation::DOMAIN)
        );
        assert_eq!(info.metadata["maxChars"], "64");
    }
    running.stop().await.unwrap();
}

#[tokio::test]
async fn the_library_says_unimplemented_and_unavailable() {
    let (running, channel) = start().await;
    assert_eq!(
        call_unserved_method(channel).await.unwrap_err().code(),
        Code::Unimplemented
    );
    assert_eq!(
        call_closed_port().await.unwrap_err().code(),
        Code::Unavailable
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn the_client_prints_code_and_message_and_details() {
    let (running, _) = start().await;
    let console = Console::capture();
    Errors::client(
        running.url(false),
        lesson_kit::cli::NoFlags {},
        console.clone(),
    )
    .await
    .unwrap();
    let lines = console.lines();
    for expected in [
        "           \"not-found\" -> NOT_FOUND: no greeting for this name exists",
        "                    \"\" -> INVALID_ARGUMENT: the request has invalid fields",
        "  BadRequest: field `name` must not be empty",
        "  ErrorInfo: reason NAME_TOO_LONG in tutorial.helloworld.v1 [(\"gotChars\", \"65\"), (\"maxChars\", \"64\")]",
        "           (v2 method) -> UNIMPLEMENTED: ",
        "         (closed port) -> UNAVAILABLE: ",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(expected)),
            "{expected:?} in {lines:#?}"
        );
    }
    running.stop().await.unwrap();
}
