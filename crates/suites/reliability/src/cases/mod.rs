//! Every case of the suite, and the one way to run a case.
//!
//! A case is an `async fn(&Target) -> anyhow::Result<String>`: it does its
//! thing, checks the exact status or count it expects, and returns what it saw
//! (the table's detail column). [`run`] adds what every case shares: a time
//! budget, skipping when the target lacks what the case needs, and the normal
//! call afterwards that proves the server survived.
//!
//! - [`interop`]: gRPC's interoperability test cases, adapted to the greeter;
//!   [`deadlines`]: the interop cases about deadlines and cancellation.
//! - [`abuse`]: bad clients speaking valid gRPC: too big, too many, never
//!   reading, vanishing.
//! - [`raw`]: bad clients speaking broken HTTP/2 or broken gRPC framing.
//! - [`soak`]: compression both ways, one stream per connection, and bounded
//!   soaks of calls and channels.

pub mod abuse;
pub mod deadlines;
pub mod interop;
pub mod raw;
pub mod soak;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::report::Outcome;
use crate::server::TestServer;
use crate::target::Target;

/// What a case's body returns: the detail for the table, or why it failed.
pub type CaseFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<String>> + Send + 'a>>;

/// Something a case needs from its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The v1 (unary) contract.
    V1,
    /// The v2 (server streaming) contract.
    V2,
    /// The v3 (bidi) contract.
    V3,
    /// The v4 (client streaming) contract.
    V4,
    /// Our server under test: its test-service behaviours and probes.
    TestServer,
}

/// One named case.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// The name shown in the table (the interop suite's, where there is one).
    pub name: &'static str,
    /// What the target must offer, else the case is skipped.
    pub needs: &'static [Need],
    /// The case's body.
    pub run: for<'a> fn(&'a Target) -> CaseFuture<'a>,
}

/// The longest one case may take, waits included, before it counts as hung.
pub const CASE_BUDGET: Duration = Duration::from_secs(30);

macro_rules! case {
    ($module:ident :: $name:ident, [$($need:ident),*]) => {
        Case {
            name: stringify!($name),
            needs: &[$(Need::$need),*],
            run: |target| Box::pin($module::$name(target)),
        }
    };
}

/// Every case, in the order the table lists them.
pub fn all() -> Vec<Case> {
    vec![
        case!(interop::empty_unary, [V1]),
        case!(interop::large_unary, [V1, TestServer]),
        case!(interop::server_streaming, [V2]),
        case!(interop::client_streaming, [V4]),
        case!(interop::ping_pong, [V3]),
        case!(interop::empty_stream, [V3]),
        case!(deadlines::timeout_on_sleeping_server, [V1, TestServer]),
        case!(deadlines::cancel_after_begin, [V3, TestServer]),
        case!(deadlines::cancel_after_first_response, [V3, TestServer]),
        case!(deadlines::dropped_call_stays_open, [V3, TestServer]),
        case!(interop::status_code_and_message, [V1, V3, TestServer]),
        case!(interop::special_status_message, [V1, TestServer]),
        case!(interop::unimplemented_method, []),
        case!(interop::unimplemented_service, []),
        case!(interop::custom_metadata, [V1, V3, TestServer]),
        case!(interop::per_call_credentials, [V1, TestServer]),
        case!(abuse::oversized_request, [V1]),
        case!(abuse::oversized_response, [V1, TestServer]),
        case!(abuse::response_size_from_the_client, [V1, TestServer]),
        case!(abuse::concurrent_streams_1000, [V2]),
        case!(abuse::never_reading_client, [V2, TestServer]),
        case!(abuse::vanishing_clients, [V2, V3, TestServer]),
        case!(raw::garbage_instead_of_preface, []),
        case!(raw::garbage_frames, []),
        case!(raw::wrong_content_type, [V1]),
        case!(raw::truncated_grpc_frame, [V1]),
        case!(raw::malformed_protobuf, [V1]),
        case!(raw::huge_length_prefix, [V1]),
        case!(raw::vanishing_connections, [V2, TestServer]),
        case!(soak::compressed_calls, [V1, V2, V3, TestServer]),
        case!(soak::max_streams_1, [TestServer]),
        case!(soak::rpc_soak, [V1]),
        case!(soak::channel_soak, [V1]),
    ]
}

/// The case called `name`.
pub fn by_name(name: &str) -> Option<Case> {
    all().into_iter().find(|case| case.name == name)
}

/// Why `target` cannot run `case`, if it cannot.
fn unmet(case: &Case, target: &Target) -> Option<String> {
    let contracts = target.contracts();
    case.needs.iter().find_map(|need| match need {
        Need::V1 if !contracts.v1 => Some("the server does not implement v1 (unary)".to_owned()),
        Need::V2 if !contracts.v2 => {
            Some("the server does not implement v2 (server streaming)".to_owned())
        }
        Need::V3 if !contracts.v3 => Some("the server does not implement v3 (bidi)".to_owned()),
        Need::V4 if !contracts.v4 => {
            Some("the server does not implement v4 (client streaming)".to_owned())
        }
        Need::TestServer if target.probes().is_none() => {
            Some("needs the test-service behaviours and probes of our server under test".to_owned())
        }
        _ => None,
    })
}

/// Runs `case` against `target`: skipped if the target lacks what it needs,
/// failed if it errs, overruns [`CASE_BUDGET`] or the server panics meanwhile, and passed only if the server then still answers a normal
/// call.
pub async fn run(case: &Case, target: &Target) -> Outcome {
    if let Some(reason) = unmet(case, target) {
        return Outcome::Skipped(reason);
    }
    crate::panics::count_from_now_on();
    let threads = target.probes().and_then(|p| p.server_threads());
    let panics = crate::panics::count(threads);
    let detail = match tokio::time::timeout(CASE_BUDGET, (case.run)(target)).await {
        Err(_) => return Outcome::Failed(format!("hung: no result within {CASE_BUDGET:?}")),
        Ok(Err(error)) => return Outcome::Failed(format!("{error:#}")),
        Ok(Ok(detail)) => detail,
    };
    let panicked = crate::panics::count(threads) - panics;
    if panicked > 0 {
        return Outcome::Failed(format!("{detail}; but {panicked} panic(s) meanwhile"));
    }
    match target.assert_alive().await {
        Ok(()) => Outcome::Passed(detail),
        Err(error) => Outcome::Failed(format!(
            "{detail}; but then a normal call failed: {error:#}"
        )),
    }
}

/// Runs the case called `name` against a server under test of its own: what
/// each `#[tokio::test]` does. The server must also stop cleanly afterwards.
pub async fn run_on_fresh_server(name: &str) -> anyhow::Result<Outcome> {
    let case = by_name(name).ok_or_else(|| anyhow::anyhow!("no case called {name}"))?;
    let server = TestServer::start().await?;
    let outcome = run(&case, &server.target().await?).await;
    crate::wait::within("stopping the server", server.stop()).await??;
    Ok(outcome)
}
