//! Beyond the tutorial: health checking and server reflection.
//!
//! Two small services a production gRPC server carries next to its own:
//!
//! - [`health`]: the standard `grpc.health.v1.Health` service. Load balancers,
//!   Kubernetes probes and proxies ask it "is `tutorial.helloworld.v1.GreeterService`
//!   able to serve?" and get `SERVING` or `NOT_SERVING`, by a single `Check` or by a
//!   `Watch` stream that pushes every change. The server flips the status through a
//!   `HealthReporter` handle (say, `NOT_SERVING` while draining or while a database is down).
//! - [`reflection`]: `grpc.reflection.v1` (and the older `v1alpha`, which some
//!   `grpcurl` versions still ask for) serve the compiled schema, so tools can list
//!   and call our services without the `.proto` files.
//!
//! The lesson's client uses both from Rust: it lists the services through
//! reflection, fetches a file descriptor by symbol, then checks (and optionally
//! watches) the greeter's health.

pub mod health;
pub mod reflection;

use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use lesson_kit::shutdown::with_grace;
use lesson_kit::{Console, Lesson, ShutdownSignal, server};
use tonic::service::Routes;
use tonic::transport::{Channel, Server};
use tonic::{Request, Response, Status};
use tonic_health::server::HealthReporter;

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

// ANCHOR: routes
/// The greeter, the health service and both reflection versions, ready to serve.
///
/// The returned [`HealthReporter`] is how the server (or a test) changes what
/// health checkers see; the greeter starts as `SERVING`.
pub async fn routes() -> anyhow::Result<(HealthReporter, Routes)> {
    let (reporter, health_service) = tonic_health::server::health_reporter();
    health::set_greeter_serving(&reporter, true).await;
    let routes = Routes::new(GreeterServiceServer::new(Greeter))
        .add_service(health_service)
        .add_service(reflection::v1_service()?)
        .add_service(reflection::v1alpha_service()?);
    Ok((reporter, routes))
}
// ANCHOR_END: routes

/// The health and reflection lesson; see the crate docs.
#[derive(Debug)]
pub struct HealthReflection;

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Start with the greeter reported as NOT_SERVING.
    #[arg(long)]
    pub not_serving: bool,
    /// Flip the greeter between SERVING and NOT_SERVING this often (e.g. `2s`), to watch it change.
    #[arg(long)]
    pub toggle_every: Option<humantime::Duration>,
    /// After Ctrl-C, how long open calls (an endless health `Watch`) may keep the server up.
    #[arg(long, default_value = "2s")]
    pub grace: humantime::Duration,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// After the first check, wait for this many health changes through `Watch`.
    #[arg(long, default_value_t = 0)]
    pub watch: usize,
}

impl Lesson for HealthReflection {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let (reporter, routes) = routes().await?;
        if flags.not_serving {
            health::set_greeter_serving(&reporter, false).await;
        }
        if let Some(every) = flags.toggle_every {
            let every: Duration = every.into();
            tokio::spawn(health::toggle(
                reporter.clone(),
                every,
                console,
                shutdown.clone(),
            ));
        }
        // ANCHOR: drain
        // A draining server tells its watchers first, so balancers stop sending to it.
        tokio::spawn({
            let (reporter, shutdown) = (reporter.clone(), shutdown.clone());
            async move {
                shutdown.wait().await;
                health::set_greeter_serving(&reporter, false).await;
            }
        });
        let serve = Server::builder()
            .add_routes(routes)
            .serve_with_incoming_shutdown(server::incoming(listener), shutdown.clone().wait());
        // `Watch` streams never end on their own: bound the drain.
        with_grace(serve, shutdown, flags.grace.into()).await?;
        // ANCHOR_END: drain
        Ok(())
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let channel = Channel::from_shared(url)?.connect().await?;
        console.line("Services listed by reflection:");
        for service in reflection::list_services(channel.clone()).await? {
            console.line(format!("  {service}"));
        }
        let files = reflection::file_containing_symbol(channel.clone(), health::GREETER).await?;
        for file in files {
            console.line(format!(
                "{} is defined in {} ({} messages)",
                health::GREETER,
                file.name(),
                file.message_type.len()
            ));
        }
        let status = health::check(channel.clone(), health::GREETER).await?;
        console.line(format!(
            "health of {}: {}",
            health::GREETER,
            status.as_str_name()
        ));
        if flags.watch > 0 {
            health::watch(channel, health::GREETER, flags.watch, &console).await?;
        }
        Ok(())
    }
}
