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

pub mod calls;
pub mod codes;
pub mod greeter;
pub mod validation;

pub use calls::{call_closed_port, call_unserved_method, say_hello};
pub use greeter::{FailingGreeter, service};

use lesson_kit::cli::NoFlags;
use lesson_kit::{Console, Lesson, ShutdownSignal, server};
use tonic::Status;
use tonic::transport::{Channel, Server};

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
