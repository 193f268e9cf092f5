//! Chapter 6, running it for real: authorization.
//!
//! Authentication says who the caller is; authorization says what they may call.
//! [`policy`] reads grpc's authorization policy (gRFC A43 JSON, as grpc-go's `authz`
//! package and gRPC C++ read it), [`layer`] applies it to every call in a tower
//! layer, [`tokens`] names callers from bearer tokens, [`server`] and [`client`]
//! are the greeter behind it and one call to it.
//!
//! The demo (no client flags) makes five calls and prints each outcome: alice,
//! whom the policy allows; bob, a known caller it does not; alice from staging,
//! whom a deny rule stops; a caller without credentials; and a token nobody issued.

pub mod client;
pub mod layer;
pub mod peer_cert;
pub mod policy;
pub mod server;
pub mod tokens;

use std::path::PathBuf;
use std::sync::OnceLock;

use anyhow::Context;
use lesson_kit::{Console, Lesson, ShutdownSignal};
use tonic::transport::Channel;

pub use layer::{AuthzLayer, DENIED, Identify};
pub use peer_cert::PeerCertificate;
pub use policy::{Decision, InvalidPolicy, Policy};
pub use tokens::Tokens;

/// The policy the lesson ships (`policy.json` next to Cargo.toml), used without `--policy`.
pub const SHIPPED_POLICY: &str = include_str!("../policy.json");

/// The authorization lesson; see the crate docs.
#[derive(Debug)]
pub struct Authorization;

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// The authorization policy (gRFC A43 JSON); the lesson's policy.json when omitted.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Issued tokens, one `subject token` line each; the demo's own tokens when omitted.
    #[arg(long, value_name = "FILE")]
    pub tokens: Option<PathBuf>,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Make one call with the token in FILE, instead of the demo's five calls.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Extra metadata for that call, `KEY=VALUE` (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub metadata: Vec<String>,
    /// The name to greet.
    #[arg(long, default_value = "Jack")]
    pub name: String,
}

/// Tokens made for this process: the demo's server and client share them.
pub fn demo_tokens() -> &'static Tokens {
    static TOKENS: OnceLock<Tokens> = OnceLock::new();
    TOKENS.get_or_init(|| {
        let token = || hex::encode(rand::random::<[u8; 32]>());
        Tokens::new([("alice".into(), token()), ("bob".into(), token())])
    })
}

/// Reads and checks the policy at `path` (the shipped one for `None`).
pub fn load_policy(path: Option<&std::path::Path>) -> anyhow::Result<Policy> {
    let Some(path) = path else {
        return Ok(Policy::from_json(SHIPPED_POLICY)?);
    };
    let json = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the policy {}", path.display()))?;
    Policy::from_json(&json).with_context(|| format!("refused the policy {}", path.display()))
}

impl Lesson for Authorization {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        _console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let policy = load_policy(flags.policy.as_deref())?;
        let tokens = match &flags.tokens {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the tokens {}", path.display()))?;
                Tokens::parse(&text).map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?
            }
            None => demo_tokens().clone(),
        };
        tracing::info!(policy = policy.name, "authorizing every call");
        server::serve(listener, policy, tokens, shutdown.wait()).await?;
        Ok(())
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let channel = Channel::from_shared(url)?.connect().await?;
        let name = flags.name.as_str();
        let Some(path) = &flags.token_file else {
            return demo_calls(channel, name, &console).await;
        };
        let token = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the token {}", path.display()))?;
        let metadata: Vec<(&str, &str)> = flags
            .metadata
            .iter()
            .map(|pair| {
                pair.split_once('=')
                    .with_context(|| format!("--metadata {pair:?}: expected KEY=VALUE"))
            })
            .collect::<anyhow::Result<_>>()?;
        let outcome = client::say_hello(channel, Some(token.trim()), &metadata, name).await;
        console.line(format!("SayHello: {}", outcome_line(&outcome)));
        Ok(())
    }
}

/// One demo caller: who, their token, their extra metadata.
type DemoCall<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, &'a str)]);

/// The demo's five callers, each outcome on one line.
async fn demo_calls(channel: Channel, name: &str, console: &Console) -> anyhow::Result<()> {
    let tokens = demo_tokens();
    let alice = tokens.token_of("alice");
    let bob = tokens.token_of("bob");
    let staging = [("x-environment", "staging-2")];
    let calls: [DemoCall; 5] = [
        ("alice", alice, &[]),
        ("bob", bob, &[]),
        ("alice from staging", alice, &staging),
        ("no credentials", None, &[]),
        ("a token nobody issued", Some("not-a-token"), &[]),
    ];
    for (caller, token, metadata) in calls {
        let outcome = client::say_hello(channel.clone(), token, metadata, name).await;
        console.line(format!("{caller}: {}", outcome_line(&outcome)));
    }
    Ok(())
}

fn outcome_line(outcome: &Result<String, tonic::Status>) -> String {
    match outcome {
        Ok(message) => message.clone(),
        Err(status) => format!("status {:?}: {}", status.code(), status.message()),
    }
}
