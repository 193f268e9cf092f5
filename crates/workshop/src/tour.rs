//! Trainer mode: every lesson's demo, in the tutorial's order, with short waits.
//!
//! Builds the lessons present in this checkout once (cargo's own progress shows),
//! then runs each demo with a `[3/12] …` header, so a room can watch the whole
//! workshop go by in a few minutes and a trainer can spot a broken demo early.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

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

/// Builds `lessons`, together if possible, else one by one; returns those that built.
fn build(root: &Path, ui: &Ui, present: Vec<&'static Lesson>) -> Vec<&'static Lesson> {
    println!(
        "{} building {} lesson crates (the first time takes a few minutes)…",
        ui.heading("[build]"),
        present.len()
    );
    let mut all = cargo(root);
    all.arg("build");
    for lesson in &present {
        all.args(["-p", lesson.crate_name]);
    }
    if all.status().is_ok_and(|s| s.success()) {
        return present;
    }
    println!(
        "{} some lessons do not build; building them one by one to skip those",
        ui.bad("[build]")
    );
    let builds = |lesson: &&Lesson| {
        let ok = cargo(root)
            .args(["build", "--quiet", "-p", lesson.crate_name])
            .status();
        ok.is_ok_and(|s| s.success())
    };
    present.into_iter().filter(builds).collect()
}

/// Runs every present lesson's demo in order; fails if any demo failed.
pub fn tour(root: &Path, ui: &Ui) -> anyhow::Result<()> {
    let present = lessons::present(root);
    let skipped = lessons::LESSONS.len() - present.len();
    let built = build(root, ui, present);
    let runs: Vec<Run> = built
        .iter()
        .flat_map(|lesson| {
            lesson.runs.iter().map(|args| {
                let mut full: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
                if !lesson.shorter.is_empty() {
                    full.extend(lessons::supported_flags(lesson, &help(root, lesson)));
                }
                Run { lesson, args: full }
            })
        })
        .collect();

    let started = Instant::now();
    let mut failed = Vec::new();
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
        let status = binary(root, run.lesson).args(&run.args).status();
        let ok = status.is_ok_and(|s| s.success());
        let verdict = if ok { ui.good("ok") } else { ui.bad("FAILED") };
        println!("      {verdict} in {:.1}s\n", began.elapsed().as_secs_f64());
        if !ok {
            failed.push(shown);
        }
    }
    println!(
        "tour: {} demos in {:.0}s, {} failed; {skipped} planned lessons not in this checkout",
        runs.len(),
        started.elapsed().as_secs_f64(),
        failed.len()
    );
    for run in &failed {
        println!("  {} {run}", ui.bad("failed:"));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("{} demo(s) failed", failed.len())
    }
}
