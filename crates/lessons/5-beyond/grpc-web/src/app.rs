//! One router for everything the port answers: the two gRPC services (also as
//! gRPC-Web), a JSON route, and the web page that calls them.

use std::path::PathBuf;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::{v1, v2};
use tonic::service::Routes;
use tonic_web::GrpcWebLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::greeter::{Greeter, StreamingGreeter};

/// What the router needs to know.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Origins (`http://host:port`) whose pages may call this server; any other is refused.
    pub allowed_origins: Vec<HeaderValue>,
    /// Greetings per v2 stream, and the pause before each.
    pub stream_count: u32,
    pub stream_every: Duration,
    /// The web page: its HTML and the folder holding its bundled script (`app.js`).
    pub page: &'static str,
    pub script_dir: PathBuf,
}

/// The whole server as one axum router.
pub fn app(config: AppConfig) -> axum::Router {
    let streaming = StreamingGreeter {
        count: config.stream_count,
        every: config.stream_every,
    };
    // gRPC and gRPC-Web: tonic's routes, with the translation layer on them only
    // (it answers 400 to any other HTTP/1.1 request, so it must not wrap the rest).
    let grpc = Routes::new(GreeterServiceServer::new(Greeter))
        .add_service(v2::greeter_service_server::GreeterServiceServer::new(
            streaming,
        ))
        .into_axum_router()
        .layer(GrpcWebLayer::new());
    let web = axum::Router::new()
        .route("/v1/hello/{name}", get(hello_json))
        .route("/", get(move || async move { Html(config.page) }))
        .route("/app.js", get(script).with_state(config.script_dir));
    grpc.merge(web).layer(cors(config.allowed_origins))
}

/// CORS for gRPC-Web: the headers its requests send and the trailers-as-headers it reads.
fn cors(allowed_origins: Vec<HeaderValue>) -> CorsLayer {
    let names = |list: &[&'static str]| {
        list.iter()
            .map(|n| HeaderName::from_static(n))
            .collect::<Vec<_>>()
    };
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed_origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers(names(&[
            "content-type",
            "x-grpc-web",
            "x-user-agent",
            "grpc-timeout",
            "connect-protocol-version",
        ]))
        .expose_headers(names(&[
            "grpc-status",
            "grpc-message",
            "grpc-status-details-bin",
        ]))
        .max_age(Duration::from_secs(600))
}

#[derive(serde::Serialize)]
struct Greeting {
    message: String,
}

/// `GET /v1/hello/{name}`: the same greeter, answered as JSON.
async fn hello_json(Path(name): Path<String>) -> Response {
    let request = tonic::Request::new(v1::SayHelloRequest { name });
    match Greeter.say_hello(request).await {
        Ok(reply) => Json(Greeting {
            message: reply.into_inner().message,
        })
        .into_response(),
        Err(status) => (StatusCode::BAD_REQUEST, status.message().to_owned()).into_response(),
    }
}

/// The page's bundled client, read from disk so a rebuilt bundle needs no restart.
async fn script(State(dir): State<PathBuf>) -> Response {
    let path = dir.join("app.js");
    let read = tokio::task::spawn_blocking(move || std::fs::read(path)).await;
    match read.unwrap_or_else(|joined| Err(std::io::Error::other(joined))) {
        Ok(js) => ([(header::CONTENT_TYPE, "text/javascript")], js).into_response(),
        Err(error) => (
            StatusCode::NOT_FOUND,
            format!("no app.js in {}: {error}", dir.display()),
        )
            .into_response(),
    }
}
