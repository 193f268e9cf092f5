//! Exercise 37, a fake answer: everything right but where `GrpcWebLayer` goes:
//! around the whole router, so the plain HTTP routes answer HTTP/1.1 with 400.
//! fails: a_web_route_answers_over_http1

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method};
use tonic::service::Routes;
use tonic_web::GrpcWebLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub fn one_port(grpc: Routes, web: Router, allowed_origins: Vec<HeaderValue>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed_origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            HeaderName::from_static("content-type"),
            HeaderName::from_static("x-grpc-web"),
            HeaderName::from_static("x-user-agent"),
        ])
        .expose_headers([
            HeaderName::from_static("grpc-status"),
            HeaderName::from_static("grpc-message"),
        ]);
    grpc.into_axum_router()
        .merge(web)
        .layer(GrpcWebLayer::new())
        .layer(cors)
}
