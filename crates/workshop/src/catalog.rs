//! The exercise list, read from `exercises/info.toml`.
//!
//! One file says which exercises exist, in which order, what to edit and what to
//! hint, so the runner, the docs and the check script never disagree about it.
//! An exercise's number is its position in that file, counting from 1.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

/// One exercise, as `info.toml` describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct Exercise {
    /// Its position in the list, from 1 (filled in after parsing).
    #[serde(skip)]
    pub number: usize,
    /// Module and test-file name, e.g. `ex02_unary`.
    pub name: String,
    /// One line saying what it practises.
    pub title: String,
    /// The book page it practises, relative to `docs/src`.
    pub chapter: String,
    /// What the learner edits, relative to `exercises/`.
    pub files: Vec<String>,
    /// What kind of task it is.
    #[serde(default)]
    pub kind: Kind,
    /// The hint levels, from a nudge to a code sketch: `hint N` shows the next one
    /// each time it is asked.
    #[serde(default)]
    pub hints: Vec<String>,
}

/// The kinds of exercise: what the learner is asked to do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Fill in a handler, a client, a builder.
    #[default]
    Write,
    /// The program compiles and runs but is wrong: find the bug.
    Fix,
    /// Write a number into a constant; the test measures the real one.
    Predict,
    /// Set windows, deadlines, limits, keepalive, TLS.
    Configure,
    /// The final project: a whole service, its own package under `exercises/`.
    Capstone,
}

impl Kind {
    /// The word `list` shows.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Write => "write",
            Kind::Fix => "fix",
            Kind::Predict => "predict",
            Kind::Configure => "configure",
            Kind::Capstone => "capstone",
        }
    }
}

#[derive(Debug, Deserialize)]
struct InfoFile {
    exercise: Vec<Exercise>,
}

impl Exercise {
    /// The test file that decides whether the exercise is done: `tests/<name>.rs`,
    /// or inside the capstone's own package, `<name>/tests/<name>.rs`.
    pub fn test_file(&self) -> String {
        match self.package() {
            Some(package) => format!("{package}/tests/{}.rs", self.name),
            None => format!("tests/{}.rs", self.name),
        }
    }

    /// The folder (under `exercises/`) of the exercise's own cargo package, if it
    /// has one (the capstone); the others live in the shared exercises crate.
    pub fn package(&self) -> Option<&str> {
        (self.kind == Kind::Capstone).then_some(self.name.as_str())
    }

    /// The book's chapter the exercise belongs to, from its page: `sync/unary.md`
    /// is chapter 2. `None` for pages outside the numbered chapters (the capstone).
    pub fn chapter_number(&self) -> Option<(usize, &'static str)> {
        let part = self.chapter.split('/').next().unwrap_or_default();
        match part {
            "proto" | "from-scratch" | "scratch" => Some((1, "proto")),
            "sync" => Some((2, "sync")),
            "async" => Some((3, "async")),
            "security" => Some((4, "security")),
            "beyond" => Some((5, "beyond the tutorial")),
            "production" => Some((6, "running it for real")),
            _ => None,
        }
    }

    /// Every file whose content decides the outcome: the holes and the test.
    pub fn checked_files(&self) -> Vec<String> {
        let mut files = self.files.clone();
        files.push(self.test_file());
        files
    }
}

/// Where the reference solution of the exercise file `file` lives (for tests and
/// the check script: the runner never points a learner at it).
///
/// `src/ex02_unary.rs` → `solutions/ex02_unary.rs`;
/// `proto/ex01_proto_field.proto` → `solutions/proto/ex01_proto_field.proto`;
/// `capstone/src/service.rs` → `capstone/solution/service.rs`.
#[cfg(test)]
pub fn solution_of(file: &str) -> String {
    if let Some((package, rest)) = file.split_once("/src/") {
        return format!("{package}/solution/{rest}");
    }
    format!("solutions/{}", file.strip_prefix("src/").unwrap_or(file))
}

/// All exercises, and the folder they live in.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The `exercises/` folder.
    pub dir: PathBuf,
    /// In order; `exercises[i].number == i + 1`.
    pub exercises: Vec<Exercise>,
}

impl Catalog {
    /// Reads `dir/info.toml` and checks every listed file exists.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join("info.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let exercises = parse(&text).with_context(|| format!("in {}", path.display()))?;
        for exercise in &exercises {
            for file in exercise.checked_files() {
                if !dir.join(&file).is_file() {
                    bail!(
                        "exercise {} lists {file}, which does not exist",
                        exercise.name
                    );
                }
            }
        }
        Ok(Self {
            dir: dir.to_owned(),
            exercises,
        })
    }

    /// Exercise number `number` (from 1), or an error naming the valid range.
    pub fn get(&self, number: usize) -> anyhow::Result<&Exercise> {
        match number.checked_sub(1).and_then(|i| self.exercises.get(i)) {
            Some(exercise) => Ok(exercise),
            None => bail!(
                "there is no exercise {number}: pick 1 to {}",
                self.exercises.len()
            ),
        }
    }
}

