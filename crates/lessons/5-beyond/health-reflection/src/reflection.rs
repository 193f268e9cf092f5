// ANCHOR: part1
//! Server reflection: the schema, served, so tools need no `.proto` files.
//!
//! `grpcurl -plaintext localhost:50051 list` opens a `ServerReflectionInfo` stream and
//! asks `list_services`; `describe X` asks `file_containing_symbol` and decodes the
//! `FileDescriptorProto` bytes it gets back. We serve `grpc.reflection.v1` and the
//! older `v1alpha`: grpcurl before 1.9 (and many other tools) only speak `v1alpha`.

use prost::Message;
use prost_types::FileDescriptorProto;
use tokio_stream::StreamExt;
use tonic::transport::Channel;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
use tonic_reflection::pb::v1::{ServerReflectionRequest, ServerReflectionResponse};
use tonic_reflection::server::Builder;
// ANCHOR_END: part1

// ANCHOR: builder
/// What we advertise: only the services this server really serves.
///
/// `FILE_DESCRIPTOR_SET` holds all four helloworld packages, but this server only
/// runs v1; without `with_service_name` reflection would list v2..v4 too, and a
/// tool calling them would get `UNIMPLEMENTED`.
fn builder() -> Builder<'static> {
    Builder::configure()
        .register_encoded_file_descriptor_set(helloworld_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_reflection::pb::v1alpha::FILE_DESCRIPTOR_SET)
        .with_service_name(crate::health::GREETER)
        .with_service_name("grpc.health.v1.Health")
        .with_service_name("grpc.reflection.v1.ServerReflection")
        .with_service_name("grpc.reflection.v1alpha.ServerReflection")
}

/// `grpc.reflection.v1.ServerReflection`, the current version.
pub fn v1_service() -> Result<
    tonic_reflection::server::v1::ServerReflectionServer<
        impl tonic_reflection::server::v1::ServerReflection,
    >,
    tonic_reflection::server::Error,
> {
    builder().build_v1()
}

/// `grpc.reflection.v1alpha.ServerReflection`, for older tools.
pub fn v1alpha_service() -> Result<
    tonic_reflection::server::v1alpha::ServerReflectionServer<
        impl tonic_reflection::server::v1alpha::ServerReflection,
    >,
    tonic_reflection::server::Error,
> {
    builder().build_v1alpha()
}
// ANCHOR_END: builder

// ANCHOR: part2
/// One request on a fresh `ServerReflectionInfo` stream; its one answer.
///
/// Asks `grpc.reflection.v1` first and falls back to `v1alpha` when the server
/// does not know v1 (grpcio-reflection, older servers), as grpcurl does.
async fn ask(channel: Channel, request: MessageRequest) -> anyhow::Result<MessageResponse> {
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(request),
    };
    let answer = match ask_v1(channel.clone(), request.clone()).await {
        Err(status) if status.code() == tonic::Code::Unimplemented => {
            ask_v1alpha(channel, request).await?
        }
        other => other?,
    };
    match answer.message_response {
        Some(MessageResponse::ErrorResponse(error)) => Err(anyhow::anyhow!(
            "reflection error {}: {}",
            error.error_code,
            error.error_message
        )),
        Some(other) => Ok(other),
        None => Err(anyhow::anyhow!("empty reflection answer")),
    }
}

async fn ask_v1(
    channel: Channel,
    request: ServerReflectionRequest,
) -> Result<ServerReflectionResponse, tonic::Status> {
    let mut responses = ServerReflectionClient::new(channel)
        .server_reflection_info(tokio_stream::once(request))
        .await?
        .into_inner();
    responses.next().await.unwrap_or_else(|| {
        Err(tonic::Status::unknown(
            "reflection stream ended without an answer",
        ))
    })
}

/// The same question in `v1alpha`. The two versions differ only in their package
/// name, so their messages have identical bytes: re-encoding converts them.
async fn ask_v1alpha(
    channel: Channel,
    request: ServerReflectionRequest,
) -> anyhow::Result<ServerReflectionResponse> {
    use tonic_reflection::pb::v1alpha;
    let request = v1alpha::ServerReflectionRequest::decode(request.encode_to_vec().as_slice())?;
    let mut responses = v1alpha::server_reflection_client::ServerReflectionClient::new(channel)
        .server_reflection_info(tokio_stream::once(request))
        .await?
        .into_inner();
    let answer = responses
        .next()
        .await
        .ok_or_else(|| anyhow::anyhow!("reflection stream ended without an answer"))??;
    Ok(ServerReflectionResponse::decode(
        answer.encode_to_vec().as_slice(),
    )?)
}
// ANCHOR_END: part2

// ANCHOR: list
/// What `grpcurl list` prints: every service name the server advertises, sorted.
pub async fn list_services(channel: Channel) -> anyhow::Result<Vec<String>> {
    match ask(channel, MessageRequest::ListServices(String::new())).await? {
        MessageResponse::ListServicesResponse(list) => {
            let mut names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
            names.sort();
            Ok(names)
        }
        other => Err(anyhow::anyhow!("unexpected answer {other:?}")),
    }
}
// ANCHOR_END: list

// ANCHOR: part3
/// What `grpcurl describe SYMBOL` starts from: the file(s) defining `symbol`.
pub async fn file_containing_symbol(
    channel: Channel,
    symbol: &str,
) -> anyhow::Result<Vec<FileDescriptorProto>> {
    match ask(
        channel,
        MessageRequest::FileContainingSymbol(symbol.to_owned()),
    )
    .await?
    {
        MessageResponse::FileDescriptorResponse(files) => files
            .file_descriptor_proto
            .iter()
            .map(|bytes| Ok(FileDescriptorProto::decode(bytes.as_slice())?))
            .collect(),
        other => Err(anyhow::anyhow!("unexpected answer {other:?}")),
    }
}
// ANCHOR_END: part3
