//! Which exercises are done, remembered between runs.
//!
//! "Done" means the exercise's tests passed. Running them takes seconds, so the
//! result is cached in `target/workshop-state.json`, keyed by a fingerprint of
//! every file that decides it (the holes and the test). Edit a file and its
//! fingerprint changes, so the cached verdict no longer applies: `list` re-checks
//! exactly the exercises that changed. A few earlier verdicts are kept too, so
//! undoing an edit, or `reset`, needs no new run.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::Exercise;

/// What the runner knows about one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Its tests passed on these very files.
    Done,
    /// Its tests failed on these very files.
    Pending,
    /// Not checked since its files last changed.
    Unchecked,
}

/// One remembered verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Verdict {
    fingerprint: String,
    passed: bool,
}

/// How many verdicts to remember per exercise: enough that undoing an edit (or a
/// `reset`) finds the earlier verdict again instead of re-running the tests.
const REMEMBERED: usize = 16;

/// The cache file's content: exercise name → its latest verdicts, newest last,
/// and exercise name → how many hint levels it has shown.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    verdicts: BTreeMap<String, Vec<Verdict>>,
    #[serde(default)]
    hints: BTreeMap<String, usize>,
}

impl State {
    /// Reads the cache; a missing or unreadable file is an empty cache, not an error.
    pub fn load(path: &Path) -> Self {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the cache, creating its folder if needed.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, serde_json::to_vec_pretty(self)?)?;
        Ok(())
    }

    /// The status of `name`, whose files now have `fingerprint`.
    pub fn status(&self, name: &str, fingerprint: &str) -> Status {
        let known = self.verdicts.get(name).into_iter().flatten();
        match known.rev().find(|v| v.fingerprint == fingerprint) {
            Some(v) if v.passed => Status::Done,
            Some(_) => Status::Pending,
            None => Status::Unchecked,
        }
    }

    /// Remembers that `name`'s tests `passed` (or not) on files with `fingerprint`.
    pub fn record(&mut self, name: &str, fingerprint: String, passed: bool) {
        let verdicts = self.verdicts.entry(name.to_owned()).or_default();
        verdicts.retain(|v| v.fingerprint != fingerprint);
        verdicts.push(Verdict {
            fingerprint,
            passed,
        });
        let excess = verdicts.len().saturating_sub(REMEMBERED);
        verdicts.drain(..excess);
    }
}

impl State {
    /// How many hint levels `name` has shown so far.
    pub fn hints_shown(&self, name: &str) -> usize {
        self.hints.get(name).copied().unwrap_or(0)
    }

    /// Remembers that `name` has now shown `levels` hint levels.
    pub fn show_hints(&mut self, name: &str, levels: usize) {
        self.hints.insert(name.to_owned(), levels);
    }
}

/// A SHA-256 over the names and contents of every file that decides `exercise`.
///
/// A missing file hashes as empty, so deleting a file also changes the fingerprint.
pub fn fingerprint(exercises_dir: &Path, exercise: &Exercise) -> String {
    let mut hasher = Sha256::new();
    for file in exercise.checked_files() {
        hasher.update(file.as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(exercises_dir.join(&file)).unwrap_or_default());
        hasher.update([0]);
    }
    hex::encode(hasher.finalize())
}

/// The exercise to work on next: the first one that is not done.
pub fn next_exercise(statuses: &[Status]) -> Option<usize> {
    statuses
        .iter()
        .position(|status| *status != Status::Done)
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_holds_only_for_the_files_it_was_made_on() {
        let mut state = State::default();
        assert_eq!(state.status("ex01", "aa"), Status::Unchecked);
        state.record("ex01", "aa".into(), true);
        state.record("ex02", "bb".into(), false);
        assert_eq!(state.status("ex01", "aa"), Status::Done);
        assert_eq!(state.status("ex02", "bb"), Status::Pending);
        assert_eq!(state.status("ex01", "changed"), Status::Unchecked);
        // Undoing an edit finds the earlier verdict; a new verdict replaces an old one.
        state.record("ex01", "changed".into(), false);
        assert_eq!(state.status("ex01", "aa"), Status::Done);
        state.record("ex01", "aa".into(), false);
        assert_eq!(state.status("ex01", "aa"), Status::Pending);
        for i in 0..REMEMBERED {
            state.record("ex01", format!("edit {i}"), false);
        }
        assert_eq!(state.status("ex01", "aa"), Status::Unchecked, "forgotten");
    }

    #[test]
    fn the_cache_survives_a_round_trip_and_tolerates_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/state.json");
        let mut state = State::default();
        state.record("ex01", "aa".into(), true);
        state.show_hints("ex01", 2);
        state.save(&path).unwrap();
        assert_eq!(State::load(&path).status("ex01", "aa"), Status::Done);
        assert_eq!(State::load(&path).hints_shown("ex01"), 2);
        assert_eq!(State::load(&path).hints_shown("ex02"), 0);
        // A cache written before hints were remembered still loads.
        std::fs::write(&path, r#"{"verdicts":{}}"#).unwrap();
        assert_eq!(State::load(&path).hints_shown("ex01"), 0);
        std::fs::write(&path, "not json").unwrap();
        assert_eq!(State::load(&path).status("ex01", "aa"), Status::Unchecked);
    }

    #[test]
    fn fingerprints_change_with_any_checked_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::create_dir_all(dir.path().join("tests")).unwrap();
        let exercise = crate::catalog::parse(
            "[[exercise]]\nname='ex01'\ntitle='t'\nchapter='c'\nfiles=['src/ex01.rs']\nhints=['h']",
        )
        .unwrap()
        .remove(0);
        let before = fingerprint(dir.path(), &exercise);
        std::fs::write(dir.path().join("src/ex01.rs"), "fn main() {}").unwrap();
        let edited = fingerprint(dir.path(), &exercise);
        std::fs::write(dir.path().join("tests/ex01.rs"), "#[test] fn t() {}").unwrap();
        let test_edited = fingerprint(dir.path(), &exercise);
        assert!(before != edited && edited != test_edited);
        assert_eq!(test_edited, fingerprint(dir.path(), &exercise));
    }

    #[test]
    fn the_next_exercise_is_the_first_not_done() {
        use Status::*;
        assert_eq!(next_exercise(&[Done, Pending, Unchecked]), Some(2));
        assert_eq!(next_exercise(&[Unchecked, Done]), Some(1));
        assert_eq!(next_exercise(&[Done, Done]), None);
    }
}
