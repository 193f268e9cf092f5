//! The benchmark's roofline: unary `SayHello` served by bare hyper HTTP/2.
//!
//! tonic is a gRPC layer (routing, codecs, status handling, tower services) on top
//! of hyper. To see what that layer costs, this server answers the very same POST
//! with the very same bytes (headers, one length-prefixed message, `grpc-status: 0`
//! trailers) using hyper alone and a hand-written protobuf encoder ([`wire`]).
//! Nothing can answer that request on this stack much faster, so the ratio
//! "tonic server / roofline" says how close to the ceiling the lessons get.
//! The integration test proves the bytes equal a tonic server's.

pub mod body;
pub mod wire;

use std::convert::Infallible;

use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http2;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpListener;

pub use body::UnaryBody;

/// The one path answered: the tutorial's unary method.
pub const SAY_HELLO_PATH: &str = "/tutorial.helloworld.v1.GreeterService/SayHello";

/// Accepts connections forever, serving each on its own task, as tonic does.
///
/// The HTTP/2 settings are the ones tonic's defaults give hyper (a timer, no
/// stream limit), and `TCP_NODELAY` is on, as in `lesson_kit::server::incoming`.
pub async fn serve(listener: TcpListener) -> anyhow::Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        tokio::spawn(async move {
            let served = http2::Builder::new(TokioExecutor::new())
                .timer(TokioTimer::new())
                .max_concurrent_streams(None)
                .serve_connection(TokioIo::new(stream), service_fn(answer))
                .await;
            if let Err(error) = served {
                log_connection_error(&error);
            }
        });
    }
}

/// Answers one request: `Hello, <name>!` with `grpc-status: 0`, or a gRPC error
/// status (12 unknown method, 13 malformed message) in the trailers.
pub async fn answer(request: Request<Incoming>) -> Result<Response<UnaryBody>, Infallible> {
    let known = request.uri().path() == SAY_HELLO_PATH;
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Default::default(),
    };
    let (data, status) = match wire::request_name(&body) {
        Some(name) if known => (Some(wire::hello_response(name)), "0"),
        _ if !known => (None, "12"),
        _ => (None, "13"),
    };
    let mut trailers = HeaderMap::with_capacity(1);
    trailers.insert("grpc-status", HeaderValue::from_static(status));
    let mut response = Response::new(UnaryBody::new(data, trailers));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/grpc"));
    Ok(response)
}

/// Connection errors (a load generator hanging up) are normal at the end of a run;
/// they go to stderr only when `ROOFLINE_DEBUG` is set, keeping the hot path quiet.
fn log_connection_error(error: &hyper::Error) {
    if std::env::var_os("ROOFLINE_DEBUG").is_some() {
        eprintln!("connection ended: {error}");
    }
}
