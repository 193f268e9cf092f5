//! One function per mistake. Each makes it for real, on 127.0.0.1, and returns what
//! the learner would read.

use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;

use anyhow::{Context, bail};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity, Server, ServerTlsConfig};
use tonic::{Request, Response, Status};

use crate::tls::Pki;
use crate::{Observed, normalise_port};

/// The tutorial's greeter (it answers with the name's length: names here are big).
#[derive(Debug, Clone, Copy, Default)]
struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {}!", name.len()),
        }))
    }
}

type Serving = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Serves `greeter` on a free loopback port, with `tls` if given; the server runs
/// until the returned future is dropped.
async fn serve(
    greeter: Greeter,
    tls: Option<ServerTlsConfig>,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let mut builder = Server::builder();
    if let Some(tls) = tls {
        builder = builder.tls_config(tls)?;
    }
    let router = builder.add_service(GreeterServiceServer::new(greeter));
    let serving: Serving = Box::pin(async move {
        let _ = router
            .serve_with_incoming(TcpIncoming::from(listener))
            .await;
    });
    Ok((addr, tokio::spawn(serving)))
}

/// `block_on` on a thread that is already driving tokio: what happens when
/// blocking code (a `sync-kit` client, `Runtime::block_on`) is called from an
/// `async fn`.
pub fn runtime_inside_runtime() -> anyhow::Result<Observed> {
    let runtime = tokio::runtime::Runtime::new()?;
    let outcome = std::panic::catch_unwind(|| {
        runtime.block_on(async {
            tokio::runtime::Handle::current().block_on(async {});
        })
    });
    let payload = outcome
        .err()
        .context("block_on inside a runtime did not panic")?;
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    Ok(Observed {
        key: "Cannot start a runtime from within a runtime",
        message,
    })
}

/// A client dialling a port nobody listens on: tonic's error says only
/// `transport error`; its source says why.
pub async fn nobody_listening() -> anyhow::Result<Observed> {
    let port = free_port().await?;
    let error = GreeterServiceClient::connect(format!("http://127.0.0.1:{port}"))
        .await
        .err()
        .context("connected to a closed port")?;
    let bare = error.to_string();
    let full = format!("{:#}", anyhow::Error::from(error));
    Ok(Observed {
        key: "transport error",
        message: format!("{bare}\n{}", normalise_port(&full, port)),
    })
}

/// A TLS client that trusts a different CA from the one that signed the server.
pub async fn unknown_issuer() -> anyhow::Result<Observed> {
    let server_pki = Pki::new("CA that signed the server")?;
    let other_pki = Pki::new("some other CA")?;
    let identity = Identity::from_pem(&server_pki.cert, &server_pki.key);
    let (addr, server) = serve(Greeter, Some(ServerTlsConfig::new().identity(identity))).await?;
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&other_pki.ca))
        .domain_name("localhost");
    let error = Channel::from_shared(format!("https://127.0.0.1:{}", addr.port()))?
        .tls_config(tls)?
        .connect()
        .await
        .err()
        .context("a client trusting another CA connected")?;
    server.abort();
    Ok(Observed {
        key: "UnknownIssuer",
        message: format!("{:#}", anyhow::Error::from(error)),
    })
}

/// An mTLS server that does not accept the client's certificate: the handshake
/// looks fine to the client, and the call fails with `Unknown`.
pub async fn client_certificate_refused() -> anyhow::Result<Observed> {
    let server_pki = Pki::new("server CA")?;
    let clients_ca = Pki::new("the CA the server trusts for clients")?;
    let stranger = Pki::new("a CA the server has never heard of")?;
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(&server_pki.cert, &server_pki.key))
        .client_ca_root(Certificate::from_pem(&clients_ca.ca));
    let (addr, server) = serve(Greeter, Some(tls)).await?;
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&server_pki.ca))
        .identity(Identity::from_pem(&stranger.cert, &stranger.key))
        .domain_name("localhost");
    let outcome = async {
        let channel = Channel::from_shared(format!("https://127.0.0.1:{}", addr.port()))?
            .tls_config(tls)?
            .connect()
            .await?;
        let status = GreeterServiceClient::new(channel)
            .say_hello(SayHelloRequest {
                name: "Jack".into(),
            })
            .await
            .err()
            .context("a client with an untrusted certificate was served")?;
        anyhow::Ok(status)
    }
    .await;
    server.abort();
    let message = match outcome {
        Ok(status) => with_sources(&status),
        Err(error) => format!("{error:#}"),
    };
    Ok(Observed {
        key: "UnknownCA",
        message,
    })
}

