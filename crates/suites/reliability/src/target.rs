//! The server a run is aimed at: our own server under test, or any server at
//! `--addr` implementing some of the tutorial's v1/v2/v3/v4 contracts.
//!
//! A [`Target`] knows which contracts the server implements (it asks once, at
//! connect time: `UNIMPLEMENTED` means "not this one"), whether it is the server
//! under test (then it has [`Probes`] to read), and how to prove the server is
//! still healthy: [`Target::assert_alive`], the normal call after every case.

use anyhow::{Context, bail, ensure};
use helloworld_proto::{v1, v2, v3, v4};
use tonic::Code;
use tonic::transport::{Channel, Endpoint};

use crate::limits::Limits;
use crate::probes::Probes;
use crate::wait::{STEP, within};

/// Which of the tutorial's contracts a server implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contracts {
    /// `tutorial.helloworld.v1.GreeterService` (unary).
    pub v1: bool,
    /// `tutorial.helloworld.v2.GreeterService` (server streaming).
    pub v2: bool,
    /// `tutorial.helloworld.v3.GreeterService` (bidi).
    pub v3: bool,
    /// `tutorial.helloworld.v4.GreeterService` (client streaming).
    pub v4: bool,
}

/// A connected server plus what the suite knows about it.
#[derive(Debug, Clone)]
pub struct Target {
    url: String,
    channel: Channel,
    test_server: Option<(Probes, Limits)>,
    contracts: Contracts,
}

impl Target {
    /// Connects to `url` and finds out which contracts it serves. `test_server`
    /// is `Some` only for our own server under test.
    pub async fn connect(url: &str, test_server: Option<(Probes, Limits)>) -> anyhow::Result<Self> {
        let channel = connect(endpoint(url)?).await?;
        let contracts = Contracts {
            v1: implemented(unary_call(&channel, "probe").await)?,
            v2: implemented(streaming_call(&channel, "probe").await)?,
            v3: implemented(bidi_call(&channel, "probe").await)?,
            v4: implemented(client_streaming_call(&channel, "probe").await)?,
        };
        ensure!(
            contracts.v1 || contracts.v2 || contracts.v3 || contracts.v4,
            "{url} implements none of the tutorial's v1/v2/v3/v4 greeter services"
        );
        Ok(Self {
            url: url.to_owned(),
            channel,
            test_server,
            contracts,
        })
    }

    /// The URL this target was reached at.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `host:port` a raw TCP or HTTP/2 client dials.
    pub fn authority(&self) -> anyhow::Result<String> {
        let uri: http::Uri = self.url.parse()?;
        let authority = uri.authority().context("the URL has no host:port")?;
        Ok(authority.to_string())
    }

    /// The shared channel (one HTTP/2 connection, reused by most cases).
    pub fn channel(&self) -> Channel {
        self.channel.clone()
    }

    /// A channel on a new connection of its own, configured by `configure`
    /// (for cases that tune windows, or must not disturb the shared connection).
    pub async fn new_channel(
        &self,
        configure: impl FnOnce(Endpoint) -> Endpoint,
    ) -> anyhow::Result<Channel> {
        connect(configure(endpoint(&self.url)?)).await
    }

    /// The contracts the server implements.
    pub fn contracts(&self) -> Contracts {
        self.contracts
    }

    /// The server's probes, when the target is our server under test.
    pub fn probes(&self) -> Option<&Probes> {
        self.test_server.as_ref().map(|(probes, _)| probes)
    }

    /// The server's limits: our own when known, else gRPC's usual defaults.
    pub fn limits(&self) -> Limits {
        self.test_server
            .as_ref()
            .map(|(_, limits)| limits.clone())
            .unwrap_or_default()
    }

    /// A v1 client on the shared channel that accepts messages up to the limit.
    pub fn v1(&self) -> v1::greeter_service_client::GreeterServiceClient<Channel> {
        v1::greeter_service_client::GreeterServiceClient::new(self.channel())
            .max_decoding_message_size(self.limits().max_message_bytes)
    }

    /// A v2 client on the shared channel.
    pub fn v2(&self) -> v2::greeter_service_client::GreeterServiceClient<Channel> {
        v2::greeter_service_client::GreeterServiceClient::new(self.channel())
    }

    /// A v4 client on the shared channel.
    pub fn v4(&self) -> v4::greeter_service_client::GreeterServiceClient<Channel> {
        v4::greeter_service_client::GreeterServiceClient::new(self.channel())
    }

