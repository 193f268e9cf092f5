//! Deadlines and cancels over a real socket: the client sees the right status, and
//! the server's counters prove it stopped working.

use std::time::Duration;

use deadlines::{
    ServerFlags, first_then_cancel, serve_with, stream_with_deadline, unary, unary_with_deadline,
};
use lesson_kit::{Console, InFlight, RunningServer};
use tonic::Code;
use tonic::transport::Channel;

/// Generous bound for "the server noticed": a broken server hangs here and fails.
const NOTICE: Duration = Duration::from_secs(5);

fn flags(work: u64, every: u64, messages: usize) -> ServerFlags {
    ServerFlags {
        work: Duration::from_millis(work).into(),
        every: Duration::from_millis(every).into(),
        messages,
    }
}

async fn start(flags: ServerFlags) -> (RunningServer, Channel, InFlight, Console) {
    let calls = InFlight::new();
    let console = Console::capture();
    let running = RunningServer::start({
        let (calls, console) = (calls.clone(), console.clone());
        move |listener, shutdown| serve_with(listener, flags, console, shutdown, calls)
    })
    .await
    .unwrap();
    let channel = Channel::from_shared(running.url(false))
        .unwrap()
        .connect()
        .await
        .unwrap();
    (running, channel, calls, console)
}

async fn wait(calls: &InFlight, condition: impl Fn(&InFlight) -> bool) {
    tokio::time::timeout(NOTICE, calls.wait_for(condition))
        .await
        .expect("the server noticed in time");
}

#[tokio::test]
async fn a_passed_deadline_is_deadline_exceeded_and_the_server_stops_working() {
    let (running, channel, calls, console) = start(flags(60_000, 10, 1)).await;
    let status = unary_with_deadline(channel.clone(), "Jack", Duration::from_millis(50))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    wait(&calls, |c| c.abandoned() == 1).await;
    assert_eq!((calls.completed(), calls.current()), (0, 0));
    assert_eq!(
        console.lines(),
        ["server: stopped working for Jack (call dropped)"]
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn tonic_itself_reports_the_expiry_as_cancelled() {
    // Pins the tonic 0.14 behaviour the lesson explains (and `spec_status` renames).
    let (running, channel, calls, _) = start(flags(60_000, 10, 1)).await;
    let status = unary(channel, "Jack", Some(Duration::from_millis(20)))
        .await
        .unwrap_err();
    assert_eq!(
        (status.code(), status.message()),
        (Code::Cancelled, "Timeout expired")
    );
    wait(&calls, |c| c.abandoned() == 1).await;
    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_deadline_longer_than_the_work_lets_the_call_complete() {
    let (running, channel, calls, _) = start(flags(10, 10, 1)).await;
    let message = unary_with_deadline(channel, "Jack", Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(message, "Hello, Jack!");
    assert_eq!((calls.completed(), calls.abandoned()), (1, 0));
    running.stop().await.unwrap();
}

#[tokio::test]
async fn cancelling_after_the_call_began_stops_the_server_work() {
    let (running, channel, calls, _) = start(flags(60_000, 10, 1)).await;
    let call = tokio::spawn(async move { unary(channel, "Jack", None).await });
    wait(&calls, |c| c.current() == 1).await; // the server is working on it
    call.abort(); // the client drops the call: HTTP/2 RST_STREAM
    wait(&calls, |c| c.abandoned() == 1).await;
    assert_eq!(calls.completed(), 0);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn cancelling_a_stream_after_its_first_message_stops_the_producer() {
    // 1000 greetings, 5ms apart: only a cancel ends it within NOTICE.
    let (running, channel, calls, _) = start(flags(10, 5, 1000)).await;
    let first = first_then_cancel(channel, "Jack").await.unwrap();
    assert_eq!(first, "Hello number 0, Jack!");
    wait(&calls, |c| c.abandoned() == 1).await;
    assert_eq!((calls.completed(), calls.current()), (0, 0));
    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_stream_under_a_deadline_ends_with_deadline_exceeded() {
    let (running, channel, calls, _) = start(flags(10, 20, 1000)).await;
    let console = Console::capture();
    let status = stream_with_deadline(channel, "Jack", Duration::from_millis(100), &console)
        .await
        .expect("a final status");
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    let lines = console.lines();
    assert!(lines.len() >= 2 && lines.len() < 100, "{lines:?}");
    assert_eq!(lines[0], "Greeter client received: Hello number 0, Jack!");
    wait(&calls, |c| c.abandoned() == 1).await;
    running.stop().await.unwrap();
}

#[tokio::test]
async fn an_uninterrupted_stream_completes() {
    let (running, channel, calls, _) = start(flags(10, 1, 3)).await;
    let console = Console::capture();
    let status = stream_with_deadline(channel, "Jack", Duration::from_secs(30), &console).await;
    assert!(status.is_none(), "{status:?}");
    assert_eq!(console.lines().len(), 3);
    wait(&calls, |c| c.completed() == 1).await;
    running.stop().await.unwrap();
}

/// Answers with the `grpc-timeout` header exactly as it arrived on the server.
struct EchoTimeout;

#[tonic::async_trait]
impl helloworld_proto::v1::greeter_service_server::GreeterService for EchoTimeout {
    async fn say_hello(
        &self,
        request: tonic::Request<helloworld_proto::v1::SayHelloRequest>,
    ) -> Result<tonic::Response<helloworld_proto::v1::SayHelloResponse>, tonic::Status> {
        let header = request.metadata().get("grpc-timeout");
        let message = header.map_or("(none)".into(), |v| v.to_str().unwrap().to_owned());
        Ok(tonic::Response::new(
            helloworld_proto::v1::SayHelloResponse { message },
        ))
    }
}

#[tokio::test]
async fn a_50ms_deadline_travels_as_50000000n_as_the_page_says() {
    use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
    let running = RunningServer::start(|listener, shutdown| async move {
        tonic::transport::Server::builder()
            .add_service(GreeterServiceServer::new(EchoTimeout))
            .serve_with_incoming_shutdown(lesson_kit::server::incoming(listener), shutdown.wait())
            .await?;
        Ok(())
    })
    .await
    .unwrap();
    let channel = Channel::from_shared(running.url(false))
        .unwrap()
        .connect()
        .await
        .unwrap();
    // tonic picks the finest unit whose amount fits in 8 digits: nanoseconds here.
    let seen = unary(channel.clone(), "Jack", Some(Duration::from_millis(50)))
        .await
        .unwrap();
    assert_eq!(seen, "50000000n");
    assert_eq!(unary(channel, "Jack", None).await.unwrap(), "(none)");
    // The page states the value the server just saw.
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../docs/src/beyond/deadlines.md"
    ))
    .unwrap();
    assert!(
        page.contains(&format!("(`50ms` is sent as `{seen}`")),
        "docs/src/beyond/deadlines.md must show the header value {seen}"
    );
    running.stop().await.unwrap();
}
