//! Exercise 37, solved: `GrpcWebLayer` on the gRPC routes only (it answers 400
//! to any other HTTP/1.1 request), then the web routes, then CORS around both.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method};
use tonic::service::Routes;
use tonic_web::GrpcWebLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub fn one_port(grpc: Routes, web: Router, allowed_origins: Vec<HeaderValue>) -> Router {
    let grpc = grpc.into_axum_router().layer(GrpcWebLayer::new());
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed_origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            HeaderName::from_static("content-type"),
            HeaderName::from_static("x-grpc-web"),
            HeaderName::from_static("x-user-agent"),
            HeaderName::from_static("grpc-timeout"),
        ])
        .expose_headers([
            HeaderName::from_static("grpc-status"),
            HeaderName::from_static("grpc-message"),
        ]);
    grpc.merge(web).layer(cors)
}
