//! `buf breaking` flags exactly the changes that break v1 callers: each new version
//! against the one before it, as CI would check a change to a contract.
//!
//! buf is found or installed by `scripts/buf` (npm, into target/tools/buf, as
//! `scripts/check-protos` does). Without npm the test is skipped loudly, and
//! fails under CI=true.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use contract_evolution::Change;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../..")
}

fn buf() -> Option<PathBuf> {
    let output = Command::new(repo_root().join("scripts/buf"))
        .arg("--bin")
        .output()
        .expect("scripts/buf runs");
    if output.status.success() {
        return Some(PathBuf::from(
            String::from_utf8(output.stdout).unwrap().trim(),
        ));
    }
    let why = String::from_utf8_lossy(&output.stderr);
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "buf is needed under CI=true: {why}"
    );
    eprintln!("SKIPPED: buf breaking tests, no buf: {why}");
    None
}

/// The rule ids `buf breaking NEW --against PREVIOUS` reports.
fn broken_rules(buf: &Path, (new, previous): (String, String)) -> BTreeSet<String> {
    let output = Command::new(buf)
        .current_dir(repo_root())
        .args([
            "breaking",
            &new,
            "--against",
            &previous,
            "--error-format",
            "json",
        ])
        .output()
        .expect("buf runs");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rules: BTreeSet<String> = stdout
        .lines()
        .filter_map(|line| line.split_once(r#""type":""#))
        .filter_map(|(_, rest)| rest.split_once('"'))
        .map(|(rule, _)| rule.to_owned())
        .collect();
    // 0: compatible; 100: breaking changes found; anything else is buf failing.
    let expected_code = if rules.is_empty() { 0 } else { 100 };
    assert_eq!(
        output.status.code(),
        Some(expected_code),
        "buf breaking {new} --against {previous}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    rules
}

#[test]
fn buf_breaking_flags_exactly_the_changes_that_break_callers() {
    let Some(buf) = buf() else { return };
    let expected: &[(Change, &[&str])] = &[
        (Change::NewFields, &[]),
        (Change::NewEnumValue, &[]),
        (Change::Renumbered, &["FIELD_NO_DELETE"]),
        (
            Change::Retyped,
            &["FIELD_SAME_CARDINALITY", "FIELD_SAME_TYPE"],
        ),
        (Change::Streaming, &["RPC_SAME_SERVER_STREAMING"]),
        (Change::Renamed, &["FILE_NO_DELETE"]),
    ];
    for (change, rules) in expected {
        let found = broken_rules(&buf, change.buf_inputs());
        let rules: BTreeSet<String> = rules.iter().map(|rule| rule.to_string()).collect();
        assert_eq!(found, rules, "{change:?}");
        assert_eq!(
            !found.is_empty(),
            change.breaks(),
            "{change:?}: buf and the demo disagree"
        );
    }
}
