//! Exercise 31: the server PINGs an idle peer every interval; a peer that never
//! acknowledges one is disconnected; a real client, idle for several intervals,
//! is still served; a client notices a server that vanished mid-call; and the
//! server drops (and counts) the call of a client that vanished, while a call
//! that answers is not counted.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use grpc_exercises::ex31_keepalive::{
    CallLog, KEEPALIVE_INTERVAL, KEEPALIVE_TIMEOUT, SlowGreeter, endpoint, server_builder,
};
use grpc_exercises::support::proxy::Blackhole;
use grpc_exercises::support::raw_h2::{ACK, PING, RawH2, SETTINGS};
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Endpoint;

async fn start() -> support::TestServer {
    support::serve(server_builder().add_service(GreeterServiceServer::new(Hello))).await
}

/// A peer that answers everything, and counts the server's PINGs.
#[tokio::test]
async fn the_server_pings_an_idle_peer() {
    within(async {
        let server = start().await;
        let mut peer = RawH2::connect(server.addr()).await.expect("connect");
        let limit = KEEPALIVE_INTERVAL * 10;
        let start = Instant::now();
        let pinged = tokio::time::timeout(limit, async {
            let mut pings = 0;
            while pings < 3 {
                let frame = peer
                    .read()
                    .await
                    .expect("read")
                    .expect("the server hung up");
                match (frame.kind, frame.flags & ACK) {
                    (PING, 0) => {
                        pings += 1;
                        peer.send(PING, ACK, 0, &frame.payload).await.expect("ack");
                    }
                    (SETTINGS, 0) => peer.ack_settings().await.expect("ack"),
                    _ => {}
                }
            }
        })
        .await;
        assert!(
            pinged.is_ok(),
            "no 3 PINGs from the server within {limit:?} of silence: it does not ping"
        );
        let elapsed = start.elapsed();
        assert!(
            elapsed >= KEEPALIVE_INTERVAL * 2,
            "3 PINGs in {elapsed:?}: the server pings more often than every {KEEPALIVE_INTERVAL:?}"
        );
    })
    .await
}

/// The client preface and an empty SETTINGS frame, then silence: it reads, but
/// never acknowledges anything.
#[tokio::test]
async fn a_silent_peer_is_disconnected() {
    within(async {
        let server = start().await;
        let mut peer = RawH2::connect(server.addr()).await.expect("connect");
        let limit = (KEEPALIVE_INTERVAL + KEEPALIVE_TIMEOUT) * 5;
        let closed = tokio::time::timeout(limit, async {
            // Read (and ignore) SETTINGS, PINGs, GOAWAY, until the server hangs up.
            while peer.read().await.is_ok_and(|frame| frame.is_some()) {}
        })
        .await;
        let pinged = peer
            .seen
            .iter()
            .any(|f| f.kind == PING && f.flags & ACK == 0);
        assert!(
            closed.is_ok() && pinged,
            "a peer that acknowledged no PING was still connected after {limit:?}, or was \
             dropped without being pinged first (PING seen: {pinged}): the server must ping, \
             then give up"
        );
    })
    .await
}

#[tokio::test]
async fn an_idle_client_that_answers_pings_stays_connected() {
    within(async {
        let server = start().await;
        let channel = endpoint(&server.url(false))
            .connect()
            .await
            .expect("connect");
        let mut client = GreeterServiceClient::new(channel);
        client.say_hello(hello("Jack")).await.expect("a first call");
        // The idle spell under test, several keepalive rounds long.
        tokio::time::sleep((KEEPALIVE_INTERVAL + KEEPALIVE_TIMEOUT) * 3).await;
        let reply = client.say_hello(hello("Jack")).await;
        assert!(reply.is_ok(), "after an idle spell: {reply:?}");
    })
    .await
}

/// The server vanishes behind a proxy that swallows everything and closes
/// nothing: only the client's own PINGs can tell it the call will never end.
#[tokio::test]
async fn a_client_notices_a_server_that_vanished() {
    within(async {
        let server = start().await;
        let proxy = Blackhole::start(server.addr()).await;
        let channel = endpoint(&format!("http://{}", proxy.addr()))
            .connect()
            .await
            .expect("connect");
        let mut client = GreeterServiceClient::new(channel);
        client.say_hello(hello("Jack")).await.expect("a first call");

        proxy.cut();
        let limit = (KEEPALIVE_INTERVAL + KEEPALIVE_TIMEOUT) * 5;
        let call = tokio::time::timeout(limit, client.say_hello(hello("Rose"))).await;
        let outcome = call.unwrap_or_else(|_| {
            panic!(
                "a call to a vanished server was still waiting after {limit:?}: \
                 the client does not ping, or does not give up"
            )
        });
        assert!(
            outcome.is_err(),
            "answered through a cut cable: {outcome:?}"
        );
    })
    .await
}

async fn start_slow(work: Duration) -> (support::TestServer, Arc<CallLog>) {
    let log = Arc::new(CallLog::default());
    let greeter = SlowGreeter {
        work,
        log: log.clone(),
    };
    let server = support::serve(server_builder().add_service(GreeterServiceServer::new(greeter)));
    (server.await, log)
}

/// The client vanishes behind a proxy that swallows everything; the client has
/// no keepalive of its own, so only the server's PINGs can end the call.
#[tokio::test]
async fn the_server_drops_and_counts_the_call_of_a_client_that_vanished() {
    within(async {
        let (server, log) = start_slow(Duration::from_secs(60)).await;
        let proxy = Blackhole::start(server.addr()).await;
        let channel = Endpoint::from_shared(format!("http://{}", proxy.addr()))
            .expect("a URL")
            .connect()
            .await
            .expect("connect");
        let mut client = GreeterServiceClient::new(channel);
        let call = tokio::spawn(async move { client.say_hello(hello("Jack")).await });
        log.started.notified().await;
        assert_eq!(
            log.abandoned.load(Ordering::SeqCst),
            0,
            "a call still working is counted as abandoned"
        );

        proxy.cut();
        let limit = (KEEPALIVE_INTERVAL + KEEPALIVE_TIMEOUT) * 5;
        let dropped = tokio::time::timeout(limit, log.dropped.notified()).await;
        assert!(
            dropped.is_ok(),
            "{limit:?} after its client vanished, no call was counted abandoned: the server \
             does not give up on a silent peer, or the handler does not notice being dropped"
        );
        assert_eq!(log.abandoned.load(Ordering::SeqCst), 1);
        call.abort();
    })
    .await
}

#[tokio::test]
async fn an_answered_call_is_not_counted_as_abandoned() {
    within(async {
        let (server, log) = start_slow(Duration::from_millis(1)).await;
        let channel = endpoint(&server.url(false))
            .connect()
            .await
            .expect("connect");
        let mut client = GreeterServiceClient::new(channel);
        let reply = client.say_hello(hello("Jack")).await.expect("an answer");
        assert_eq!(reply.into_inner().message, "Hello, Jack!");
        assert_eq!(
            log.abandoned.load(Ordering::SeqCst),
            0,
            "a call that answered is counted as abandoned"
        );
    })
    .await
}
