//! One list of lessons: [`LESSONS`] is the list, and these tests fail as soon as
//! another place that names the lessons disagrees with it.
//!
//! The lessons are named in four places a reader or a script meets: the README's
//! table, the book's `SUMMARY.md`, this runner's list (what `tour` runs) and the
//! interop suite's cases. Each is read from the checkout at test time (not baked
//! in at build time), so an edit to any of them is checked on the next run.

use std::path::{Path, PathBuf};

use crate::lessons::LESSONS;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo().join(relative))
        .unwrap_or_else(|error| panic!("cannot read {relative}: {error}"))
}

/// `(crate, page)` for each row of the README's lesson table, in order.
fn readme_rows() -> Vec<(String, String)> {
    let readme = read("README.md");
    let table = readme
        .split("## Lessons")
        .nth(1)
        .expect("README has a `## Lessons` section");
    table
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // | chapter | section | `crate` ... | [page](docs/src/page) |
            let crate_cell = cells.get(3)?;
            let name = crate_cell.strip_prefix('`')?.split('`').next()?;
            let page = cells
                .get(4)?
                .split("](docs/src/")
                .nth(1)?
                .strip_suffix(')')?;
            Some((name.to_owned(), page.to_owned()))
        })
        .collect()
}

/// The crate names the interop suite's cases use (`Lesson("crate", ...)`).
fn interop_crates() -> Vec<String> {
    read("scripts/interop.d/cases.py")
        .split("Lesson(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// Every package under `crates/lessons/`: a lesson crate nobody lists is a lesson
/// nobody finds.
fn lesson_packages() -> Vec<String> {
    let mut names = Vec::new();
    let lessons = repo().join("crates/lessons");
    for chapter in std::fs::read_dir(&lessons).expect("crates/lessons") {
        let chapter = chapter.unwrap().path();
        for krate in std::fs::read_dir(&chapter).unwrap() {
            let manifest = krate.unwrap().path().join("Cargo.toml");
            if let Ok(text) = std::fs::read_to_string(&manifest) {
                names.push(package_name(&text).unwrap_or_default());
            }
        }
    }
    names.sort();
    names
}

fn package_name(manifest: &str) -> Option<String> {
    let line = manifest
        .lines()
        .find(|line| line.trim_start().starts_with("name"))?;
    Some(line.split('"').nth(1)?.to_owned())
}

#[test]
fn every_listed_crate_is_in_its_folder() {
    for lesson in LESSONS {
        let manifest = repo().join(lesson.dir).join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap_or_else(|_| {
            panic!(
                "{} lists {}, which has no Cargo.toml",
                lesson.crate_name, lesson.dir
            )
        });
        assert_eq!(
            package_name(&text).as_deref(),
            Some(lesson.crate_name),
            "{} is not the package in {}",
            lesson.crate_name,
            lesson.dir
        );
    }
}

#[test]
fn every_lesson_crate_is_listed() {
    for name in lesson_packages() {
        assert!(
            LESSONS.iter().any(|l| l.crate_name == name),
            "crates/lessons holds `{name}`, which the runner's list (src/lessons.rs) does not name"
        );
    }
}

#[test]
fn the_readme_table_is_the_list() {
    // The table's last row is this runner itself, which is not a lesson.
    let readme: Vec<(String, String)> = readme_rows()
        .into_iter()
        .filter(|(name, _)| name != "workshop")
        .collect();
    let listed: Vec<(String, String)> = LESSONS
        .iter()
        .map(|l| (l.crate_name.to_owned(), l.page.to_owned()))
        .collect();
    assert_eq!(
        readme, listed,
        "README's lesson table (crate, page) vs src/lessons.rs"
    );
}

#[test]
fn the_summary_has_every_page_in_order() {
    let summary = read("docs/src/SUMMARY.md");
    let mut last = 0;
    for lesson in LESSONS {
        let position = summary
            .find(&format!("]({})", lesson.page))
            .unwrap_or_else(|| panic!("SUMMARY.md has no page {}", lesson.page));
        assert!(
            position >= last,
            "SUMMARY.md puts {} before the lesson listed ahead of it",
            lesson.page
        );
        last = position;
    }
}

#[test]
fn interop_cases_name_listed_lessons_and_cover_the_tutorial() {
    let interop = interop_crates();
    assert!(
        !interop.is_empty(),
        "no Lesson(...) found in scripts/interop.d/cases.py"
    );
    for name in &interop {
        assert!(
            LESSONS.iter().any(|l| l.crate_name == name),
            "the interop cases name `{name}`, which the runner's list does not"
        );
    }
    let tutorial_pages = ["sync/", "async/", "security/"];
    for lesson in LESSONS {
        if tutorial_pages.iter().any(|p| lesson.page.starts_with(p)) {
            assert!(
                interop.iter().any(|name| name == lesson.crate_name),
                "{} follows a tutorial section but has no interop case",
                lesson.crate_name
            );
        }
    }
}
