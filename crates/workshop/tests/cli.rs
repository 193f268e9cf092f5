//! The runner's command line end to end, on the real checkout, without running
//! any exercise: `list --cached` and `hint` must answer instantly.

use std::process::{Command, Output};

/// Runs the built runner with a fresh, empty cache folder.
fn workshop(args: &[&str]) -> Output {
    let cache = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_workshop"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CARGO_TARGET_DIR", cache.path())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn list_shows_lessons_and_every_exercise_and_what_to_do_next() {
    let output = workshop(&["list", "--cached"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("proto-compilation"), "{text}");
    assert!(text.contains("ex01_proto_field") && text.contains("ex12_health_reflection"));
    let info = include_str!("../../../exercises/info.toml");
    let exercises = info.matches("[[exercise]]").count();
    assert_eq!(text.matches("unchecked").count(), exercises, "{text}");
    assert!(
        text.contains("Next: exercise 1, ex01_proto_field"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn hint_names_the_file_and_chapter_and_unknown_numbers_are_refused() {
    let output = workshop(&["hint", "9"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("exercises/src/ex09_tls.rs") && text.contains("security/tls.md"));
    let output = workshop(&["hint", "99"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("there is no exercise 99"));
}