/// A request over the server's 4 MiB message limit.
pub async fn message_too_large() -> anyhow::Result<Observed> {
    let (addr, server) = serve(Greeter, None).await?;
    let mut client = GreeterServiceClient::connect(format!("http://{addr}")).await?;
    let name = "x".repeat(5 * 1024 * 1024);
    let status = client
        .say_hello(SayHelloRequest { name })
        .await
        .err()
        .context("a 5 MiB request went through")?;
    server.abort();
    Ok(Observed {
        key: "OUT_OF_RANGE",
        message: format!("code: {:?}, message: {:?}", status.code(), status.message()),
    })
}

/// A second server started on a port the first one holds: what
/// `cargo run -p <lesson> -- server` says when 50051 is taken.
pub async fn address_in_use() -> anyhow::Result<Observed> {
    let first = TcpListener::bind("127.0.0.1:0").await?;
    let addr = first.local_addr()?;
    let error = lesson_kit::server::bind(addr)
        .await
        .err()
        .context("bound a port that was already taken")?;
    Ok(Observed {
        key: "Address already in use",
        message: normalise_port(&format!("error: {error:#}"), addr.port()),
    })
}

/// prost-build without a `protoc` to run: the message of a build script that does
/// not use `protoc-bin-vendored` on a machine without protoc.
pub fn protoc_not_found(proto_root: &Path) -> anyhow::Result<Observed> {
    let out = std::env::temp_dir().join(format!("troubleshooting-protoc-{}", std::process::id()));
    std::fs::create_dir_all(&out)?;
    let mut config = prost_build::Config::new();
    config.protoc_executable("protoc-that-is-not-installed");
    let outcome = tonic_prost_build::configure()
        .out_dir(&out)
        .compile_with_config(
            config,
            &[proto_root.join("tutorial/helloworld/v1/helloworld.proto")],
            &[proto_root.to_path_buf()],
        );
    let _ = std::fs::remove_dir_all(&out);
    let Err(error) = outcome else {
        bail!("compiled without protoc");
    };
    Ok(Observed {
        key: "Could not find `protoc`",
        message: error.to_string(),
    })
}

/// A status as `{code}: {message}`, then every source error under it, one per line:
/// tonic's message is often just `transport error`, and the reason is underneath.
fn with_sources(status: &Status) -> String {
    let mut text = format!("code: {:?}, message: {:?}", status.code(), status.message());
    let mut source = std::error::Error::source(status);
    while let Some(error) = source {
        text.push_str(&format!("\ncaused by: {error}"));
        source = error.source();
    }
    text
}

async fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    Ok(listener.local_addr()?.port())
}

/// The tutorial's Python client run next to the stubs `grpc_tools.protoc`
/// generated from the proto root: the generated `_grpc` module imports its
/// messages by package path. Needs Python 3 (the interop suite's virtualenv is
/// created on first use).
pub fn python_import_trap(repo: &Path) -> anyhow::Result<Observed> {
    let script = repo.join("crates/suites/troubleshooting/py/import_trap.py");
    let output = std::process::Command::new("python3")
        .arg(&script)
        .output()
        .context("cannot run python3")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::to_owned)
    };
    let (Some(trap), Some(fixed)) = (field("TRAP: "), field("FIXED: ")) else {
        bail!(
            "{} failed: {}{}",
            script.display(),
            stdout,
            String::from_utf8_lossy(&output.stderr)
        );
    };
    if fixed != "ok" {
        bail!("PYTHONPATH did not fix the import: {fixed}");
    }
    Ok(Observed {
        key: "ModuleNotFoundError",
        message: trap,
    })
}
