//! Running exercise tests with cargo, and reading what cargo said.
//!
//! The exercises crate has its own workspace (unsolved exercises must never break
//! the root's `cargo test --workspace`), so the runner calls cargo *inside*
//! `exercises/`: that picks up `exercises/.cargo/config.toml`, which shares the
//! root `target/` with the lessons. Building and running are separate steps so the
//! learner sees cargo's own progress and compile errors while it builds, and a
//! short summary, not pages of test output, once it runs.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::process::{Command, Stdio};

/// The cargo that started the runner (`cargo run` sets `CARGO`), else `cargo`.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `--test a --test b …` for the given test names.
fn test_args(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .flat_map(|name| ["--test".to_owned(), (*name).to_owned()])
        .collect()
}

/// Builds the named test binaries, showing compile errors on stderr, and cargo's
/// progress bar too when stderr is a terminal (in a log, its per-crate lines would
/// only bury the errors). Returns whether the build succeeded.
pub fn build(exercises_dir: &Path, names: &[&str]) -> anyhow::Result<bool> {
    let mut command = cargo();
    command
        .current_dir(exercises_dir)
        .args(["test", "--no-run"])
        .args(test_args(names))
        .stdin(Stdio::null());
    if !std::io::stderr().is_terminal() {
        command.arg("--quiet");
    }
    Ok(command.status()?.success())
}

/// Runs the named (already built) tests, never stopping at the first failing
/// binary, and returns cargo's output: stdout and stderr through one pipe, so
/// cargo's `Running tests/…` lines (stderr) stay next to each binary's results
/// (stdout).
pub fn run(exercises_dir: &Path, names: &[&str]) -> anyhow::Result<String> {
    let (mut reader, writer) = std::io::pipe()?;
    let mut command = cargo();
    command
        .current_dir(exercises_dir)
        .args(["test", "--no-fail-fast", "--color", "never"])
        .args(test_args(names))
        .args(["--", "--color", "never"])
        // The panic message is what helps a learner; a backtrace buries it.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(writer.try_clone()?)
        .stderr(writer);
    let mut child = command.spawn()?;
    // The command holds the pipe's write end: drop it, or the read never ends.
    drop(command);
    let mut text = String::new();
    reader.read_to_string(&mut text)?;
    child.wait()?;
    Ok(text)
}

/// Test file name → whether all its tests passed, from `cargo test` output.
///
/// cargo prints `Running tests/NAME.rs (...)` before each binary and
/// `test result: ok.` or `test result: FAILED.` after it. A binary that crashed
/// prints no result and is simply absent: callers treat absent as not passed.
pub fn verdicts(output: &str) -> BTreeMap<String, bool> {
    let mut verdicts = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in output.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Running tests/") {
            current = rest.split(".rs").next().map(str::to_owned);
        } else if let Some(result) = line.strip_prefix("test result: ")
            && let Some(name) = current.take()
        {
            verdicts.insert(name, result.starts_with("ok."));
        }
    }
    verdicts
}

/// The failing tests' panic messages: the part of the output a learner needs.
///
/// libtest prints each failure as a `---- NAME stdout ----` section; from each we
/// keep the test name and the lines from `panicked at` up to the backtrace note.
pub fn failures(output: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in output.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            if let Some(lines) = current.take() {
                failures.push(lines.join("\n"));
            }
            current = Some(vec![name]);
        } else if let Some(lines) = current.as_mut() {
            let noise = line.starts_with("note: run with `RUST_BACKTRACE")
                || line.starts_with("stack backtrace:")
                || line.trim().is_empty();
            if line == "failures:" || line.starts_with("test result:") {
                failures.push(current.take().unwrap_or_default().join("\n"));
            } else if !noise {
                lines.push(line);
            }
        }
    }
    if let Some(lines) = current {
        failures.push(lines.join("\n"));
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "\
     Running tests/ex01_proto_field.rs (../target/debug/deps/ex01_proto_field-79)

running 2 tests
test name_keeps_its_number ... ok
test say_hello_request_has_a_language_string_numbered_2 ... FAILED

failures:

---- say_hello_request_has_a_language_string_numbered_2 stdout ----

thread 'say_hello_request_has_a_language_string_numbered_2' panicked at tests/ex01_proto_field.rs:37:14:
SayHelloRequest has no `language` field yet
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    say_hello_request_has_a_language_string_numbered_2

test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.17s

     Running tests/ex02_unary.rs (../target/debug/deps/ex02_unary-62)

running 1 test
test the_server_answers_hello_name ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.10s

     Running tests/ex03_server_streaming.rs (../target/debug/deps/ex03-c9)
error: test failed, to rerun pass `--test ex03_server_streaming`
";

    #[test]
    fn each_test_file_gets_its_verdict_and_crashes_get_none() {
        let verdicts = verdicts(OUTPUT);
        assert_eq!(verdicts.get("ex01_proto_field"), Some(&false));
        assert_eq!(verdicts.get("ex02_unary"), Some(&true));
        assert_eq!(verdicts.get("ex03_server_streaming"), None);
    }

    #[test]
    fn failures_keep_the_test_name_and_the_panic() {
        let failures = failures(OUTPUT);
        assert_eq!(failures.len(), 1, "{failures:?}");
        let lines: Vec<&str> = failures[0].lines().collect();
        assert_eq!(
            lines[0],
            "say_hello_request_has_a_language_string_numbered_2"
        );
        assert!(lines[1].contains("panicked at tests/ex01_proto_field.rs:37:14"));
        assert_eq!(lines[2], "SayHelloRequest has no `language` field yet");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn several_tests_become_several_arguments() {
        assert_eq!(test_args(&["a", "b"]), ["--test", "a", "--test", "b"]);
    }
}
