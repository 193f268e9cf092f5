//! Policies refused at load time, with the error that says where: grpc-go's
//! invalid cases (`authz/rbac_translator_test.go`) and the headers A43 forbids.
//! And the server half refuses to start with one.

use std::time::Duration;

use authorization::Policy;

/// (case, policy, the start of the error).
const INVALID: &[(&str, &str, &str)] = &[
    // grpc-go's rbac_translator_test.go
    (
        "unknown field",
        r#"{"random": 123}"#,
        "failed to unmarshal policy: unknown field `random`",
    ),
    ("missing name field", "{}", r#""name" is not present"#),
    (
        "invalid field type",
        r#"{"name": 123}"#,
        "failed to unmarshal policy: invalid type: integer `123`",
    ),
    (
        "missing allow rules field",
        r#"{"name": "authz-foo"}"#,
        r#""allow_rules" is not present"#,
    ),
    (
        "missing rule name field",
        r#"{"name": "authz-foo", "allow_rules": [{}]}"#,
        r#""allow_rules" 0: "name" is not present"#,
    ),
    (
        "missing header key",
        r#"{"name": "authz", "allow_rules": [{"name": "allow_policy_1",
            "request": {"headers": [{"key": "key-a", "values": ["value-a"]}, {}]}}]}"#,
        r#""allow_rules" 0: "headers" 1: "key" is not present"#,
    ),
    (
        "missing header values",
        r#"{"name": "authz", "allow_rules": [{"name": "allow_policy_1",
            "request": {"headers": [{"key": "key-a"}]}}]}"#,
        r#""allow_rules" 0: "headers" 0: "values" is not present"#,
    ),
    (
        "unsupported header",
        r#"{"name": "authz", "allow_rules": [{"name": "allow_policy_1",
            "request": {"headers": [{"key": ":method", "values": ["GET"]}]}}]}"#,
        r#""allow_rules" 0: "headers" 0: unsupported "key" :method"#,
    ),
    // Audit logging (gRFC A59) is not implemented here: asking for it is refused,
    // not silently ignored.
    (
        "audit logging",
        r#"{"name": "authz", "allow_rules": [{"name": "a"}],
            "audit_logging_options": {"audit_condition": "ON_DENY"}}"#,
        "failed to unmarshal policy: unknown field `audit_logging_options`",
    ),
    // The rest of A43's forbidden headers, in deny rules too.
    (
        "grpc- header",
        r#"{"name": "authz", "allow_rules": [{"name": "a"}], "deny_rules": [{"name": "d",
            "request": {"headers": [{"key": "grpc-timeout", "values": ["*"]}]}}]}"#,
        r#""deny_rules" 0: "headers" 0: unsupported "key" grpc-timeout"#,
    ),
    (
        "host header, any case",
        r#"{"name": "authz", "allow_rules": [{"name": "a",
            "request": {"headers": [{"key": "Host", "values": ["*"]}]}}]}"#,
        r#""allow_rules" 0: "headers" 0: unsupported "key" host"#,
    ),
    (
        ":authority pseudo-header",
        r#"{"name": "authz", "allow_rules": [{"name": "a",
            "request": {"headers": [{"key": ":authority", "values": ["*"]}]}}]}"#,
        r#""allow_rules" 0: "headers" 0: unsupported "key" :authority"#,
    ),
    (
        "hop-by-hop header",
        r#"{"name": "authz", "allow_rules": [{"name": "a"}, {"name": "b",
            "request": {"headers": [{"key": "te", "values": ["trailers"]}]}}]}"#,
        r#""allow_rules" 1: "headers" 0: unsupported "key" te"#,
    ),
    (
        "empty allow list",
        r#"{"name": "authz", "allow_rules": []}"#,
        r#""allow_rules" is not present"#,
    ),
    (
        "a key that is no header name",
        r#"{"name": "authz", "allow_rules": [{"name": "a",
            "request": {"headers": [{"key": "two words", "values": ["*"]}]}}]}"#,
        r#""allow_rules" 0: "headers" 0: "key" "two words" is not a header name"#,
    ),
];

#[test]
fn invalid_policies_are_refused_with_where_and_why() {
    let mut wrong = Vec::new();
    for (case, json, want) in INVALID {
        match Policy::from_json(json) {
            Ok(_) => wrong.push(format!("{case}: accepted")),
            Err(error) => {
                let message = error.to_string();
                let expected = format!("invalid authorization policy: {want}");
                if !message.starts_with(&expected) {
                    wrong.push(format!(
                        "{case}: {message:?} does not start with {expected:?}"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_shipped_policy_and_a43s_example_load() {
    Policy::from_json(authorization::SHIPPED_POLICY).unwrap();
    let a43_example = r#"{
        "name": "example-policy",
        "allow_rules": [
            {"name": "admin-access",
             "source": {"principals": ["spiffe://foo.com/sa/admin1", "spiffe://foo.com/sa/admin2"]},
             "request": {"paths": ["/pkg.service/*"]}},
            {"name": "dev-access",
             "source": {"principals": ["*", ""]},
             "request": {"paths": ["/pkg.service/foo", "/pkg.service/bar"],
                         "headers": [{"key": "dev-path", "values": ["/dev/path/*"]}]}}
        ],
        "deny_rules": [{"name": "deny-access", "request": {"paths": ["*/secret"]}}]
    }"#;
    Policy::from_json(a43_example).unwrap();
}

#[tokio::test]
async fn the_server_refuses_to_start_with_an_invalid_policy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.json");
    std::fs::write(&path, r#"{"name": "authz", "allow_rules": [{"name": ""}]}"#).unwrap();
    let run = lesson_kit::testing::run_binary(
        env!("CARGO_BIN_EXE_authorization"),
        [
            "server",
            "--addr",
            "127.0.0.1:0",
            "--policy",
            path.to_str().unwrap(),
        ],
    );
    let output = tokio::time::timeout(Duration::from_secs(30), run)
        .await
        .expect("it exits");
    assert!(!output.success);
    let want = format!(
        "error: refused the policy {}: invalid authorization policy: \"allow_rules\" 0: \"name\" is not present",
        path.display()
    );
    assert!(output.stderr.contains(&want), "{}", output.stderr);
}
