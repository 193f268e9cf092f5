//! Exercise 39, a fake answer: the numbers swapped, `times` on 1 and `name` on 2,
//! so field 2 is off `times` but version 1's name is not where it was; and a check
//! that catches a retyped number but lets a deleted field go.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: a_version_1_client_sending_a_nickname_is_answered version_1_and_2_agree_on_the_name a_field_deleted_without_reserving_its_number_is_breaking
//!
//! These are the structs `tonic-prost-build` would generate from version 2's
//! `.proto`, written with prost's derive so the whole contract is on this page.

use prost_types::DescriptorProto;

// ANCHOR: messages
/// Version 2 of the request.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SayHelloRequest {
    #[prost(string, tag = "2")]
    pub name: String,
    /// New in version 2: how many greetings (0 means one).
    #[prost(uint32, tag = "1")]
    pub times: u32,
}
// ANCHOR_END: messages

/// The response, unchanged since version 1.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SayHelloResponse {
    #[prost(string, tag = "1")]
    pub message: String,
}

/// The version 2 greeter: `times` greetings, at least one.
pub fn greet(request: &SayHelloRequest) -> SayHelloResponse {
    let greeting = format!("Hello, {}!", request.name);
    let message = vec![greeting; request.times.max(1) as usize].join(" ");
    SayHelloResponse { message }
}

/// Half a check: it catches a number retyped and lets a deleted field go.
pub fn breaking_changes(old: &DescriptorProto, new: &DescriptorProto) -> Vec<String> {
    let mut problems = Vec::new();
    for was in &old.field {
        for now in new.field.iter().filter(|now| now.number() == was.number()) {
            if now.r#type() != was.r#type() {
                problems.push(format!("field {} changed type", was.number()));
            }
        }
    }
    problems
}
