//! `cargo run -p workshop`: the workshop runner.
//!
//! Like rustlings, it knows every exercise, which ones are done, and what to do
//! next; like a trainer, it can run every lesson's demo in order (`tour`).
//! Modules, one concept each: [`catalog`] (the exercise list), [`state`] (the
//! done/pending cache), [`testrun`] (cargo and its output), [`lessons`] (the lesson
//! table), [`workshop`] (list, next, verify, hint, reset), [`watch`], [`tour`], [`ui`].

mod catalog;
mod lessons;
#[cfg(test)]
mod one_list;
mod state;
mod testrun;
mod tour;
mod ui;
mod watch;
mod workshop;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Lists the lessons and exercises, checks your exercise and says what to do next.
#[derive(Debug, Parser)]
#[command(name = "workshop", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lessons and exercises, done / pending / not checked yet (the default); runs nothing.
    List {
        /// First run the tests of every exercise not checked since its files changed.
        #[arg(long)]
        check: bool,
        /// Accepted for older scripts: `list` shows the remembered statuses anyway.
        #[arg(long, hide = true, conflicts_with = "check")]
        cached: bool,
    },
    /// The first exercise not done: what to open, what to read, how to check it.
    Next,
    /// Run exercise N's tests (default: the first one not done) and say what to do next.
    Verify { number: Option<usize> },
    /// Show exercise N's next hint level (a nudge, then the API, then a sketch).
    Hint {
        number: usize,
        /// Show the last level seen again instead of the next one.
        #[arg(long)]
        again: bool,
    },
    /// Verify exercise N (default: the first one not done) again every time you save.
    Watch { number: Option<usize> },
    /// Put exercise N's files back as shipped (your edits to them are lost).
    Reset { number: usize },
    /// Trainer mode: run every lesson's demo in order, with short delays.
    Tour,
}

/// The repository root: the nearest folder up from here with `exercises/info.toml`,
/// else the checkout this runner was built from.
fn find_root() -> PathBuf {
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let here = std::env::current_dir().unwrap_or_else(|_| built_from.clone());
    here.ancestors()
        .find(|dir| dir.join("exercises/info.toml").is_file())
        .map(Path::to_path_buf)
        .unwrap_or(built_from)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = find_root();
    let command = cli.command.unwrap_or(Command::List {
        check: false,
        cached: false,
    });
    let outcome = (|| -> anyhow::Result<bool> {
        // The tour needs only the lesson crates; everything else needs the exercises.
        let workshop = match command {
            Command::Tour => return tour::tour(&root, &ui::Ui::detect()).map(|()| true),
            _ => workshop::Workshop::open(&root)?,
        };
        match command {
            Command::List { check, .. } => workshop.list(check).map(|()| true),
            Command::Next => workshop.next().map(|()| true),
            Command::Verify { number } => workshop.verify(number),
            Command::Hint { number, again } => workshop.hint(number, again).map(|()| true),
            Command::Watch { number } => watch::watch(&workshop, number).map(|()| true),
            Command::Reset { number } => workshop.reset(number).map(|()| true),
            Command::Tour => Ok(true),
        }
    })();
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("workshop: {error:#}");
            ExitCode::from(2)
        }
    }
}
