//! grpc-go's authz end-to-end cases (`authz/grpc_authz_end2end_test.go`, the table
//! `authzTests` and the authenticated-connection tests), each run against a real
//! server over a real socket: the same policies, the same metadata, the same two
//! calls (UnaryCall and StreamingInputCall of `grpc.testing.TestService`), the same
//! codes and messages. Then the cases our identity step adds: a known caller the
//! policy does not allow, principals matched by prefix and suffix, a token nobody
//! issued.
//!
//! No Debian peer can run these policies (Debian's grpc-go 1.33 predates `authz`,
//! its libgrpc++ 1.51 ships no policy provider), so this table is the proof.

mod support;

use authorization::{DENIED, Policy, Tokens};
use tonic::Code;

/// Who makes the calls.
#[derive(Debug, Clone, Copy)]
enum Caller {
    /// No credentials: grpc-go's plaintext connection.
    Anonymous,
    /// A token issued to this subject.
    Subject(&'static str),
    /// A bearer token the server never issued.
    UnknownToken,
}

struct Case {
    name: &'static str,
    policy: &'static str,
    caller: Caller,
    metadata: &'static [(&'static str, &'static str)],
    want: Code,
}

/// `authzTests` in grpc-go, case for case (the caller is grpc-go's: no credentials).
const GRPC_GO: &[Case] = &[
    Case {
        name: "DeniesRPCMatchInDenyNoMatchInAllow",
        policy: r#"{
            "name": "authz",
            "allow_rules": [{"name": "allow_StreamingOutputCall",
                "request": {"paths": ["/grpc.testing.TestService/StreamingOutputCall"]}}],
            "deny_rules": [{"name": "deny_TestServiceCalls",
                "request": {"paths": ["/grpc.testing.TestService/*"],
                    "headers": [{"key": "key-abc", "values": ["val-abc", "val-def"]}]}}]
        }"#,
        caller: Caller::Anonymous,
        metadata: &[("key-abc", "val-abc")],
        want: Code::PermissionDenied,
    },
    Case {
        name: "DeniesRPCMatchInDenyAndAllow",
        policy: r#"{
            "name": "authz",
            "allow_rules": [{"name": "allow_all", "request": {"paths": ["*"]}}],
            "deny_rules": [{"name": "deny_all", "request": {"paths": ["*"]}}]
        }"#,
        caller: Caller::Anonymous,
        metadata: &[],
        want: Code::PermissionDenied,
    },
    Case {
        name: "AllowsRPCNoMatchInDenyMatchInAllow",
        policy: r#"{
            "name": "authz",
            "allow_rules": [{"name": "allow_all"}],
            "deny_rules": [{"name": "deny_TestServiceCalls",
                "request": {"paths": ["/grpc.testing.TestService/UnaryCall",
                                      "/grpc.testing.TestService/StreamingInputCall"],
                    "headers": [{"key": "key-abc", "values": ["val-abc", "val-def"]}]}}]
        }"#,
        caller: Caller::Anonymous,
        metadata: &[("key-xyz", "val-xyz")],
        want: Code::Ok,
    },
    Case {
        name: "DeniesRPCNoMatchInDenyAndAllow",
        policy: r#"{
            "name": "authz",
            "allow_rules": [{"name": "allow_some_user", "source": {"principals": ["some_user"]}}],
            "deny_rules": [{"name": "deny_StreamingOutputCall",
                "request": {"paths": ["/grpc.testing.TestService/StreamingOutputCall"]}}]
        }"#,
        caller: Caller::Anonymous,
        metadata: &[],
        want: Code::PermissionDenied,
    },
    Case {
        name: "AllowsRPCEmptyDenyMatchInAllow",
        policy: r#"{
            "name": "authz",
            "allow_rules": [
                {"name": "allow_UnaryCall",
                 "request": {"paths": ["/grpc.testing.TestService/UnaryCall"]}},
                {"name": "allow_StreamingInputCall",
                 "request": {"paths": ["/grpc.testing.TestService/StreamingInputCall"]}}]
        }"#,
        caller: Caller::Anonymous,
        metadata: &[],
        want: Code::Ok,
    },
    Case {
        name: "DeniesRPCEmptyDenyNoMatchInAllow",
        policy: r#"{
            "name": "authz",
            "allow_rules": [{"name": "allow_StreamingOutputCall",
                "request": {"paths": ["/grpc.testing.TestService/StreamingOutputCall"]}}]
        }"#,
        caller: Caller::Anonymous,
        metadata: &[],
        want: Code::PermissionDenied,
    },
    Case {
        name: "DeniesRPCRequestWithPrincipalsFieldOnUnauthenticatedConnection",
        policy: r#"{
            "name": "authz",
            "allow_rules": [{"name": "allow_authenticated", "source": {"principals": ["*", ""]}}]
        }"#,
        caller: Caller::Anonymous,
        metadata: &[],
        want: Code::PermissionDenied,
    },
    Case {
        name: "DeniesRPCRequestNoMatchInAllowFailsPresenceMatch",
        policy: r#"{
            "name": "authz",
            "allow_rules": [{"name": "allow_TestServiceCalls",
                "request": {"paths": ["/grpc.testing.TestService/*"],
                    "headers": [{"key": "key-abc", "values": ["*"]}]}}]
        }"#,
        caller: Caller::Anonymous,
        metadata: &[("key-abc", "")],
        want: Code::PermissionDenied,
    },
    // grpc-go's TestAllowsRPCRequestWithPrincipalsFieldOnMTLSAuthenticatedConnection:
    // its caller proves who it is with a client certificate, ours with a token.
    Case {
        name: "AllowsRPCRequestWithPrincipalsFieldOnAuthenticatedCaller",
        policy: r#"{
            "name": "authz",
            "allow_rules": [{"name": "allow_authenticated", "source": {"principals": ["*", ""]}}]
        }"#,
        caller: Caller::Subject("alice"),
        metadata: &[],
        want: Code::Ok,
    },
];

