//! The bridges over real sockets: iterators in, iterators out, nothing lost, and
//! a vanished client never keeps a worker busy.

use std::time::{Duration, Instant};

use helloworld_proto::{v2, v3};
use lesson_kit::{RunningServer, server};
use sync_kit::{BlockingChannel, ResponseStream, WorkerPool, run_blocking};
use tonic::transport::{Endpoint, Server};
use tonic::{Request, Response, Status, Streaming};

/// Echoes every name back, one reply per request (bidi).
struct Echo(WorkerPool);

#[tonic::async_trait]
impl v3::greeter_service_server::GreeterService for Echo {
    type SayHelloStream = ResponseStream<v3::SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<Streaming<v3::SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let replies = self
            .0
            .bidi(request.into_inner(), |requests| {
                requests.map(|r| v3::SayHelloResponse { message: r.name })
            })
            .await?;
        Ok(Response::new(replies))
    }
}

/// Greets forever (server streaming), so only the client can end the call.
struct Endless(WorkerPool);

#[tonic::async_trait]
impl v2::greeter_service_server::GreeterService for Endless {
    type SayHelloStream = ResponseStream<v2::SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<v2::SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let name = request.into_inner().name;
        let replies = self
            .0
            .server_stream(move || {
                (0..).map(move |i| v2::SayHelloResponse {
                    message: format!("{i} {name}"),
                })
            })
            .await?;
        Ok(Response::new(replies))
    }
}

async fn start(pool: &WorkerPool) -> RunningServer {
    let pool = pool.clone();
    RunningServer::start(move |listener, shutdown| async move {
        Server::builder()
            .add_service(v3::greeter_service_server::GreeterServiceServer::new(Echo(
                pool.clone(),
            )))
            .add_service(v2::greeter_service_server::GreeterServiceServer::new(
                Endless(pool),
            ))
            .serve_with_incoming_shutdown(server::incoming(listener), shutdown.wait())
            .await?;
        Ok(())
    })
    .await
    .expect("server starts")
}

fn connect(url: String) -> anyhow::Result<BlockingChannel> {
    BlockingChannel::connect(Endpoint::from_shared(url)?)
}

/// `i` padded to 300 characters: h2 (0.4.16+) closes connections that pile up
/// many unread DATA frames under 256 bytes, a limit these tests are not about.
fn padded(i: u32) -> String {
    format!("{i:>300}")
}

/// Polls `done` until it holds, failing after a deadline (the gauge has no waker).
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bidi_delivers_every_message_in_order() {
    let pool = WorkerPool::new(2);
    let server = start(&pool).await;
    let url = server.url(false);
    let echoed = run_blocking(move || {
        let channel = connect(url)?;
        let mut stub = v3::greeter_service_client::GreeterServiceClient::new(channel.channel());
        let names = (0..200).map(|i| v3::SayHelloRequest { name: padded(i) });
        let replies = channel.bidi(names, |stream| stub.say_hello(stream))?;
        replies
            .map(|r| r.map(|r| r.message))
            .collect::<Result<Vec<_>, _>>()
            .map_err(anyhow::Error::from)
    })
    .await
    .expect("the call succeeds");
    let expected: Vec<String> = (0..200).map(padded).collect();
    assert_eq!(echoed, expected);
    eventually("the worker is free", || pool.busy() == 0).await;
    assert_eq!(pool.finished(), 1);
    server.stop().await.expect("graceful stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_vanishes_mid_stream_frees_its_worker() {
    let pool = WorkerPool::new(2);
    let server = start(&pool).await;
    let url = server.url(false);
    run_blocking(move || {
        let channel = connect(url)?;
        // Bidi with endless requests: read three replies, then drop everything.
        let mut stub = v3::greeter_service_client::GreeterServiceClient::new(channel.channel());
        let names = (0..).map(|i| v3::SayHelloRequest { name: padded(i) });
        let replies = channel.bidi(names, |stream| stub.say_hello(stream))?;
        assert_eq!(replies.take(3).count(), 3);
        // Server streaming that never ends: read two, then drop.
        let mut stub = v2::greeter_service_client::GreeterServiceClient::new(channel.channel());
        let greetings = channel.server_stream(stub.say_hello(v2::SayHelloRequest {
            name: "Jack".into(),
        }))?;
        let first = greetings
            .take(2)
            .map(|r| r.map(|r| r.message))
            .collect::<Result<Vec<_>, _>>()?;
        assert_eq!(first, ["0 Jack", "1 Jack"]);
        anyhow::Ok(())
    })
    .await
    .expect("the client runs");
    eventually("both workers are free", || pool.busy() == 0).await;
    assert_eq!((pool.peak_busy() >= 1, pool.finished()), (true, 2));
    server.stop().await.expect("graceful stop");
}

/// What a broken client sends: field 1 as a number, where `SayHelloRequest` has a string.
#[derive(Clone, PartialEq, prost::Message)]
struct NotARequest {
    #[prost(uint64, tag = "1")]
    name: u64,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_does_not_decode_ends_the_call_with_its_status() {
    let pool = WorkerPool::new(2);
    let server = start(&pool).await;
    let channel = Endpoint::from_shared(server.url(false))
        .expect("url")
        .connect()
        .await
        .expect("connects");
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.expect("ready");
    let path =
        http::uri::PathAndQuery::from_static("/tutorial.helloworld.v3.GreeterService/SayHello");
    let codec = tonic_prost::ProstCodec::<NotARequest, v3::SayHelloResponse>::default();
    let bad = tokio_stream::iter([NotARequest { name: 7 }]);
    let outcome = match grpc.streaming(Request::new(bad), path, codec).await {
        Ok(response) => response.into_inner().message().await.map(|_| ()),
        Err(status) => Err(status),
    };
    let status = outcome.expect_err("the call fails");
    assert_eq!(status.code(), tonic::Code::Internal, "{status:?}");
    assert!(status.message().contains("decode"), "{status:?}");
    eventually("the worker is free", || pool.busy() == 0).await;
    server.stop().await.expect("graceful stop");
}
