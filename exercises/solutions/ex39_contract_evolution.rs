//! Exercise 39, the reference solution: `times` takes a number no version has used.
//!
//! These are the structs `tonic-prost-build` would generate from version 2's
//! `.proto`, written with prost's derive so the whole contract is on this page.

use prost_types::DescriptorProto;

// ANCHOR: messages
/// Version 2 of the request.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SayHelloRequest {
    #[prost(string, tag = "1")]
    pub name: String,
    /// New in version 2: how many greetings (0 means one).
    // Not 2: version 1 clients still send their nickname there (a `.proto` says
    // `reserved 2; reserved "nickname";` so nobody reuses it).
    #[prost(uint32, tag = "3")]
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

// ANCHOR: check
/// What `buf breaking` would report between two versions of one message, under
/// its wire rules: a number that now means another type (`FIELD_SAME_TYPE`), and
/// a field gone without its number reserved
/// (`FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED`).
pub fn breaking_changes(old: &DescriptorProto, new: &DescriptorProto) -> Vec<String> {
    let mut problems = Vec::new();
    for was in &old.field {
        let number = was.number();
        match new.field.iter().find(|now| now.number() == number) {
            Some(now) if now.r#type() != was.r#type() => problems.push(format!(
                "field {number} changed type from {:?} to {:?}",
                was.r#type(),
                now.r#type()
            )),
            Some(_) => {}
            None => {
                // A reserved range's end is exclusive.
                let reserved = new
                    .reserved_range
                    .iter()
                    .any(|range| (range.start()..range.end()).contains(&number));
                if !reserved {
                    problems.push(format!(
                        "field {number} ({}) was deleted without `reserved {number};`",
                        was.name()
                    ));
                }
            }
        }
    }
    problems
}
// ANCHOR_END: check
