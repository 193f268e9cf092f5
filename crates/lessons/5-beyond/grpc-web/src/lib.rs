//! Beyond the tutorial: the greeter called from a web page, and one port for
//! gRPC, gRPC-Web and JSON.
//!
//! - [`greeter`]: the tutorial's v1 (unary) and v2 (server-streaming) greeters.
//! - [`app`]: one axum router: tonic's `Routes` with `GrpcWebLayer`, `GET
//!   /v1/hello/{name}`, the web page, and CORS from `tower-http`.
//! - [`server`]: serving it with `accept_http1(true)`: HTTP/1.1 and h2c on one port.
//! - [`client`]: the demo's calls: gRPC (h2c), gRPC-Web (HTTP/1.1), JSON, a preflight.
//!
//! The page (`web/index.html`, its client `web/src/app.ts`) is bundled by
//! `web/build` into `target/grpc-web/dist/app.js`; the server reads it from `--web-dir`.

pub mod app;
pub mod client;
pub mod greeter;
pub mod server;

use anyhow::Context;
use lesson_kit::{Console, Lesson, ShutdownSignal};
use std::path::PathBuf;

pub use app::{AppConfig, app};

/// The web page's HTML; its script is served from `--web-dir`.
pub const PAGE: &str = include_str!("../web/index.html");

/// Where `web/build` writes the bundle, relative to the workspace root.
pub const DEFAULT_WEB_DIR: &str = "target/grpc-web/dist";

/// The grpc-web lesson; see the crate docs.
#[derive(Debug)]
pub struct GrpcWeb;

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// An origin whose pages may call this server (repeat for more); others are refused.
    #[arg(long = "allow-origin", default_value = "http://localhost:5173")]
    pub allowed_origins: Vec<String>,
    /// Greetings per v2 stream.
    #[arg(long, default_value_t = 5)]
    pub messages: u32,
    /// Pause before each streamed greeting.
    #[arg(long, default_value = "500ms")]
    pub every: humantime::Duration,
    /// The folder holding the page's bundled `app.js`.
    #[arg(long, default_value = DEFAULT_WEB_DIR)]
    pub web_dir: PathBuf,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// The name to greet.
    #[arg(long, default_value = "Jack")]
    pub name: String,
    /// An origin the server allows, for the first preflight.
    #[arg(long, default_value = "http://localhost:5173")]
    pub origin: String,
    /// An origin it does not, for the second.
    #[arg(long, default_value = "http://evil.example")]
    pub foreign_origin: String,
}

impl ServerFlags {
    /// The router these flags describe.
    pub fn config(&self) -> anyhow::Result<AppConfig> {
        let allowed_origins = self
            .allowed_origins
            .iter()
            .map(|origin| {
                origin
                    .parse()
                    .with_context(|| format!("bad origin {origin:?}"))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(AppConfig {
            allowed_origins,
            stream_count: self.messages,
            stream_every: self.every.into(),
            page: PAGE,
            script_dir: self.web_dir.clone(),
        })
    }
}

impl Lesson for GrpcWeb {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        // The page is at `/` on this port; a varying port is what check-docs masks.
        lesson_kit::server::announce(&listener, &console);
        server::serve(listener, app(flags.config()?), shutdown.wait()).await?;
        Ok(())
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let name = &flags.name;
        let outcome = |result: Result<String, tonic::Status>| match result {
            Ok(message) => format!("Greeter client received: {message}"),
            Err(status) => format!("status {:?}: {}", status.code(), status.message()),
        };
        console.line(format!(
            "gRPC over h2c: {}",
            outcome(client::grpc_hello(&url, name).await)
        ));
        for message in client::grpc_stream(&url, name).await? {
            console.line(format!("gRPC stream: Greeter client received: {message}"));
        }
        console.line(format!(
            "gRPC-Web over HTTP/1.1: {}",
            outcome(client::grpc_web_hello(&url, name).await)
        ));
        console.line(format!(
            "gRPC-Web, empty name: {}",
            outcome(client::grpc_web_hello(&url, "").await)
        ));
        let json = client::json_hello(&url, name).await?;
        console.line(format!(
            "GET /v1/hello/{name}: {} {}",
            json.status, json.body
        ));
        for origin in [&flags.origin, &flags.foreign_origin] {
            let answer = client::preflight(&url, origin).await?;
            let verdict = match answer.header("access-control-allow-origin") {
                Some(allowed) => format!("allowed (access-control-allow-origin: {allowed})"),
                None => "refused (no access-control-allow-origin)".to_owned(),
            };
            console.line(format!("CORS preflight from {origin}: {verdict}"));
        }
        Ok(())
    }
}
