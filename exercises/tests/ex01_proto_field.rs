//! Exercise 1: the server's schema, read back through reflection, has the new field.

use grpc_exercises::ex01_proto_field::FILE_DESCRIPTOR_SET;
use grpc_exercises::support::{self, reflection, within};
use prost_types::field_descriptor_proto::Type;
use prost_types::{DescriptorProto, FieldDescriptorProto};
use tonic::transport::Server;

/// Serves reflection over the exercise's schema and fetches `SayHelloRequest`.
async fn served_request_message() -> DescriptorProto {
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .build_v1()
        .expect("a valid descriptor set");
    let server = support::serve(Server::builder().add_service(reflection)).await;
    let file = reflection::file_containing(
        support::connect(&server).await,
        "workshop.ex01.SayHelloRequest",
    )
    .await
    .expect("reflection knows SayHelloRequest");
    file.message_type
        .into_iter()
        .find(|m| m.name() == "SayHelloRequest")
        .expect("SayHelloRequest is declared")
}

fn field<'a>(message: &'a DescriptorProto, name: &str) -> Option<&'a FieldDescriptorProto> {
    message.field.iter().find(|f| f.name() == name)
}

#[tokio::test]
async fn say_hello_request_has_a_language_field() {
    within(async {
        let message = served_request_message().await;
        let language =
            field(&message, "language").expect("SayHelloRequest has no `language` field yet");
        assert_eq!(language.number(), 2, "`language` must be field number 2");
        assert_eq!(
            language.r#type(),
            Type::String,
            "`language` must be a string"
        );
    })
    .await
}

#[tokio::test]
async fn name_keeps_its_number() {
    within(async {
        let message = served_request_message().await;
        let name = field(&message, "name").expect("`name` must stay");
        assert_eq!(name.number(), 1, "renumbering `name` breaks old clients");
    })
    .await
}
