//! Exercise 39 (fix the bug): a new field that breaks old clients (beyond the
//! tutorial, evolving a contract).
//!
//! Version 1 of this request was `{ string name = 1; string nickname = 2; }`.
//! Version 2 dropped `nickname` and added `times`, how many greetings to send
//! back. Clients built from version 1 are still out there, and they still send a
//! nickname: the server built from version 2 must answer them too. Then write
//! the check that catches such a change before it ships: [`breaking_changes`].
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
    // FIX: version 1 clients still fill field 2 with their nickname.
    #[prost(uint32, tag = "2")]
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
/// (`FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED`). One line per problem; none means
/// old and new clients and servers still understand each other.
pub fn breaking_changes(old: &DescriptorProto, new: &DescriptorProto) -> Vec<String> {
    // TODO: compare every field `old` had with the field `new` has under its number.
    todo!("list the breaking changes")
}
// ANCHOR_END: check
