//! Each change, tried over real sockets: a client built from the old contract
//! calls a server built from the new one (servers on 127.0.0.1 port 0).

use contract_evolution::contracts::v1_1;
use contract_evolution::{Change, try_change};
use helloworld_proto::v1;
use prost::Message;

async fn lines(change: Change) -> Vec<String> {
    try_change(change, "Jack")
        .await
        .expect("the servers start and the calls end")
}

#[tokio::test]
async fn a_v1_client_is_answered_by_a_v1_1_server() {
    assert_eq!(
        lines(Change::NewFields).await,
        ["v1 client -> v1.1 server: Ok(\"Hello, Jack!\")"]
    );
}

#[tokio::test]
async fn a_new_enum_value_arrives_as_a_number_the_old_client_has_no_name_for() {
    assert_eq!(
        lines(Change::NewEnumValue).await,
        ["v1.1 client -> v1.2 server: Ok(\"Hello, Jack!\"), tone 3 (no name in v1.1)"]
    );
}

#[tokio::test]
async fn a_new_method_is_unimplemented_on_an_old_server() {
    assert_eq!(
        lines(Change::NewMethod).await,
        [
            "v1.1 client -> v1.1 server, SayGoodbye: Ok(\"Goodbye, Jack!\")",
            "v1.1 client -> v1 server, SayGoodbye: Err(Unimplemented)",
        ]
    );
}

#[tokio::test]
async fn a_v1_service_in_the_middle_drops_the_new_fields_both_ways() {
    assert_eq!(
        lines(Change::ThroughOldService).await,
        [
            "v1.1 client -> v1.1 server, tone WARM: Ok(\"Hello, dear Jack!\"), tone 2 (TONE_WARM)",
            // The request's WARM and the response's PLAIN both lost at the relay.
            "v1.1 client -> v1 relay -> v1.1 server, tone WARM: Ok(\"Hello, Jack!\"), tone 0 (TONE_UNSPECIFIED)",
        ]
    );
}

#[test]
fn prost_drops_unknown_fields_when_it_decodes() {
    let sent = v1_1::SayHelloRequest {
        name: "Jack".into(),
        tone: v1_1::Tone::Warm.into(),
    }
    .encode_to_vec();
    let as_v1 = v1::SayHelloRequest::decode(sent.as_slice()).expect("v1 decodes a v1.1 request");
    let passed_on = as_v1.encode_to_vec();
    // Field 2 (tag 0x10, then the value 2) is gone from what v1 encodes again.
    assert_eq!(sent, [passed_on.as_slice(), &[0x10, 2]].concat());
    assert_eq!(
        v1_1::SayHelloRequest::decode(passed_on.as_slice())
            .unwrap()
            .tone(),
        v1_1::Tone::Unspecified
    );
}

#[tokio::test]
async fn a_renumbered_field_arrives_empty() {
    assert_eq!(
        lines(Change::Renumbered).await,
        ["v1 client -> renumbered server: Ok(\"Hello, !\")"]
    );
}

#[tokio::test]
async fn a_string_retyped_as_a_message_arrives_garbled() {
    // The Greeting's own encoding (field 1, length 12) read as the string's bytes.
    assert_eq!(
        lines(Change::Retyped).await,
        ["v1 client -> retyped server: Ok(\"\\n\\u{c}Hello, Jack!\")"]
    );
}

#[tokio::test]
async fn a_unary_client_keeps_only_the_first_message_of_a_stream() {
    assert_eq!(
        lines(Change::Streaming).await,
        ["v1 client -> streaming server: Ok(\"Hello, Jack! (1 of 3)\")"]
    );
}

#[tokio::test]
async fn a_renamed_package_is_unimplemented() {
    assert_eq!(
        lines(Change::Renamed).await,
        ["v1 client -> renamed server: Err(Unimplemented)"]
    );
}
