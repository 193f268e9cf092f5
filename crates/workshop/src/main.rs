//! `cargo run -p workshop`: the workshop runner.
//!
//! Like rustlings, it knows every exercise, which ones are done, and what to do
//! next; like a trainer, it can run every lesson's demo in order (`tour`).
//! Modules, one concept each: [`catalog`] (the exercise list), [`state`] (the
//! done/pending cache), [`testrun`] (cargo and its output), [`lessons`] (the lesson
//! table), [`workshop`] (list, verify, hint, reset), [`watch`], [`tour`], [`ui`].

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
    /// Lessons and exercises with done / pending (the default); re-checks changed exercises.
    List {
        /// Show the remembered statuses only; run no tests.
        #[arg(long)]
        cached: bool,
    },
    /// Run exercise N's tests (default: the first one not done) and say what to do next.
    Verify { number: Option<usize> },
    /// Show exercise N's hint.
    Hint { number: usize },
    /// Verify the current exercise again every time you save.
    Watch,
    /// Put exercise N's files back as they were (from git).
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
    let command = cli.command.unwrap_or(Command::List { cached: false });
    let outcome = (|| -> anyhow::Result<bool> {
        // The tour needs only the lesson crates; everything else needs the exercises.
        let workshop = match command {
            Command::Tour => return tour::tour(&root, &ui::Ui::detect()).map(|()| true),
            _ => workshop::Workshop::open(&root)?,
        };
        match command {
            Command::List { cached } => workshop.list(cached).map(|()| true),
            Command::Verify { number } => workshop.verify(number),
            Command::Hint { number } => workshop.hint(number).map(|()| true),
            Command::Watch => watch::watch(&workshop).map(|()| true),
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
