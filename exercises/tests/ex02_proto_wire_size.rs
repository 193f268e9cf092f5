//! Exercise 2: the predicted sizes match what prost actually writes.

use grpc_exercises::ex02_proto_wire_size::{JACK_BYTES, LONG_NAME_BYTES, RESPONSE_BYTES};
use prost::Message;

/// Encodes `message` and checks `predicted` against its real size. A miss says
/// only "not yet": the real size is for you to work out, not to copy.
fn check(what: &str, predicted: usize, message: &impl Message) {
    let bytes = message.encode_to_vec();
    assert!(
        predicted == bytes.len(),
        "not yet: {what} is not {predicted} bytes"
    );
}

#[test]
fn a_short_name() {
    let request = helloworld_proto::v1::SayHelloRequest {
        name: "Jack".to_owned(),
    };
    check("SayHelloRequest { name: \"Jack\" }", JACK_BYTES, &request);
}

#[test]
fn a_long_name() {
    let request = helloworld_proto::v1::SayHelloRequest {
        name: "a".repeat(200),
    };
    check("a 200-character name", LONG_NAME_BYTES, &request);
}

#[test]
fn a_response_with_a_count() {
    let response = helloworld_proto::v4::SayHelloResponse {
        message: "Hi".to_owned(),
        greeted_count: 300,
    };
    check(
        "SayHelloResponse { \"Hi\", 300 }",
        RESPONSE_BYTES,
        &response,
    );
}
