//! Exercise 39: a server built from version 2 of the request answers clients
//! built from version 1 (which still send a nickname in field 2) and from version 2;
//! and `breaking_changes` reports what `buf breaking`'s wire rules would.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use grpc_exercises::ex39_contract_evolution::{
    SayHelloRequest, SayHelloResponse, breaking_changes, greet,
};
use grpc_exercises::support::{self, within};
use prost::Message;
use prost_types::descriptor_proto::ReservedRange;
use prost_types::field_descriptor_proto::Type;
use prost_types::{DescriptorProto, FieldDescriptorProto};
use tonic::codegen::http::uri::PathAndQuery;
use tonic::codegen::{Service, http};
use tonic::server::{NamedService, UnaryService};
use tonic::transport::{Channel, Server};
use tonic::{Request, Response, Status};
use tonic_prost::ProstCodec;

/// Version 1 of the request, as its clients still encode it.
#[derive(Clone, PartialEq, prost::Message)]
struct SayHelloRequestV1 {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(string, tag = "2")]
    nickname: String,
}

const SAY_HELLO: &str = "/tutorial.helloworld.v1.GreeterService/SayHello";

/// The version 2 server: decodes the exercise's request and answers with `greet`
/// (what tonic's generated server does, written out for hand-derived messages).
#[derive(Clone)]
struct GreeterV2;

impl NamedService for GreeterV2 {
    const NAME: &'static str = "tutorial.helloworld.v1.GreeterService";
}

struct SayHello;

impl UnaryService<SayHelloRequest> for SayHello {
    type Response = SayHelloResponse;
    type Future = std::future::Ready<Result<Response<SayHelloResponse>, Status>>;

    fn call(&mut self, request: Request<SayHelloRequest>) -> Self::Future {
        std::future::ready(Ok(Response::new(greet(request.get_ref()))))
    }
}

impl Service<http::Request<tonic::body::Body>> for GreeterV2 {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        Box::pin(async move {
            if request.uri().path() != SAY_HELLO {
                return Ok(Status::unimplemented("").into_http());
            }
            let mut grpc = tonic::server::Grpc::new(
                ProstCodec::<SayHelloResponse, SayHelloRequest>::default(),
            );
            Ok(grpc.unary(SayHello, request).await)
        })
    }
}

/// One unary call with whatever request struct the client was built from.
async fn call<M: prost::Message + Send + Sync + 'static>(
    channel: Channel,
    request: M,
) -> Result<String, Status> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    let codec = ProstCodec::<M, SayHelloResponse>::default();
    let response = grpc
        .unary(
            Request::new(request),
            PathAndQuery::from_static(SAY_HELLO),
            codec,
        )
        .await?;
    Ok(response.into_inner().message)
}

#[tokio::test]
async fn a_version_1_client_sending_a_nickname_is_answered() {
    within(async {
        let server = support::serve(Server::builder().add_service(GreeterV2)).await;
        let old = SayHelloRequestV1 {
            name: "Jack".into(),
            nickname: "Jackie".into(),
        };
        let answer = call(support::connect(&server).await, old).await;
        assert_eq!(
            answer.as_deref().map_err(Status::message),
            Ok("Hello, Jack!"),
            "a version 1 client's request must still decode on the version 2 server"
        );
    })
    .await;
}

#[tokio::test]
async fn a_version_2_client_gets_as_many_greetings_as_it_asks_for() {
    within(async {
        let server = support::serve(Server::builder().add_service(GreeterV2)).await;
        let new = SayHelloRequest {
            name: "Jack".into(),
            times: 2,
        };
        let answer = call(support::connect(&server).await, new).await;
        assert_eq!(
            answer.as_deref().map_err(Status::message),
            Ok("Hello, Jack! Hello, Jack!")
        );
    })
    .await;
}

#[test]
fn version_1_and_2_agree_on_the_name() {
    let new = SayHelloRequest {
        name: "Jack".into(),
        times: 0,
    };
    let as_v1 = SayHelloRequestV1::decode(new.encode_to_vec().as_slice());
    assert_eq!(
        as_v1.map(|old| old.name).ok().as_deref(),
        Some("Jack"),
        "a version 1 server must find the name where version 1 put it"
    );
}

/// A message descriptor, as `protoc` would describe it: fields as (name, number,
/// type), and the numbers reserved as `[start, end)` ranges.
fn message(fields: &[(&str, i32, Type)], reserved: &[(i32, i32)]) -> DescriptorProto {
    DescriptorProto {
        name: Some("SayHelloRequest".into()),
        field: fields
            .iter()
            .map(|&(name, number, r#type)| FieldDescriptorProto {
                name: Some(name.into()),
                number: Some(number),
                r#type: Some(r#type as i32),
                ..Default::default()
            })
            .collect(),
        reserved_range: reserved
            .iter()
            .map(|&(start, end)| ReservedRange {
                start: Some(start),
                end: Some(end),
            })
            .collect(),
        ..Default::default()
    }
}

fn version_1() -> DescriptorProto {
    message(
        &[("name", 1, Type::String), ("nickname", 2, Type::String)],
        &[],
    )
}

#[test]
fn a_number_reused_for_another_type_is_breaking() {
    let shipped_bug = message(
        &[("name", 1, Type::String), ("times", 2, Type::Uint32)],
        &[],
    );
    let problems = breaking_changes(&version_1(), &shipped_bug);
    assert_eq!(
        problems.len(),
        1,
        "one problem, field 2 retyped: {problems:?}"
    );
    assert!(
        problems[0].contains('2'),
        "name the field's number: {problems:?}"
    );
}

#[test]
fn a_field_deleted_without_reserving_its_number_is_breaking() {
    let unreserved = message(
        &[("name", 1, Type::String), ("times", 3, Type::Uint32)],
        &[],
    );
    let problems = breaking_changes(&version_1(), &unreserved);
    assert_eq!(
        problems.len(),
        1,
        "one problem, field 2 deleted: {problems:?}"
    );
    assert!(
        problems[0].contains('2'),
        "name the field's number: {problems:?}"
    );
}

#[test]
fn the_fixed_contract_and_a_plain_addition_are_safe() {
    let fixed = message(
        &[("name", 1, Type::String), ("times", 3, Type::Uint32)],
        &[(2, 3)],
    );
    assert_eq!(breaking_changes(&version_1(), &fixed), Vec::<String>::new());
    let added = message(
        &[
            ("name", 1, Type::String),
            ("nickname", 2, Type::String),
            ("times", 3, Type::Uint32),
        ],
        &[],
    );
    assert_eq!(breaking_changes(&version_1(), &added), Vec::<String>::new());
}

#[test]
fn a_reserved_range_ends_before_its_end() {
    // `reserved 1;` is stored as [1, 2): it does not cover 2.
    let off_by_one = message(&[("name", 1, Type::String)], &[(1, 2)]);
    let problems = breaking_changes(&version_1(), &off_by_one);
    assert_eq!(
        problems.len(),
        1,
        "field 2 is deleted and not reserved: {problems:?}"
    );
}
