//! The learner's commands: `list`, `verify`, `hint` and `reset`.
//!
//! A [`Workshop`] ties the exercise catalog to the state cache and to cargo, so
//! every command answers the same question the same way: which exercises are
//! done, and what should the learner do next?

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::catalog::{Catalog, Exercise};
use crate::lessons;
use crate::state::{self, State, Status};
use crate::testrun;
use crate::ui::Ui;

/// The checkout the runner works on.
#[derive(Debug)]
pub struct Workshop {
    /// The repository root (holds `crates/`, `exercises/`, `docs/`).
    pub root: PathBuf,
    /// The exercises, from `exercises/info.toml`.
    pub catalog: Catalog,
    /// How to print.
    pub ui: Ui,
}

impl Workshop {
    /// Opens the checkout at `root`.
    pub fn open(root: &Path) -> anyhow::Result<Self> {
        Ok(Self {
            root: root.to_owned(),
            catalog: Catalog::load(&root.join("exercises"))?,
            ui: Ui::detect(),
        })
    }

    /// Where verdicts are cached: `$CARGO_TARGET_DIR` or `target/`, `workshop-state.json`.
    fn state_path(&self) -> PathBuf {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(|dir| self.root.join(dir))
            .unwrap_or_else(|| self.root.join("target"));
        target.join("workshop-state.json")
    }

    /// Every exercise's status from the cache, without running anything.
    pub fn cached_statuses(&self) -> Vec<Status> {
        let state = State::load(&self.state_path());
        let dir = &self.catalog.dir;
        let status = |e: &Exercise| state.status(&e.name, &state::fingerprint(dir, e));
        self.catalog.exercises.iter().map(status).collect()
    }

    /// Every exercise's status, running the tests of those not checked since they
    /// last changed (all of them in one cargo run).
    pub fn statuses(&self) -> anyhow::Result<Vec<Status>> {
        let statuses = self.cached_statuses();
        let stale: Vec<&Exercise> = self
            .catalog
            .exercises
            .iter()
            .zip(&statuses)
            .filter(|(_, status)| **status == Status::Unchecked)
            .map(|(exercise, _)| exercise)
            .collect();
        if !stale.is_empty() {
            println!(
                "checking {} exercise(s) whose files changed (the first run builds the exercises crate)…",
                stale.len()
            );
            self.check(&stale)?;
        }
        Ok(self.cached_statuses())
    }

    /// Builds and runs the tests of `exercises`, records the verdicts and returns
    /// cargo's output, or `None` if the exercises crate does not compile.
    fn check(&self, exercises: &[&Exercise]) -> anyhow::Result<Option<String>> {
        let dir = &self.catalog.dir;
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        eprintln!("building the exercises…");
        if !testrun::build(dir, &names)? {
            return Ok(None);
        }
        let output = testrun::run(dir, &names)?;
        let verdicts = testrun::verdicts(&output);
        let mut state = State::load(&self.state_path());
        for exercise in exercises {
            let passed = verdicts.get(&exercise.name).copied().unwrap_or(false);
            state.record(&exercise.name, state::fingerprint(dir, exercise), passed);
        }
        state.save(&self.state_path())?;
        Ok(Some(output))
    }

    /// `list`: the lessons, then every exercise with its status and what to do next.
    pub fn list(&self, cached: bool) -> anyhow::Result<()> {
        let statuses = if cached {
            self.cached_statuses()
        } else {
            self.statuses()?
        };
        println!("{}", self.ui.heading("Lessons   (cargo run -p <crate>)"));
        for lesson in lessons::LESSONS {
            let here = if lessons::is_present(&self.root, lesson) {
                ""
            } else {
                "   (not in this checkout yet)"
            };
            println!(
                "  {:<40} {:<24} docs/src/{}{here}",
                lesson.chapter, lesson.crate_name, lesson.page
            );
        }
        println!();
        println!(
            "{}",
            self.ui
                .heading("Exercises (cargo run -p workshop -- verify)")
        );
        for (exercise, status) in self.catalog.exercises.iter().zip(&statuses) {
            let status = self.ui.status(*status);
            println!(
                "  {:>2}  {status}  {:<24} {}",
                exercise.number, exercise.name, exercise.title
            );
        }
        let done = statuses.iter().filter(|s| **s == Status::Done).count();
        println!();
        println!("Progress: {done}/{} exercises done.", statuses.len());
        self.say_next(&statuses);
        Ok(())
    }

