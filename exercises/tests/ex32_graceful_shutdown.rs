//! Exercise 32: a call in flight when shutdown begins is answered, and `serve`
//! returns only after it; a call that outstays the grace period is given up, and
//! `serve` returns once that period, counted from the shutdown (not from the
//! start), has ended.

use std::sync::Arc;
use std::time::{Duration, Instant};

use grpc_exercises::ex32_graceful_shutdown::serve;
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;
use tonic::transport::{Endpoint, Server};
use tonic::{Request, Response, Status};

/// Says when a call has arrived, then answers only when released.
#[derive(Clone, Default)]
struct Held {
    arrived: Arc<Notify>,
    release: Arc<Notify>,
}

#[tonic::async_trait]
impl GreeterService for Held {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        self.arrived.notify_one();
        self.release.notified().await;
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// A server under `serve(.., grace)` on a [`Held`] greeter, with one call held in
/// its handler.
struct InFlight {
    held: Held,
    stop: oneshot::Sender<()>,
    serving: JoinHandle<Result<(), tonic::transport::Error>>,
    call: JoinHandle<Result<Response<SayHelloResponse>, Status>>,
}

/// Starts the server with `grace` and returns once its call has arrived.
async fn one_call_in_flight(grace: Duration) -> InFlight {
    let held = Held::default();
    let router = Server::builder().add_service(GreeterServiceServer::new(held.clone()));
    let listener = support::listen().await;
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = tokio::spawn(serve(
        router,
        listener,
        async {
            let _ = stopped.await;
        },
        grace,
    ));
    let channel = Endpoint::from_shared(url).expect("a URL").connect().await;
    let mut client = GreeterServiceClient::new(channel.expect("connect"));
    let call = tokio::spawn(async move { client.say_hello(hello("Jack")).await });
    held.arrived.notified().await;
    InFlight {
        held,
        stop,
        serving,
        call,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_in_flight_finishes_before_serve_returns() {
    within(async {
        let grace = Duration::from_secs(60);
        let InFlight {
            held,
            stop,
            mut serving,
            call,
        } = one_call_in_flight(grace).await;

        stop.send(()).expect("the server is listening for shutdown");
        let early = tokio::time::timeout(Duration::from_millis(500), &mut serving).await;
        assert!(
            early.is_err(),
            "serve returned while a call was still being served: the call is cut off"
        );

        held.release.notify_one();
        let reply = call.await.expect("the call task");
        assert_eq!(
            reply
                .expect("the call in flight is answered")
                .into_inner()
                .message,
            "Hello, Jack!"
        );
        let served = tokio::time::timeout(Duration::from_secs(5), serving)
            .await
            .expect("serve returns once the call is done")
            .expect("the server task");
        served.expect("a clean shutdown");
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_outstaying_the_grace_period_is_given_up_when_it_ends() {
    within(async {
        let grace = Duration::from_millis(300);
        let InFlight {
            held: _,
            stop,
            serving,
            call,
        } = one_call_in_flight(grace).await;

        // Never released: the call outlives any grace period.
        let stopping = Instant::now();
        stop.send(()).expect("the server is listening for shutdown");
        let served = tokio::time::timeout(Duration::from_secs(5), serving)
            .await
            .expect("serve still waits for a call that never ends: no grace period")
            .expect("the server task");
        served.expect("giving up after the grace period is a clean return");
        assert!(
            stopping.elapsed() >= grace,
            "serve returned after {:?}, before the grace period of {grace:?}: the call was not given its time",
            stopping.elapsed()
        );
        // tonic runs each connection in a task of its own: the held call stays
        // parked until the test's runtime ends, so nothing waits for it here.
        call.abort();
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grace_period_starts_at_shutdown_not_when_serving_starts() {
    within(async {
        let grace = Duration::from_millis(100);
        let InFlight {
            held: _,
            stop,
            mut serving,
            call,
        } = one_call_in_flight(grace).await;

        // A server is up for far longer than its grace period before it is stopped.
        let unasked = tokio::time::timeout(grace * 5, &mut serving).await;
        assert!(
            unasked.is_err(),
            "serve returned {:?} with no shutdown asked for: is the grace period counted from the start?",
            grace * 5
        );
        let stopping = Instant::now();
        stop.send(()).expect("the server is listening for shutdown");
        let served = tokio::time::timeout(Duration::from_secs(5), serving)
            .await
            .expect("serve still waits for a call that never ends: no grace period")
            .expect("the server task");
        served.expect("giving up after the grace period is a clean return");
        assert!(
            stopping.elapsed() >= grace,
            "serve returned {:?} after shutdown, before the grace period of {grace:?}",
            stopping.elapsed()
        );
        call.abort();
    })
    .await
}
