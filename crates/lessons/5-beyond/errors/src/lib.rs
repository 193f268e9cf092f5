//! Beyond the tutorial: errors, from status codes to rich details.
//!
//! The tutorial's handlers always succeed. Real ones fail, and a gRPC failure is a
//! **status**: a code (what kind of failure, so programs can react) and a message
//! (for humans), sent in the response trailers. This lesson's server picks the code
//! from the request's name (`not-found` → `NOT_FOUND`), validates names with rich
//! details, and the client prints what it gets back.
//!
//! - [`codes`]: the 16 error codes and when each is the right one.
//! - [`validation`]: `INVALID_ARGUMENT` with `google.rpc.BadRequest` + `ErrorInfo`.

pub mod codes;
pub mod validation;

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use lesson_kit::cli::NoFlags;
use lesson_kit::{Console, Lesson, ShutdownSignal, server};
use tonic::transport::{Channel, Server};
use tonic::{Request, Response, Status};

/// A greeter that fails on purpose: validation first, then a code named by the request.
#[derive(Debug, Default, Clone, Copy)]
pub struct FailingGreeter;

// ANCHOR: handler
#[tonic::async_trait]
impl GreeterService for FailingGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        validation::validate_name(&name)?;
        if let Some(status) = codes::status_for(&name) {
            return Err(status);
        }
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}
// ANCHOR_END: handler

/// The failing greeter as a service, for servers that want to add layers to it.
pub fn service() -> GreeterServiceServer<FailingGreeter> {
    GreeterServiceServer::new(FailingGreeter)
}

/// The errors lesson; see the crate docs.
#[derive(Debug)]
pub struct Errors;

impl Lesson for Errors {
    type ServerFlags = NoFlags;
    type ClientFlags = NoFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        _flags: NoFlags,
        _console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        Server::builder()
            .add_service(service())
            .serve_with_incoming_shutdown(server::incoming(listener), shutdown.wait())
            .await?;
        Ok(())
    }

    async fn client(url: String, _flags: NoFlags, console: Console) -> anyhow::Result<()> {
        let channel = Channel::from_shared(url)?.connect().await?;
        console.line("Codes the server returns on purpose:");
        for (name, _, _) in codes::CODES {
            let outcome = say_hello(channel.clone(), name).await;
            print_call(&console, &format!("{name:?}"), outcome);
        }
        console.line("Validation failures, with rich details:");
        let too_long = "x".repeat(validation::MAX_NAME_CHARS + 1);
        print_call(&console, "\"\"", say_hello(channel.clone(), "").await);
        let label = format!("\"x\" * {}", too_long.len());
        print_call(
            &console,
            &label,
            say_hello(channel.clone(), &too_long).await,
        );
        console.line("Codes the library produces by itself:");
        print_call(&console, "(v2 method)", call_unserved_method(channel).await);
        print_call(&console, "(closed port)", call_closed_port().await);
        Ok(())
    }
}

/// One v1 `SayHello`.
pub async fn say_hello(channel: Channel, name: &str) -> Result<String, Status> {
    let request = SayHelloRequest { name: name.into() };
    let response = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    Ok(response.into_inner().message)
}

// ANCHOR: library_codes
/// Calls `tutorial.helloworld.v2.GreeterService`, which this server does not run.
pub async fn call_unserved_method(channel: Channel) -> Result<String, Status> {
    use helloworld_proto::v2;
    let request = v2::SayHelloRequest {
        name: "Jack".into(),
    };
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel);
    client.say_hello(request).await.map(|_| "a stream?".into())
}

/// Calls a port nobody listens on (bound, then released).
pub async fn call_closed_port() -> Result<String, Status> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| Status::internal(e.to_string()))?
        .port();
    let channel = Channel::from_shared(format!("http://127.0.0.1:{port}"))
        .map_err(|e| Status::internal(e.to_string()))?
        .connect_lazy();
    say_hello(channel, "Jack").await
}
// ANCHOR_END: library_codes

fn print_call(console: &Console, label: &str, outcome: Result<String, Status>) {
    match outcome {
        Ok(message) => console.line(format!("{label:>22} -> OK: {message}")),
        Err(status) => {
            console.line(format!(
                "{label:>22} -> {}: {}",
                codes::spec_name(status.code()),
                status.message()
            ));
            for line in validation::explain(&status) {
                console.line(line);
            }
        }
    }
}