    /// Prints what to do next, given every exercise's status.
    fn say_next(&self, statuses: &[Status]) {
        match state::next_exercise(statuses) {
            None => println!("{}", self.ui.good("All exercises done. Well played!")),
            Some(number) => {
                let exercise = &self.catalog.exercises[number - 1];
                println!(
                    "Next: exercise {number}, {}: edit {}, then run `cargo run -p workshop -- verify` \
                     (stuck? `cargo run -p workshop -- hint {number}`).",
                    exercise.name,
                    self.files_of(exercise)
                );
            }
        }
    }

    /// The exercise's editable files, as paths from the repository root.
    fn files_of(&self, exercise: &Exercise) -> String {
        let files: Vec<String> = exercise
            .files
            .iter()
            .map(|f| format!("exercises/{f}"))
            .collect();
        files.join(" and ")
    }

    /// `verify [N]`: runs exercise N's tests (default: the next not done) and says
    /// what to do next. Returns whether it passed.
    pub fn verify(&self, number: Option<usize>) -> anyhow::Result<bool> {
        let number = match number {
            Some(number) => number,
            None => match state::next_exercise(&self.cached_statuses()) {
                Some(number) => number,
                None => {
                    println!("{}", self.ui.good("All exercises done. Well played!"));
                    return Ok(true);
                }
            },
        };
        let exercise = self.catalog.get(number)?;
        println!(
            "{}",
            self.ui.heading(&format!(
                "Exercise {number}: {} ({})",
                exercise.title, exercise.name
            ))
        );
        let Some(output) = self.check(&[exercise])? else {
            println!(
                "{} The exercises crate does not compile: fix the errors cargo printed above \
                 (a compile error in any exercise stops them all), or undo with \
                 `cargo run -p workshop -- reset N`.",
                self.ui.bad("✗")
            );
            return Ok(false);
        };
        let passed = testrun::verdicts(&output)
            .get(&exercise.name)
            .copied()
            .unwrap_or(false);
        if passed {
            println!("{} exercise {number} passes its tests.", self.ui.good("✓"));
            self.say_next(&self.cached_statuses());
        } else {
            println!(
                "{} exercise {number} is not done yet. What failed:",
                self.ui.bad("✗")
            );
            let mut failures = testrun::failures(&output);
            if failures.is_empty() {
                // No test got to fail (a crash, or cargo itself): show cargo's last words.
                let lines: Vec<&str> = output.lines().collect();
                failures.push(lines[lines.len().saturating_sub(20)..].join("\n"));
            }
            for failure in failures {
                println!();
                for line in failure.lines() {
                    println!("    {line}");
                }
            }
            println!();
            println!(
                "Edit {}, then verify again (`cargo run -p workshop -- watch` does it on every save). \
                 Stuck? `cargo run -p workshop -- hint {number}`; the chapter is docs/src/{}.",
                self.files_of(exercise),
                exercise.chapter
            );
        }
        Ok(passed)
    }

    /// `hint N`: the exercise's hint, where to edit and which chapter to read.
    pub fn hint(&self, number: usize) -> anyhow::Result<()> {
        let exercise = self.catalog.get(number)?;
        println!(
            "{}",
            self.ui
                .heading(&format!("Exercise {number}: {}", exercise.title))
        );
        println!("Edit:    {}", self.files_of(exercise));
        println!("Read:    docs/src/{}", exercise.chapter);
        println!();
        println!("{}", exercise.hint);
        let solutions: Vec<String> = exercise
            .files
            .iter()
            .map(|f| format!("exercises/{}", crate::catalog::solution_of(f)))
            .collect();
        println!();
        println!(
            "Still stuck? The reference solution is {}.",
            solutions.join(" and ")
        );
        Ok(())
    }

    /// `reset N`: puts exercise N's files back as they are committed in git.
    pub fn reset(&self, number: usize) -> anyhow::Result<()> {
        let exercise = self.catalog.get(number)?;
        for file in &exercise.files {
            let spec = format!("HEAD:exercises/{file}");
            let output = std::process::Command::new("git")
                .current_dir(&self.root)
                .args(["show", &spec])
                .output()
                .context("reset needs git: restore the file from your clone by hand")?;
            if !output.status.success() {
                bail!(
                    "git cannot show {spec}: {}",
                    String::from_utf8_lossy(&output.stderr).trim()
                );
            }
            std::fs::write(self.catalog.dir.join(file), output.stdout)?;
            println!("restored exercises/{file}");
        }
        Ok(())
    }
}
