//! Exercise 37: one port for gRPC, gRPC-Web and plain HTTP, callable from a web
//! page on another origin (chapter 5, gRPC from a web page).
//!
//! tonic's `Routes` is an axum router (`into_axum_router`), so gRPC services and
//! ordinary routes merge into one. `tonic_web::GrpcWebLayer` translates gRPC-Web
//! for the gRPC services, and `tower_http::cors::CorsLayer` answers the browser's
//! preflight. Where each layer goes decides what still works.

use axum::Router;
use axum::http::HeaderValue;
use tonic::service::Routes;

/// One router for the whole port.
///
/// - `grpc` answers gRPC (HTTP/2) and, through `GrpcWebLayer`, gRPC-Web (HTTP/1.1 too);
/// - `web` (plain HTTP routes, such as `GET /v1/hello/{name}`) keeps answering HTTP/1.1;
/// - pages from `allowed_origins` may call it, any other origin may not; their
///   requests may send `content-type`, `x-grpc-web` and `x-user-agent`, and they
///   may read `grpc-status` and `grpc-message` from the answer.
pub fn one_port(grpc: Routes, web: Router, allowed_origins: Vec<HeaderValue>) -> Router {
    // TODO: grpc.into_axum_router() with GrpcWebLayer, merged with `web`, and a
    // CorsLayer (AllowOrigin::list, allow_headers, expose_headers) on everything.
    todo!("compose the gRPC routes, the web routes and CORS")
}
