//! The runner's command line end to end, on the real checkout, without running
//! any exercise: `list`, `next` and `hint` must answer instantly, from what the
//! runner remembers (here: nothing, a fresh clone).

use std::path::Path;
use std::process::{Command, Output};

/// Runs the built runner in `dir` with a fresh, empty state file.
fn workshop_in(dir: &Path, state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_workshop"))
        .current_dir(dir)
        .env("WORKSHOP_STATE", state)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// The exercise names in `exercises/info.toml`, in order.
fn exercise_names() -> Vec<String> {
    let info = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises/info.toml"),
    )
    .unwrap();
    let info: toml::Table = toml::from_str(&info).unwrap();
    info["exercise"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_fresh_list_shows_everything_unchecked_at_once_and_what_to_do_next() {
    let state = tempfile::tempdir().unwrap();
    let state = state.path().join("state.json");
    let output = workshop_in(Path::new(env!("CARGO_MANIFEST_DIR")), &state, &["list"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let names = exercise_names();
    assert!(text.contains("proto-compilation"), "{text}");
    for name in &names {
        assert!(text.contains(name.as_str()), "{name} missing: {text}");
    }
    assert_eq!(
        text.matches("not checked yet").count(),
        names.len() + 1,
        "{text}"
    );
    assert!(text.contains(&format!("Progress: 0/{} done, chapter 1", names.len())));
    assert!(
        text.contains(&format!("Next: exercise 1, {}", names[0])),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    assert!(
        !text.contains("building"),
        "a fresh list builds nothing: {text}"
    );
}

#[test]
fn hint_gives_one_more_level_each_time_and_never_names_the_solution() {
    let state = tempfile::tempdir().unwrap();
    let state = state.path().join("state.json");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let info: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("../../exercises/info.toml")).unwrap())
            .unwrap();
    let first = &info["exercise"].as_array().unwrap()[0];
    let levels = match first.get("hints") {
        Some(hints) => hints.as_array().unwrap().len(),
        None => 1,
    };
    for level in (1..=levels).chain([levels]) {
        let output = workshop_in(root, &state, &["hint", "1"]);
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.contains(&format!("hint {level} of {levels}")),
            "{text}"
        );
        assert!(text.contains(first["chapter"].as_str().unwrap()), "{text}");
        assert!(!text.contains("solutions/"), "{text}");
    }
    let other = workshop_in(root, &state, &["hint", "2"]);
    let text = String::from_utf8(other.stdout).unwrap();
    assert!(
        text.contains("(hint 1 of"),
        "levels are per exercise: {text}"
    );
    let output = workshop_in(root, &state, &["hint", "999"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("there is no exercise 999"));
}

#[test]
fn next_says_what_to_open_read_and_run() {
    let state = tempfile::tempdir().unwrap();
    let state = state.path().join("state.json");
    let output = workshop_in(Path::new(env!("CARGO_MANIFEST_DIR")), &state, &["next"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Next: exercise 1 ("), "{text}");
    for needle in ["open:    exercises/", "read:    docs/src/", "verify 1"] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}

#[test]
fn the_tour_fails_on_a_missing_lesson_crate() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("exercises")).unwrap();
    std::fs::write(root.path().join("exercises/info.toml"), "").unwrap();
    let output = workshop_in(root.path(), &root.path().join("state.json"), &["tour"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("sync-unary: no crate at crates/lessons/2-sync/unary/Cargo.toml"),
        "{text}"
    );
}