    /// A v3 client on the shared channel.
    pub fn v3(&self) -> v3::greeter_service_client::GreeterServiceClient<Channel> {
        v3::greeter_service_client::GreeterServiceClient::new(self.channel())
    }

    /// The check after every case: a normal call, on a new connection, answers
    /// `OK` with a greeting within [`STEP`].
    pub async fn assert_alive(&self) -> anyhow::Result<()> {
        let channel = within("connecting", self.new_channel(|e| e)).await??;
        let name = "still there?";
        let messages = if self.contracts.v1 {
            vec![unary_call(&channel, name).await?]
        } else if self.contracts.v2 {
            streaming_call(&channel, name).await?
        } else if self.contracts.v4 {
            vec![client_streaming_call(&channel, name).await?]
        } else {
            bidi_call(&channel, name).await?
        };
        // Lesson servers may answer with a fixed text: any greeting will do.
        ensure!(
            messages.iter().any(|m| !m.is_empty()),
            "a normal call answered {messages:?}"
        );
        Ok(())
    }
}

fn endpoint(url: &str) -> anyhow::Result<Endpoint> {
    Ok(Endpoint::from_shared(url.to_owned())
        .with_context(|| format!("{url} is not a URL"))?
        .connect_timeout(STEP))
}

async fn connect(endpoint: Endpoint) -> anyhow::Result<Channel> {
    let uri = endpoint.uri().clone();
    within("connecting", endpoint.connect())
        .await?
        .with_context(|| format!("cannot connect to {uri}"))
}

/// `Ok(false)` for `UNIMPLEMENTED`, `Ok(true)` for a working call, else the error.
fn implemented<T>(outcome: Result<T, CallError>) -> anyhow::Result<bool> {
    match outcome {
        Ok(_) => Ok(true),
        Err(CallError::Status(status)) if status.code() == Code::Unimplemented => Ok(false),
        Err(error) => Err(anyhow::Error::from(error).context("probing the server's contracts")),
    }
}

/// A call that failed: with a gRPC status, or by not answering in time.
#[derive(Debug)]
enum CallError {
    Status(tonic::Status),
    Hung(anyhow::Error),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Status(status) => write!(f, "{:?}: {}", status.code(), status.message()),
            Self::Hung(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for CallError {}

async fn bounded<T>(
    what: &str,
    call: impl Future<Output = Result<T, tonic::Status>>,
) -> Result<T, CallError> {
    within(what, call)
        .await
        .map_err(CallError::Hung)?
        .map_err(CallError::Status)
}

async fn unary_call(channel: &Channel, name: &str) -> Result<String, CallError> {
    let mut client = v1::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let request = v1::SayHelloRequest { name: name.into() };
    let response = bounded("v1 call", client.say_hello(request)).await?;
    Ok(response.into_inner().message)
}

async fn streaming_call(channel: &Channel, name: &str) -> Result<Vec<String>, CallError> {
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let request = v2::SayHelloRequest { name: name.into() };
    let stream = bounded("v2 call", client.say_hello(request)).await?;
    drain(stream.into_inner(), |reply| reply.message).await
}

async fn bidi_call(channel: &Channel, name: &str) -> Result<Vec<String>, CallError> {
    let mut client = v3::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let outbound = futures::stream::iter([v3::SayHelloRequest { name: name.into() }]);
    let stream = bounded("v3 call", client.say_hello(outbound)).await?;
    drain(stream.into_inner(), |reply| reply.message).await
}

async fn client_streaming_call(channel: &Channel, name: &str) -> Result<String, CallError> {
    let mut client = v4::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let outbound = futures::stream::iter([v4::SayHelloRequest { name: name.into() }]);
    let response = bounded("v4 call", client.say_hello(outbound)).await?;
    Ok(response.into_inner().message)
}

/// Reads a response stream to its end, each message turned into text.
async fn drain<T>(
    mut stream: tonic::Streaming<T>,
    text: impl Fn(T) -> String,
) -> Result<Vec<String>, CallError> {
    let mut messages = Vec::new();
    while let Some(reply) = bounded("stream message", stream.message()).await? {
        messages.push(text(reply));
    }
    Ok(messages)
}

/// Fails unless `status` has exactly `code`; the error says what came instead.
pub fn expect_code(status: &tonic::Status, code: Code) -> anyhow::Result<()> {
    if status.code() != code {
        bail!(
            "expected {code:?}, got {:?}: {:?}",
            status.code(),
            status.message()
        );
    }
    Ok(())
}
