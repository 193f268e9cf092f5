// ANCHOR: head
//! The server: the greeter, the health service and both reflection versions on one
//! port, and a shutdown that tells health watchers first.

use std::future::Future;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::net::TcpListener;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};
use tonic_health::server::HealthReporter;

use crate::{health, reflection};

/// The tutorial's unary greeter: here only so health and reflection have a service to talk about.
#[derive(Debug, Default, Clone, Copy)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}
// ANCHOR_END: head

// ANCHOR: routes
/// The greeter, the health service and both reflection versions, ready to serve.
///
/// The returned [`HealthReporter`] is how the server (or a test) changes what
/// health checkers see; the greeter starts as `SERVING`.
pub async fn routes() -> Result<(HealthReporter, Routes), tonic_reflection::server::Error> {
    let (reporter, health_service) = tonic_health::server::health_reporter();
    health::set_greeter_serving(&reporter, true).await;
    let routes = Routes::new(GreeterServiceServer::new(Greeter))
        .add_service(health_service)
        .add_service(reflection::v1_service()?)
        .add_service(reflection::v1alpha_service()?);
    Ok((reporter, routes))
}
// ANCHOR_END: routes

// ANCHOR: drain
/// Serves `routes` until `shutdown` completes, then drains for at most `grace`.
pub async fn serve(
    listener: TcpListener,
    routes: Routes,
    reporter: HealthReporter,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> Result<(), tonic::transport::Error> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = Server::builder()
        .add_routes(routes)
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(Some(true)),
            async {
                stopped.await.ok();
            },
        );
    tokio::pin!(serving);
    tokio::select! {
        result = &mut serving => return result,
        () = shutdown => {}
    }
    // A draining server tells its watchers first, so balancers stop sending to it.
    health::set_greeter_serving(&reporter, false).await;
    stop.send(()).ok();
    // `Watch` streams never end on their own: bound the drain.
    match tokio::time::timeout(grace, serving).await {
        Ok(result) => result,
        Err(_expired) => Ok(()),
    }
}
// ANCHOR_END: drain
