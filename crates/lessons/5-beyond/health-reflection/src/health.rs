// ANCHOR: head
//! `grpc.health.v1.Health`: the server side flips a status, clients check or watch it.
//!
//! tonic-health keeps one status per service name (plus `""` for the whole server,
//! always `SERVING` here). `Check` answers with the current status (`NOT_FOUND` for a
//! name it never heard of); `Watch` streams the current status and then every change,
//! which is how a load balancer learns at once that an instance is draining.

use tonic::transport::Channel;
use tonic_health::ServingStatus;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus as WireStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::server::HealthReporter;

/// The service name health checkers ask about (the gRPC path prefix).
pub const GREETER: &str = helloworld_proto::v1::greeter_service_server::SERVICE_NAME;
// ANCHOR_END: head

// ANCHOR: set_status
/// Reports the greeter as `SERVING` or `NOT_SERVING`; every `Watch` stream sees the change.
pub async fn set_greeter_serving(reporter: &HealthReporter, serving: bool) {
    let status = if serving {
        ServingStatus::Serving
    } else {
        ServingStatus::NotServing
    };
    reporter.set_service_status(GREETER, status).await;
}
// ANCHOR_END: set_status

// ANCHOR: check
/// One `Check` call: the status the server reports for `service` right now.
pub async fn check(channel: Channel, service: &str) -> Result<WireStatus, tonic::Status> {
    let request = HealthCheckRequest {
        service: service.to_owned(),
    };
    let response = HealthClient::new(channel).check(request).await?;
    Ok(response.into_inner().status())
}
// ANCHOR_END: check

// ANCHOR: watch
/// Opens a `Watch` stream and hands `on_status` the first status and the next `changes` changes.
pub async fn watch(
    channel: Channel,
    service: &str,
    changes: usize,
    mut on_status: impl FnMut(WireStatus),
) -> Result<Vec<WireStatus>, tonic::Status> {
    let request = HealthCheckRequest {
        service: service.to_owned(),
    };
    let mut stream = HealthClient::new(channel)
        .watch(request)
        .await?
        .into_inner();
    let mut seen = Vec::new();
    while seen.len() <= changes {
        let Some(update) = stream.message().await? else {
            break;
        };
        on_status(update.status());
        seen.push(update.status());
    }
    Ok(seen)
}
// ANCHOR_END: watch
