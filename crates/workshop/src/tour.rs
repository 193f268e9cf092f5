//! Trainer mode: every lesson's demo, in the tutorial's order, with short waits.
//!
//! Builds every lesson once (cargo's own progress shows), then runs each demo with
//! a `[3/12] …` header, so a room can watch the whole workshop go by in a few
//! minutes and a trainer can spot a broken demo early.
//!
//! Nothing is skipped: a lesson missing from the checkout, a lesson that does not
//! build, and a shortening flag its `--help` no longer offers are failures, listed
//! at the end, and the tour exits non-zero. The demos that can run still run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::lessons::{self, Lesson};
use crate::ui::Ui;

/// One demo run: a lesson and the arguments after `--`.
struct Run {
    lesson: &'static Lesson,
    args: Vec<String>,
}

fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root).stdin(Stdio::null());
    command
}

/// The lesson's built binary (`target/debug/<crate>`), run directly: `cargo run`
/// per demo would re-resolve features for one package and might rebuild.
fn binary(root: &Path, lesson: &Lesson) -> Command {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root.join(dir))
        .unwrap_or_else(|| root.join("target"));
    let mut command = Command::new(target.join("debug").join(lesson.crate_name));
    command.current_dir(root).stdin(Stdio::null());
    command
}

/// The lesson's help texts, top level and `demo`, to see which flags it offers.
fn help(root: &Path, lesson: &Lesson) -> String {
    let text = |args: &[&str]| {
        let output = binary(root, lesson)
            .args(args)
            .stderr(Stdio::null())
            .output();
        output
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    text(&["demo", "--help"]) + &text(&["--help"])
}

/// Builds `lessons`, together if possible, else one by one; returns those that
/// built and those that did not.
fn build(
    root: &Path,
    ui: &Ui,
    present: Vec<&'static Lesson>,
) -> (Vec<&'static Lesson>, Vec<&'static Lesson>) {
    println!(
        "{} building {} lesson crates (the first time takes a few minutes)…",
        ui.heading("[build]"),
        present.len()
    );
    if present.is_empty() {
        return (present, Vec::new());
    }
    let mut all = cargo(root);
    all.arg("build");
    for lesson in &present {
        all.args(["-p", lesson.crate_name]);
    }
    if all.status().is_ok_and(|s| s.success()) {
        return (present, Vec::new());
    }
    println!(
        "{} some lessons do not build; building them one by one to find which",
        ui.bad("[build]")
    );
    let builds = |lesson: &&Lesson| {
        let ok = cargo(root)
            .args(["build", "--quiet", "-p", lesson.crate_name])
            .status();
        ok.is_ok_and(|s| s.success())
    };
    present.into_iter().partition(builds)
}

/// How long one demo may run before the tour calls it hung. The slowest demo takes
/// about half a minute on a loaded two-core machine.
const DEMO_DEADLINE: Duration = Duration::from_secs(120);

/// Runs one demo to its end; kills it and says so once `deadline` has passed, so a
/// hung demo fails the tour fast, by name, instead of stalling it.
fn run_demo(command: &mut Command, deadline: Duration) -> Result<(), String> {
    let mut child = command.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let began = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("exited with {status}")),
            Ok(None) if began.elapsed() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("still running after {deadline:?}: killed"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("cannot wait for it: {e}")),
        }
    }
}

/// Runs every lesson's demo in order; fails if a lesson is missing, does not
/// build, lacks a flag the tour passes, or its demo fails.
pub fn tour(root: &Path, ui: &Ui) -> anyhow::Result<()> {
    let mut failed = Vec::new();
    for lesson in lessons::missing(root) {
        failed.push(format!(
            "{}: no crate at {}/Cargo.toml (moved or renamed? update crates/workshop/src/lessons.rs)",
            lesson.crate_name, lesson.dir
        ));
    }
    let (built, broken) = build(root, ui, lessons::present(root));
    for lesson in broken {
        failed.push(format!("{}: does not build", lesson.crate_name));
    }
    let mut runs: Vec<Run> = Vec::new();
    for lesson in built {
        if !lesson.shorter.is_empty() {
            let missing = lessons::missing_flags(lesson, &help(root, lesson));
            if !missing.is_empty() {
                failed.push(format!(
                    "{}: its --help no longer offers {} (renamed? update crates/workshop/src/lessons.rs)",
                    lesson.crate_name,
                    missing.join(", ")
                ));
                continue;
            }
        }
        for args in lesson.runs {
            let mut full: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
            full.extend(lessons::shortening_args(lesson));
            runs.push(Run { lesson, args: full });
        }
    }

    let started = Instant::now();
    for (index, run) in runs.iter().enumerate() {
        let mut shown = format!("cargo run -p {}", run.lesson.crate_name);
        if !run.args.is_empty() {
            shown = format!("{shown} -- {}", run.args.join(" "));
        }
        ui.step(
            index + 1,
            runs.len(),
            &format!("{} — {}   ({shown})", run.lesson.chapter, run.lesson.page),
        );
        let began = Instant::now();
        let outcome = run_demo(binary(root, run.lesson).args(&run.args), DEMO_DEADLINE);
        let verdict = match &outcome {
            Ok(()) => ui.good("ok"),
            Err(_) => ui.bad("FAILED"),
        };
        println!("      {verdict} in {:.1}s\n", began.elapsed().as_secs_f64());
        if let Err(why) = outcome {
            failed.push(format!("{shown}: {why}"));
        }
    }
    println!(
        "tour: {} demos in {:.0}s, {} failure(s)",
        runs.len(),
        started.elapsed().as_secs_f64(),
        failed.len()
    );
    for failure in &failed {
        println!("  {} {failure}", ui.bad("failed:"));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("{} failure(s): see the list above", failed.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hung_demo_is_killed_at_its_deadline_and_named_as_such() {
        let started = Instant::now();
        let outcome = run_demo(Command::new("sleep").arg("60"), Duration::from_millis(50));
        assert_eq!(outcome, Err("still running after 50ms: killed".to_owned()));
        assert!(started.elapsed() < Duration::from_secs(30));
        assert_eq!(run_demo(&mut Command::new("true"), DEMO_DEADLINE), Ok(()));
        let failed = run_demo(&mut Command::new("false"), DEMO_DEADLINE).unwrap_err();
        assert!(failed.starts_with("exited with"), "{failed}");
    }
}
