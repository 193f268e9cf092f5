//! grpc's interop contract: package `grpc.testing`, services `TestService` and
//! `UnimplementedService`, as every gRPC implementation's interop tests speak it.

/// The generated `grpc.testing` package.
pub mod grpc_testing {
    tonic::include_proto!("grpc.testing");
}
