//! A property test: instead of three hand-picked names, proptest tries hundreds of
//! generated ones (and shrinks a failure to the smallest name that fails), checking
//! what must hold for every input: no panic, only OK or INVALID_ARGUMENT, and the
//! greeting holds the trimmed name exactly.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use proptest::prelude::*;
use service_testing::{Greeter, MAX_NAME_CHARS};
use tonic::{Code, Request};

/// Calls the handler directly on a small runtime of its own (proptest's cases are sync).
fn say_hello(name: &str) -> Result<String, tonic::Status> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let request = Request::new(SayHelloRequest { name: name.into() });
    runtime
        .block_on(Greeter.say_hello(request))
        .map(|response| response.into_inner().message)
}

proptest! {
    #[test]
    fn any_name_is_greeted_or_refused_as_invalid(name in any::<String>()) {
        let trimmed = name.trim();
        match say_hello(&name) {
            Ok(message) => {
                prop_assert_eq!(message, format!("Hello, {trimmed}!"));
                prop_assert!(!trimmed.is_empty());
                prop_assert!(trimmed.chars().count() <= MAX_NAME_CHARS);
            }
            Err(status) => {
                prop_assert_eq!(status.code(), Code::InvalidArgument);
                prop_assert!(trimmed.is_empty() || trimmed.chars().count() > MAX_NAME_CHARS);
            }
        }
    }

    #[test]
    fn every_name_within_the_limit_is_greeted(name in "[a-zA-Z\u{4e00}-\u{9fa5}]{1,100}") {
        prop_assert_eq!(say_hello(&name).unwrap(), format!("Hello, {name}!"));
    }

    #[test]
    fn every_name_past_the_limit_is_refused(extra in 1usize..50) {
        let name = "x".repeat(MAX_NAME_CHARS + extra);
        prop_assert_eq!(say_hello(&name).unwrap_err().code(), Code::InvalidArgument);
    }
}
