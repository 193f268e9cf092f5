//! A tiny server-reflection client: what `grpcurl list` and `grpcurl describe` do.
//!
//! Two exercises check a server's *schema* rather than its answers (exercise 1's new
//! field, exercise 28's reflection service), and both ask over the socket, as a
//! real tool would, instead of peeking at Rust values.

use prost::Message;
use prost_types::FileDescriptorProto;
use tonic::transport::Channel;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

/// Sends one reflection request and returns the one answer.
async fn ask(channel: Channel, request: MessageRequest) -> Result<MessageResponse, tonic::Status> {
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(request),
    };
    let mut answers = ServerReflectionClient::new(channel)
        .server_reflection_info(tokio_stream::once(request))
        .await?
        .into_inner();
    let answer = answers
        .message()
        .await?
        .ok_or_else(|| tonic::Status::internal("reflection closed without an answer"))?;
    answer
        .message_response
        .ok_or_else(|| tonic::Status::internal("reflection answer without a body"))
}

/// The full names of the services the server offers (`grpcurl list`).
pub async fn list_services(channel: Channel) -> Result<Vec<String>, tonic::Status> {
    match ask(channel, MessageRequest::ListServices(String::new())).await? {
        MessageResponse::ListServicesResponse(list) => {
            Ok(list.service.into_iter().map(|s| s.name).collect())
        }
        other => Err(tonic::Status::internal(format!(
            "unexpected answer {other:?}"
        ))),
    }
}

/// The `.proto` file that declares `symbol` (`grpcurl describe <symbol>`).
pub async fn file_containing(
    channel: Channel,
    symbol: &str,
) -> Result<FileDescriptorProto, tonic::Status> {
    match ask(
        channel,
        MessageRequest::FileContainingSymbol(symbol.to_owned()),
    )
    .await?
    {
        MessageResponse::FileDescriptorResponse(files) => {
            let first = files
                .file_descriptor_proto
                .first()
                .ok_or_else(|| tonic::Status::not_found(symbol.to_owned()))?;
            FileDescriptorProto::decode(first.as_slice())
                .map_err(|e| tonic::Status::internal(e.to_string()))
        }
        other => Err(tonic::Status::internal(format!(
            "unexpected answer {other:?}"
        ))),
    }
}
