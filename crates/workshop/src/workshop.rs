//! The learner's commands: `list`, `next`, `verify`, `hint` and `reset`.
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

/// Where `reset` finds the exercises as shipped, relative to `exercises/`: a copy
/// of every exercise file, refreshed by `scripts/ship-exercises` (and checked by
/// `scripts/check-exercises`). Not `git HEAD`: that may hold the learner's commits.
pub const SHIPPED: &str = ".shipped";

/// How to call the runner, in every command it suggests.
const RUN: &str = "cargo run -p workshop --";

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

    /// Where verdicts and hint levels are kept: `$WORKSHOP_STATE` if set (the
    /// runner's own tests use it), else `workshop-state.json` in `$CARGO_TARGET_DIR`
    /// or `target/`.
    fn state_path(&self) -> PathBuf {
        if let Some(path) = std::env::var_os("WORKSHOP_STATE") {
            return self.root.join(path);
        }
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
    /// last changed (those of the shared exercises crate in one cargo run).
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
                "checking {} exercise(s) not checked since their files changed…",
                stale.len()
            );
            let (own, shared): (Vec<&Exercise>, Vec<&Exercise>) =
                stale.into_iter().partition(|e| e.package().is_some());
            if !shared.is_empty() {
                self.check(&shared)?;
            }
            for exercise in own {
                self.check(&[exercise])?;
            }
        }
        Ok(self.cached_statuses())
    }

    /// Builds and runs the tests of `exercises` (all in one cargo package), records
    /// the verdicts and returns cargo's output, or `None` if the package does not
    /// compile.
    fn check(&self, exercises: &[&Exercise]) -> anyhow::Result<Option<String>> {
        let dir = &self.catalog.dir;
        let package = match exercises.first().and_then(|e| e.package()) {
            Some(package) => dir.join(package),
            None => dir.clone(),
        };
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        eprintln!("building the exercises…");
        if !testrun::build(&package, &names)? {
            return Ok(None);
        }
        let output = testrun::run(&package, &names)?;
        let verdicts = testrun::verdicts(&output);
        let mut state = State::load(&self.state_path());
        for exercise in exercises {
            let passed = verdicts.get(&exercise.name).copied().unwrap_or(false);
            state.record(&exercise.name, state::fingerprint(dir, exercise), passed);
        }
        state.save(&self.state_path())?;
        Ok(Some(output))
    }

    /// `list`: the lessons, then every exercise with its status, the progress
    /// line and what to do next. Shows what the runner remembers at once; with
    /// `check`, first runs the tests of every exercise not checked since it changed.
    pub fn list(&self, check: bool) -> anyhow::Result<()> {
        let statuses = if check {
            self.statuses()?
        } else {
            self.cached_statuses()
        };
        println!("{}", self.ui.heading("Lessons   (cargo run -p <crate>)"));
        for lesson in lessons::LESSONS {
            let here = if lessons::is_present(&self.root, lesson) {
                ""
            } else {
                "   (not in this checkout)"
            };
            println!(
                "  {:<40} {:<24} docs/src/{}{here}",
                lesson.chapter, lesson.crate_name, lesson.page
            );
        }
        println!();
        println!(
            "{}",
            self.ui.heading(&format!("Exercises ({RUN} verify N)"))
        );
        for (exercise, status) in self.catalog.exercises.iter().zip(&statuses) {
            let status = self.ui.status(*status);
            println!(
                "  {:>2}  {status}  {:<9} {:<26} {}",
                exercise.number,
                exercise.kind.word(),
                exercise.name,
                exercise.title
            );
        }
        println!();
        if !check && statuses.contains(&Status::Unchecked) {
            println!(
                "\"not checked yet\": the runner has no verdict for these files. `{RUN} verify` \
                 checks the next one, `{RUN} list --check` checks them all (the first run \
                 builds the exercises crate)."
            );
        }
        println!("{}", self.progress(&statuses));
        self.say_next(&statuses);
        Ok(())
    }

    /// The progress line: `Progress: 7/31 done, chapter 2 (sync)`, the chapter
    /// being that of the next exercise.
    pub fn progress(&self, statuses: &[Status]) -> String {
        let done = statuses.iter().filter(|s| **s == Status::Done).count();
        let total = statuses.len();
        let place = match state::next_exercise(statuses) {
            None => "all chapters".to_owned(),
            Some(number) => match self.catalog.exercises[number - 1].chapter_number() {
                Some((chapter, name)) => format!("chapter {chapter} ({name})"),
                None => "the capstone".to_owned(),
            },
        };
        format!("Progress: {done}/{total} done, {place}")
    }

    /// Prints what to do next, given every exercise's status.
    fn say_next(&self, statuses: &[Status]) {
        match state::next_exercise(statuses) {
            None => println!("{}", self.ui.good("All exercises done. Well played!")),
            Some(number) => {
                let exercise = &self.catalog.exercises[number - 1];
                println!(
                    "Next: exercise {number}, {}: edit {}, then run `{RUN} verify` \
                     (stuck? `{RUN} hint {number}`).",
                    exercise.name,
                    self.files_of(exercise)
                );
            }
        }
    }

    /// `next`: the first exercise not done, from what the runner remembers: what
    /// to open, what to read, and the command that checks it.
    pub fn next(&self) -> anyhow::Result<()> {
        let statuses = self.cached_statuses();
        println!("{}", self.progress(&statuses));
        let Some(number) = state::next_exercise(&statuses) else {
            println!("{}", self.ui.good("All exercises done. Well played!"));
            return Ok(());
        };
        let exercise = &self.catalog.exercises[number - 1];
        let status = match statuses[number - 1] {
            Status::Pending => "its tests fail",
            _ => "not checked yet",
        };
        println!(
            "{}",
            self.ui.heading(&format!(
                "Next: exercise {number} ({}), {}",
                exercise.kind.word(),
                exercise.title
            ))
        );
        println!("  status:  {status}");
        println!("  open:    {}", self.files_of(exercise));
        println!("  read:    docs/src/{}", exercise.chapter);
        println!("  verify:  {RUN} verify {number}   (or `{RUN} watch {number}`)");
        println!(
            "  stuck?   {RUN} hint {number}   ({} levels, from a nudge to a sketch)",
            exercise.hints.len()
        );
        Ok(())
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

    /// The exercise `verify` and `watch` check when given no number: the first
    /// one not done, or `None` when all are.
    pub fn default_exercise(&self) -> Option<usize> {
        state::next_exercise(&self.cached_statuses())
    }

    /// `verify [N]`: runs exercise N's tests (default: the next not done) and says
    /// what to do next. Returns whether it passed.
    pub fn verify(&self, number: Option<usize>) -> anyhow::Result<bool> {
        let Some(number) = number.or_else(|| self.default_exercise()) else {
            println!("{}", self.ui.good("All exercises done. Well played!"));
            return Ok(true);
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
                "{} The exercises do not compile: fix the errors cargo printed above \
                 (a compile error in any exercise stops them all), or undo with \
                 `{RUN} reset N`.",
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
            let statuses = self.cached_statuses();
            println!("{}", self.progress(&statuses));
            self.say_next(&statuses);
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
                "Edit {}, then verify again (`{RUN} watch {number}` does it on every save). \
                 Stuck? `{RUN} hint {number}`; the chapter is docs/src/{}.",
                self.files_of(exercise),
                exercise.chapter
            );
        }
        Ok(passed)
    }

    /// `hint N`: the next hint level of exercise N (each call shows one more, up
    /// to the last), which level it is, where to edit and which chapter to read.
    /// `again` shows the last level seen instead of the next one.
    pub fn hint(&self, number: usize, again: bool) -> anyhow::Result<()> {
        let exercise = self.catalog.get(number)?;
        let mut state = State::load(&self.state_path());
        let total = exercise.hints.len();
        let shown = state.hints_shown(&exercise.name);
        let level = if again { shown.max(1) } else { shown + 1 }.min(total);
        println!(
            "{}",
            self.ui.heading(&format!(
                "Exercise {number}: {} (hint {level} of {total})",
                exercise.title
            ))
        );
        println!("Edit:    {}", self.files_of(exercise));
        println!("Read:    docs/src/{}", exercise.chapter);
        println!();
        println!("{}", exercise.hints[level - 1]);
        println!();
        if level < total {
            println!(
                "Hint {level} of {total}. Still stuck after trying it? `{RUN} hint {number}` again \
                 shows hint {} of {total}.",
                level + 1
            );
        } else {
            println!(
                "Hint {level} of {total}: that was the last one. The chapter, docs/src/{}, \
                 shows the same ideas at work in a lesson.",
                exercise.chapter
            );
        }
        state.show_hints(&exercise.name, level.max(shown));
        state.save(&self.state_path())?;
        Ok(())
    }

    /// `reset N`: puts exercise N's files back as shipped, from `exercises/.shipped/`.
    pub fn reset(&self, number: usize) -> anyhow::Result<()> {
        let exercise = self.catalog.get(number)?;
        let shipped = self.catalog.dir.join(SHIPPED);
        // Check every file first, so a reset never stops halfway.
        let mut copies = Vec::new();
        for file in &exercise.files {
            let copy = shipped.join(file);
            let text = std::fs::read(&copy).with_context(|| {
                format!(
                    "no shipped copy of exercises/{file} (looked in exercises/{SHIPPED}/{file}); \
                     `git log -p exercises/{file}` shows its history"
                )
            })?;
            copies.push((file, text));
        }
        if copies.is_empty() {
            bail!("exercise {number} lists no files");
        }
        for (file, text) in copies {
            std::fs::write(self.catalog.dir.join(file), text)
                .with_context(|| format!("cannot write exercises/{file}"))?;
            println!("restored exercises/{file} as shipped");
        }
        Ok(())
    }
}
