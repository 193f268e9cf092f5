//! Exercise 33: the policy decides (deny rules win), and the two refusals carry
//! the two codes, over a real server with the layer in front of it.

use std::sync::Arc;

use grpc_exercises::ex33_authorization::{
    AuthzLayer, Decision, Policy, Rule, Tokens, decide, refusal,
};
use grpc_exercises::support::reference::{random_name, random_word};
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::codegen::http::HeaderMap;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Endpoint, Server};
use tonic::{Code, Request};

const SAY_HELLO: &str = "/tutorial.helloworld.v1.GreeterService/SayHello";
const GREETER: &str = "/tutorial.helloworld.v1.GreeterService/*";

fn rule(principals: &[&str], paths: &[&str]) -> Rule {
    Rule {
        principals: principals.iter().map(|p| p.to_string()).collect(),
        paths: paths.iter().map(|p| p.to_string()).collect(),
    }
}

/// Names picked at random, so an answer cannot be written for them in advance.
struct Cast {
    alice: String,
    bob: String,
    mallory: String,
}

impl Cast {
    fn new() -> Self {
        Self {
            alice: random_name("alice"),
            bob: random_name("bob"),
            mallory: random_name("mallory"),
        }
    }

    /// Alice and Mallory may greet; Mallory is also denied everything, which wins.
    fn policy(&self) -> Policy {
        Policy {
            allow: vec![rule(&[&self.alice, &self.mallory], &[GREETER])],
            deny: vec![rule(&[&self.mallory], &[])],
        }
    }
}

#[test]
fn deny_rules_win_and_unmatched_calls_are_denied() {
    let cast = Cast::new();
    let policy = cast.policy();
    assert_eq!(
        decide(&policy, Some(&cast.alice), SAY_HELLO),
        Decision::Allow
    );
    assert_eq!(
        decide(&policy, Some(&cast.mallory), SAY_HELLO),
        Decision::Deny,
        "deny wins"
    );
    assert_eq!(
        decide(&policy, Some(&cast.bob), SAY_HELLO),
        Decision::Deny,
        "no allow rule"
    );
    assert_eq!(
        decide(&policy, None, SAY_HELLO),
        Decision::Deny,
        "anonymous"
    );
    let other = "/tutorial.helloworld.v1.OtherService/SayHello";
    assert_eq!(
        decide(&policy, Some(&cast.alice), other),
        Decision::Deny,
        "another service"
    );

    let open = Policy {
        allow: vec![rule(&[], &[SAY_HELLO])],
        deny: vec![],
    };
    assert_eq!(
        decide(&open, None, SAY_HELLO),
        Decision::Allow,
        "a rule for everyone"
    );
    assert_eq!(
        decide(&Policy::default(), Some(&cast.alice), SAY_HELLO),
        Decision::Deny
    );
}

#[test]
fn refusal_tells_unknown_callers_from_forbidden_ones() {
    let cast = Cast::new();
    let token = random_word();
    let tokens = Tokens(vec![(cast.bob.clone(), token.clone())]);
    let headers = |values: &[String]| {
        let mut map = HeaderMap::new();
        for value in values {
            map.append("authorization", value.parse().unwrap());
        }
        map
    };
    let code = |values: &[String]| {
        refusal(&cast.policy(), &tokens, &headers(values), SAY_HELLO).map(|s| s.code())
    };
    assert_eq!(
        code(&[format!("Bearer {token}")]),
        Some(Code::PermissionDenied)
    );
    assert_eq!(
        code(&[format!("Bearer {}", random_word())]),
        Some(Code::Unauthenticated)
    );
    assert_eq!(
        code(&[format!("Basic {token}")]),
        Some(Code::Unauthenticated)
    );
    assert_eq!(
        code(&[]),
        Some(Code::PermissionDenied),
        "anonymous, not allowed"
    );
    let open = Policy {
        allow: vec![rule(&[], &[SAY_HELLO])],
        deny: vec![],
    };
    assert!(refusal(&open, &tokens, &headers(&[]), SAY_HELLO).is_none());
}

#[tokio::test]
async fn over_a_real_server_each_caller_gets_its_code() {
    within(async {
        let cast = Cast::new();
        let [alice, bob, mallory] = [random_word(), random_word(), random_word()];
        let tokens = Tokens(vec![
            (cast.alice.clone(), alice.clone()),
            (cast.bob.clone(), bob.clone()),
            (cast.mallory.clone(), mallory.clone()),
        ]);
        let layer = AuthzLayer {
            policy: Arc::new(cast.policy()),
            tokens: Arc::new(tokens),
        };
        let listener = support::listen().await;
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(
            Server::builder()
                .layer(layer)
                .add_service(GreeterServiceServer::new(Hello))
                .serve_with_incoming(TcpIncoming::from(listener)),
        );
        let channel = Endpoint::from_shared(url).unwrap().connect().await.unwrap();
        let mut client = GreeterServiceClient::new(channel);

        let mut call = async |bearer: &[&str]| {
            let name = random_name("Jack");
            let mut request = Request::new(hello(&name));
            for token in bearer {
                let value = format!("Bearer {token}").parse().unwrap();
                request.metadata_mut().append("authorization", value);
            }
            match client.say_hello(request).await {
                Ok(reply) => {
                    assert_eq!(reply.into_inner().message, format!("Hello, {name}!"));
                    Code::Ok
                }
                Err(status) => status.code(),
            }
        };
        assert_eq!(call(&[&alice]).await, Code::Ok, "alice is allowed");
        assert_eq!(
            call(&[&bob]).await,
            Code::PermissionDenied,
            "bob: no allow rule"
        );
        assert_eq!(
            call(&[&mallory]).await,
            Code::PermissionDenied,
            "mallory: denied"
        );
        assert_eq!(
            call(&[&random_word()]).await,
            Code::Unauthenticated,
            "nobody's token"
        );
        assert_eq!(
            call(&[&alice, &random_word()]).await,
            Code::Unauthenticated,
            "two tokens"
        );
        assert_eq!(call(&[]).await, Code::PermissionDenied, "anonymous");
        server.abort();
    })
    .await
}
