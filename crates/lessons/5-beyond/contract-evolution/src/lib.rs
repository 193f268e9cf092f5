//! Beyond the tutorial: evolving a contract.
//!
//! The tutorial's `proto/` holds v1, v2 and v3 of one contract, each a package of
//! its own. Real services change a contract in place instead, and old clients keep
//! calling. This lesson replaces the v1 server with servers built from changed
//! versions of v1 ([`contracts`], compiled from `proto/<version>/`) and calls each
//! with a client built from the version before, over a real socket:
//!
//! - safe: new fields both ways, a new enum value, a new method (a v1 server answers
//!   it `UNIMPLEMENTED`), and what a v1 service in the middle does to fields it does
//!   not know (prost drops them);
//! - breaking: a renumbered field (the name arrives empty), a changed type (a garbled
//!   string), unary to streaming, a renamed package (`UNIMPLEMENTED`).
//!
//! `tests/buf_breaking.rs` proves `buf breaking` flags exactly the breaking ones.

pub mod calls;
pub mod contracts;
pub mod servers;

use std::fmt::Debug;

use lesson_kit::{RunningServer, server};
use tonic::Status;
use tonic::service::Routes;
use tonic::transport::{Channel, Server};

use contracts::{renamed, renumbered, retyped, streaming, v1_1, v1_2};
use helloworld_proto::v1;

/// One change to the contract, tried as an old client meets a new server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Change {
    /// v1.1 adds a request and a response field: a v1 client calls a v1.1 server.
    NewFields,
    /// v1.2 adds an enum value: a v1.1 client receives it.
    NewEnumValue,
    /// v1.1 adds a method: a v1 client never calls it, a v1 server does not have it.
    NewMethod,
    /// A v1.1 field passes through a service still built from v1.
    ThroughOldService,
    /// The request's `name` moves to field 2.
    Renumbered,
    /// The response's `message` becomes a message type.
    Retyped,
    /// `SayHello` becomes server streaming.
    Streaming,
    /// The package becomes `tutorial.greeter.v1`.
    Renamed,
}

impl Change {
    /// Every change, safe ones first.
    pub const ALL: [Change; 8] = [
        Change::NewFields,
        Change::NewEnumValue,
        Change::NewMethod,
        Change::ThroughOldService,
        Change::Renumbered,
        Change::Retyped,
        Change::Streaming,
        Change::Renamed,
    ];

    /// Whether old callers keep working; `buf breaking` must agree.
    pub fn breaks(self) -> bool {
        matches!(
            self,
            Change::Renumbered | Change::Retyped | Change::Streaming | Change::Renamed
        )
    }

    /// What the demo says of it.
    pub fn verdict(self) -> &'static str {
        match self {
            Change::ThroughOldService => {
                "safe, but a v1 service in the middle drops the new fields"
            }
            change if change.breaks() => "breaks v1 callers",
            _ => "safe",
        }
    }

    /// The name on the command line (`--only new-fields`).
    pub fn name(self) -> String {
        clap::ValueEnum::to_possible_value(&self)
            .map(|value| value.get_name().to_owned())
            .unwrap_or_default()
    }

    /// `(new version, previous version)`: the inputs of `buf breaking`, relative
    /// to the repository root. The previous version of v1.1 and of every breaking
    /// change is the tutorial's own v1 file.
    pub fn buf_inputs(self) -> (String, String) {
        const DIR: &str = "crates/lessons/5-beyond/contract-evolution/proto";
        const TUTORIAL_V1: &str = "proto/tutorial/helloworld/v1/helloworld.proto";
        let (new, previous) = match self {
            Change::NewFields | Change::NewMethod | Change::ThroughOldService => ("v1.1", None),
            Change::NewEnumValue => ("v1.2", Some("v1.1")),
            Change::Renumbered => ("renumbered", None),
            Change::Retyped => ("retyped", None),
            Change::Streaming => ("streaming", None),
            Change::Renamed => ("renamed", None),
        };
        let previous =
            previous.map_or(TUTORIAL_V1.to_owned(), |version| format!("{DIR}/{version}"));
        (format!("{DIR}/{new}"), previous)
    }
}