/// Parses `info.toml` text, numbering the exercises and rejecting duplicates.
pub fn parse(text: &str) -> anyhow::Result<Vec<Exercise>> {
    let mut exercises = toml::from_str::<InfoFile>(text)?.exercise;
    for (index, exercise) in exercises.iter_mut().enumerate() {
        exercise.number = index + 1;
        exercise.hints = exercise.hints.iter().map(|h| h.trim().to_owned()).collect();
        if exercise.hints.iter().any(String::is_empty) || exercise.hints.is_empty() {
            bail!("exercise {} needs non-empty hints", exercise.name);
        }
        if exercise.files.is_empty() {
            bail!("exercise {} lists no files to edit", exercise.name);
        }
    }
    let mut names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        bail!("exercise {} is listed twice", pair[0]);
    }
    Ok(exercises)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
        [[exercise]]
        name = "ex01_a"
        title = "A"
        chapter = "proto/README.md"
        files = ["proto/a.proto"]
        hints = ["""
        first hint
        """, "second", "third"]

        [[exercise]]
        name = "ex02_b"
        title = "B"
        chapter = "sync/unary.md"
        files = ["src/ex02_b.rs"]
        kind = "fix"
        hints = ["a nudge", "the API", """
        a sketch
        """]
    "#;

    #[test]
    fn numbers_follow_the_file_order() {
        let exercises = parse(SAMPLE).unwrap();
        let numbered: Vec<(usize, &str)> = exercises
            .iter()
            .map(|e| (e.number, e.name.as_str()))
            .collect();
        assert_eq!(numbered, [(1, "ex01_a"), (2, "ex02_b")]);
        assert_eq!(exercises[0].hints, ["first hint", "second", "third"]);
        assert_eq!(exercises[0].kind, Kind::Write, "the default kind");
        assert_eq!(exercises[1].hints, ["a nudge", "the API", "a sketch"]);
        assert_eq!(exercises[1].kind, Kind::Fix);
        assert_eq!(
            exercises[1].checked_files(),
            ["src/ex02_b.rs", "tests/ex02_b.rs"]
        );
    }

    #[test]
    fn duplicates_and_empty_file_lists_are_rejected() {
        let twice = format!("{SAMPLE}{}", SAMPLE.replace("ex01_a", "ex03_c"));
        assert!(parse(&twice).unwrap_err().to_string().contains("twice"));
        let empty = SAMPLE.replace(r#"["src/ex02_b.rs"]"#, "[]");
        assert!(parse(&empty).is_err());
        let blank_hint = SAMPLE.replace("\"the API\"", "\"  \"");
        assert!(
            parse(&blank_hint)
                .unwrap_err()
                .to_string()
                .contains("hints")
        );
        // The single `hint` of older info.toml files is not read: no levels, refused.
        let old_style =
            SAMPLE.replace("hints = [\"a nudge\", \"the API\", \"\"\"", "hint = \"\"\"");
        let old_style = old_style.replace("a sketch\n        \"\"\"]", "a sketch\n        \"\"\"");
        assert!(old_style.contains("hint = \"\"\""), "{old_style}");
        assert!(parse(&old_style).unwrap_err().to_string().contains("hints"));
    }

    #[test]
    fn solutions_mirror_the_exercise_paths() {
        assert_eq!(solution_of("src/ex02_unary.rs"), "solutions/ex02_unary.rs");
        assert_eq!(
            solution_of("proto/ex01_proto_field.proto"),
            "solutions/proto/ex01_proto_field.proto"
        );
        assert_eq!(
            solution_of("capstone/src/service.rs"),
            "capstone/solution/service.rs"
        );
    }

    #[test]
    fn the_capstone_has_its_own_package_and_chapters_are_numbered() {
        let capstone = "[[exercise]]\nname='capstone'\ntitle='t'\nchapter='workshop/capstone.md'\n\
                        files=['capstone/src/service.rs']\nkind='capstone'\nhints=['h']";
        let exercise = parse(capstone).unwrap().remove(0);
        assert_eq!(exercise.package(), Some("capstone"));
        assert_eq!(exercise.test_file(), "capstone/tests/capstone.rs");
        assert_eq!(exercise.chapter_number(), None);
        let exercises = parse(SAMPLE).unwrap();
        assert_eq!(exercises[1].chapter_number(), Some((2, "sync")));
        assert_eq!(exercises[1].package(), None);
    }

    #[test]
    fn the_real_catalog_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises");
        let catalog = Catalog::load(&dir).unwrap();
        assert!(catalog.exercises.len() >= 12);
        assert!(catalog.get(0).is_err() && catalog.get(1).is_ok());
        for exercise in &catalog.exercises {
            for file in &exercise.files {
                assert!(
                    dir.join(solution_of(file)).is_file(),
                    "{file} has no solution"
                );
            }
        }
    }
}
