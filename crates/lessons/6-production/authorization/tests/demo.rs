//! The lesson's binary: the demo's five callers, and the two halves with a policy
//! file and a tokens file of our own.

use std::process::Command;
use std::time::Duration;

use lesson_kit::testing::{run_binary, spawn_listening};

const BIN: &str = env!("CARGO_BIN_EXE_authorization");

#[tokio::test]
async fn the_demo_prints_each_callers_outcome() {
    let output = tokio::time::timeout(
        Duration::from_secs(30),
        run_binary(BIN, Vec::<String>::new()),
    )
    .await
    .expect("the demo ends");
    assert!(output.success, "{}", output.stderr);
    assert_eq!(
        output.lines,
        [
            "alice: Hello, Jack!",
            "bob: status PermissionDenied: authz: unauthorized RPC request rejected",
            "alice from staging: status PermissionDenied: authz: unauthorized RPC request rejected",
            "no credentials: status PermissionDenied: authz: unauthorized RPC request rejected",
            "a token nobody issued: status Unauthenticated: unknown token",
        ]
    );
}

#[tokio::test]
async fn the_halves_take_a_policy_file_a_tokens_file_and_a_token_file() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    std::fs::write(
        &policy,
        r#"{"name": "p", "allow_rules": [{"name": "carol", "source": {"principals": ["carol"]}}],
            "deny_rules": [{"name": "no-ci", "request": {"headers": [{"key": "x-ci", "values": ["*"]}]}}]}"#,
    )
    .unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::write(
        &tokens,
        "# subject token\ncarol c4r0l-t0ken\ndave d4ve-t0ken\n",
    )
    .unwrap();
    let (carol, dave) = (dir.path().join("carol"), dir.path().join("dave"));
    std::fs::write(&carol, "c4r0l-t0ken\n").unwrap();
    std::fs::write(&dave, "d4ve-t0ken\n").unwrap();

    let (mut server, addr) = spawn_listening(
        Command::new(BIN)
            .args(["server", "--addr", "127.0.0.1:0", "--policy"])
            .arg(&policy)
            .arg("--tokens")
            .arg(&tokens),
        Duration::from_secs(30),
    )
    .unwrap();
    let addr = addr.expect("the server reports its address").to_string();
    let call = |token: &std::path::Path, extra: &[&str]| {
        let mut args = vec![
            "client".to_owned(),
            "--addr".into(),
            addr.clone(),
            "--token-file".into(),
        ];
        args.push(token.to_str().unwrap().to_owned());
        args.extend(extra.iter().map(|s| s.to_string()));
        run_binary(BIN, args)
    };
    let allowed = call(&carol, &[]).await;
    let denied = call(&dave, &[]).await;
    let from_ci = call(&carol, &["--metadata", "x-ci=1"]).await;
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(
        allowed.lines,
        ["SayHello: Hello, Jack!"],
        "{}",
        allowed.stderr
    );
    assert_eq!(
        denied.lines,
        ["SayHello: status PermissionDenied: authz: unauthorized RPC request rejected"]
    );
    assert_eq!(
        from_ci.lines,
        ["SayHello: status PermissionDenied: authz: unauthorized RPC request rejected"]
    );
}