/// What a caller identity adds: "who are you?" versus "you may not".
const OURS: &[Case] = &[
    Case {
        name: "DeniesKnownCallerNoMatchInAllow",
        policy: r#"{"name": "authz",
            "allow_rules": [{"name": "alice_only", "source": {"principals": ["alice"]}}]}"#,
        caller: Caller::Subject("bob"),
        metadata: &[],
        want: Code::PermissionDenied,
    },
    Case {
        name: "AllowsNamedCaller",
        policy: r#"{"name": "authz",
            "allow_rules": [{"name": "alice_only", "source": {"principals": ["alice"]}}]}"#,
        caller: Caller::Subject("alice"),
        metadata: &[],
        want: Code::Ok,
    },
    Case {
        name: "AllowsPrincipalPrefixMatch",
        policy: r#"{"name": "authz",
            "allow_rules": [{"name": "team", "source": {"principals": ["spiffe://team/*"]}}]}"#,
        caller: Caller::Subject("spiffe://team/alice"),
        metadata: &[],
        want: Code::Ok,
    },
    Case {
        name: "AllowsPrincipalSuffixMatch",
        policy: r#"{"name": "authz",
            "allow_rules": [{"name": "admins", "source": {"principals": ["*-admin"]}}]}"#,
        caller: Caller::Subject("carol-admin"),
        metadata: &[],
        want: Code::Ok,
    },
    Case {
        name: "DeniesPrincipalSuffixMismatch",
        policy: r#"{"name": "authz",
            "allow_rules": [{"name": "admins", "source": {"principals": ["*-admin"]}}]}"#,
        caller: Caller::Subject("carol-admins"),
        metadata: &[],
        want: Code::PermissionDenied,
    },
    Case {
        name: "DenyRuleOnPrincipalWinsOverAllowAll",
        policy: r#"{"name": "authz",
            "allow_rules": [{"name": "allow_all"}],
            "deny_rules": [{"name": "no_bob", "source": {"principals": ["bob"]}}]}"#,
        caller: Caller::Subject("bob"),
        metadata: &[],
        want: Code::PermissionDenied,
    },
    Case {
        name: "HeaderSentTwiceIsOneValueJoinedWithCommas",
        policy: r#"{"name": "authz",
            "allow_rules": [{"name": "both_tags",
                "request": {"headers": [{"key": "x-tag", "values": ["a,b"]}]}}]}"#,
        caller: Caller::Anonymous,
        metadata: &[("x-tag", "a"), ("x-tag", "b")],
        want: Code::Ok,
    },
    Case {
        name: "UnknownTokenIsUnauthenticatedEvenUnderAllowAll",
        policy: r#"{"name": "authz", "allow_rules": [{"name": "allow_all"}]}"#,
        caller: Caller::UnknownToken,
        metadata: &[],
        want: Code::Unauthenticated,
    },
];

/// Runs `cases` (each under its own policy, or all under `instead`) and returns
/// what came out wrong, one line per call.
async fn wrong_answers(cases: &[Case], instead: Option<&str>) -> Vec<String> {
    let tokens = Tokens::new(
        [
            "alice",
            "bob",
            "spiffe://team/alice",
            "carol-admin",
            "carol-admins",
        ]
        .map(|subject| (subject.to_owned(), format!("token-of-{subject}"))),
    );
    let mut wrong = Vec::new();
    for case in cases {
        let policy = Policy::from_json(instead.unwrap_or(case.policy))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let server = support::start(policy, tokens.clone()).await;
        let token = match case.caller {
            Caller::Anonymous => None,
            Caller::Subject(subject) => Some(tokens.token_of(subject).unwrap().to_owned()),
            Caller::UnknownToken => Some("token-of-nobody".to_owned()),
        };
        let outcomes = support::both_calls(&server.channel, token.as_deref(), case.metadata).await;
        for (call, outcome) in ["UnaryCall", "StreamingInputCall"].iter().zip(outcomes) {
            let (code, message) = match &outcome {
                Ok(()) => (Code::Ok, String::new()),
                Err(status) => (status.code(), status.message().to_owned()),
            };
            let message_ok = case.want != Code::PermissionDenied || message == DENIED;
            if code != case.want || !message_ok {
                wrong.push(format!(
                    "{} [{call}]: want {:?}, got {code:?} {message:?}",
                    case.name, case.want
                ));
            }
        }
    }
    wrong
}

async fn run(cases: &[Case]) {
    let wrong = wrong_answers(cases, None).await;
    assert!(
        wrong.is_empty(),
        "cases that gave the wrong answer:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn grpc_go_end_to_end_cases_give_grpc_go_codes() {
    run(GRPC_GO).await;
}

#[tokio::test]
async fn a_known_caller_who_may_not_is_denied_and_an_unknown_token_unauthenticated() {
    run(OURS).await;
}

/// The table cannot pass by accident: under a policy that allows everything,
/// every call that wants PERMISSION_DENIED is reported wrong.
#[tokio::test]
async fn the_table_notices_a_policy_that_allows_everything() {
    let everything = r#"{"name": "authz", "allow_rules": [{"name": "allow_all"}]}"#;
    let wrong = wrong_answers(GRPC_GO, Some(everything)).await;
    let denied = GRPC_GO
        .iter()
        .filter(|c| c.want == Code::PermissionDenied)
        .count();
    assert_eq!(denied, 6, "grpc-go's table has six deny cases");
    assert_eq!(wrong.len(), 2 * denied, "{wrong:#?}");
}