/// What `change` does to its caller, as the lines the demo prints.
pub async fn try_change(change: Change, name: &str) -> anyhow::Result<Vec<String>> {
    let lines = match change {
        Change::NewFields => {
            let server = serve(Routes::new(
                v1_1::greeter_service_server::GreeterServiceServer::new(servers::GreeterV1_1),
            ))
            .await?;
            let answer = calls::say_hello_v1(server.channel().await?, name).await;
            vec![format!("v1 client -> v1.1 server: {}", shown(&answer))]
        }
        Change::NewEnumValue => {
            let server = serve(Routes::new(
                v1_2::greeter_service_server::GreeterServiceServer::new(servers::GreeterV1_2),
            ))
            .await?;
            let answer =
                calls::say_hello_v1_1(server.channel().await?, name, v1_1::Tone::Unspecified).await;
            vec![format!(
                "v1.1 client -> v1.2 server: {}",
                shown_toned(&answer)
            )]
        }
        Change::NewMethod => {
            let old = serve(Routes::new(
                v1::greeter_service_server::GreeterServiceServer::new(servers::GreeterV1),
            ))
            .await?;
            let new = serve(Routes::new(
                v1_1::greeter_service_server::GreeterServiceServer::new(servers::GreeterV1_1),
            ))
            .await?;
            let on_new = calls::say_goodbye_v1_1(new.channel().await?, name).await;
            let on_old = calls::say_goodbye_v1_1(old.channel().await?, name).await;
            vec![
                format!("v1.1 client -> v1.1 server, SayGoodbye: {}", shown(&on_new)),
                format!("v1.1 client -> v1 server, SayGoodbye: {}", shown(&on_old)),
            ]
        }
        Change::ThroughOldService => {
            let backend = serve(Routes::new(
                v1_1::greeter_service_server::GreeterServiceServer::new(servers::GreeterV1_1),
            ))
            .await?;
            let relay = serve(Routes::new(
                v1::greeter_service_server::GreeterServiceServer::new(servers::RelayV1 {
                    backend: backend.channel().await?,
                }),
            ))
            .await?;
            let direct =
                calls::say_hello_v1_1(backend.channel().await?, name, v1_1::Tone::Warm).await;
            let relayed =
                calls::say_hello_v1_1(relay.channel().await?, name, v1_1::Tone::Warm).await;
            vec![
                format!(
                    "v1.1 client -> v1.1 server, tone WARM: {}",
                    shown_toned(&direct)
                ),
                format!(
                    "v1.1 client -> v1 relay -> v1.1 server, tone WARM: {}",
                    shown_toned(&relayed)
                ),
            ]
        }
        Change::Renumbered => {
            let server = serve(Routes::new(
                renumbered::greeter_service_server::GreeterServiceServer::new(
                    servers::GreeterRenumbered,
                ),
            ))
            .await?;
            let answer = calls::say_hello_v1(server.channel().await?, name).await;
            vec![format!(
                "v1 client -> renumbered server: {}",
                shown(&answer)
            )]
        }
        Change::Retyped => {
            let server = serve(Routes::new(
                retyped::greeter_service_server::GreeterServiceServer::new(servers::GreeterRetyped),
            ))
            .await?;
            let answer = calls::say_hello_v1(server.channel().await?, name).await;
            vec![format!("v1 client -> retyped server: {}", shown(&answer))]
        }
        Change::Streaming => {
            let server = serve(Routes::new(
                streaming::greeter_service_server::GreeterServiceServer::new(
                    servers::GreeterStreaming,
                ),
            ))
            .await?;
            let answer = calls::say_hello_v1(server.channel().await?, name).await;
            vec![format!("v1 client -> streaming server: {}", shown(&answer))]
        }
        Change::Renamed => {
            let server = serve(Routes::new(
                renamed::greeter_service_server::GreeterServiceServer::new(servers::GreeterRenamed),
            ))
            .await?;
            let answer = calls::say_hello_v1(server.channel().await?, name).await;
            vec![format!("v1 client -> renamed server: {}", shown(&answer))]
        }
    };
    Ok(lines)
}

/// An answer as the demo prints it: `Ok(value)` or `Err(Code: message)`.
pub fn shown<T: Debug>(answer: &Result<T, Status>) -> String {
    match answer {
        Ok(value) => format!("Ok({value:?})"),
        Err(status) if status.message().is_empty() => format!("Err({:?})", status.code()),
        Err(status) => format!("Err({:?}: {})", status.code(), status.message()),
    }
}

/// A v1.1 answer: the message, then the tone's number and its name in v1.1.
pub fn shown_toned(answer: &Result<(String, i32), Status>) -> String {
    match answer {
        Ok((message, tone)) => {
            let name =
                v1_1::Tone::try_from(*tone).map_or("no name in v1.1", |tone| tone.as_str_name());
            format!("Ok({message:?}), tone {tone} ({name})")
        }
        Err(_) => shown(answer),
    }
}

/// A server on 127.0.0.1 port 0 (its task ends with the runtime).
struct Serving(RunningServer);

impl Serving {
    async fn channel(&self) -> anyhow::Result<Channel> {
        Ok(Channel::from_shared(self.0.url(false))?.connect().await?)
    }
}

async fn serve(routes: Routes) -> anyhow::Result<Serving> {
    let running =
        RunningServer::start(|listener, shutdown| serve_routes(routes, listener, shutdown)).await?;
    Ok(Serving(running))
}

async fn serve_routes(
    routes: Routes,
    listener: tokio::net::TcpListener,
    shutdown: lesson_kit::ShutdownSignal,
) -> anyhow::Result<()> {
    Server::builder()
        .add_routes(routes)
        .serve_with_incoming_shutdown(server::incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}
