//! `cargo run -p attacks [-- --quick | --full] [--case NAME]... [--target NAME]... [--write FILE]`
//!
//! Builds the lesson servers, runs every attack against each, prints the
//! results table and exits non-zero if any case failed. `--quick` (the default
//! when `CI=true`) keeps counts small for CI; `--full` is ten times larger.

use std::time::Instant;

use attacks::harness::{Scale, TARGETS, raise_fd_limit, run_one};
use clap::Parser;

/// Runs the attack suite against the lesson servers.
#[derive(Debug, Parser)]
#[command(name = "attacks", version)]
struct Cli {
    /// Small counts, for CI (the default when CI=true).
    #[arg(long, conflicts_with = "full")]
    quick: bool,
    /// Ten times the counts and longer holds (the default otherwise).
    #[arg(long)]
    full: bool,
    /// Run only these attacks (repeatable).
    #[arg(long = "case", value_name = "NAME")]
    cases: Vec<String>,
    /// Attack only these lesson servers (repeatable).
    #[arg(long = "target", value_name = "NAME")]
    targets: Vec<String>,
    /// Also write the Markdown table to this file (the book includes one).
    #[arg(long, value_name = "FILE")]
    write: Option<std::path::PathBuf>,
    /// Do not run `cargo build` for the lesson servers first.
    #[arg(long)]
    no_build: bool,
}

fn main() -> anyhow::Result<()> {
    lesson_kit::logging::init();
    let cli = Cli::parse();
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let scale = if cli.quick || (in_ci && !cli.full) {
        Scale::QUICK
    } else {
        Scale::FULL
    };
    let targets: Vec<_> = TARGETS
        .iter()
        .filter(|t| cli.targets.is_empty() || cli.targets.iter().any(|n| n == t.name))
        .collect();
    if !cli.no_build {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = std::process::Command::new(cargo);
        build.args(["build", "-q"]);
        for target in &targets {
            build.args(["-p", target.name]);
        }
        anyhow::ensure!(
            build.status()?.success(),
            "building the lesson servers failed"
        );
    }
    let fds = raise_fd_limit();
    println!(
        "Attack suite, scale {}, open-file limit {fds}\n",
        scale.name
    );
    let runtime = tokio::runtime::Runtime::new()?;
    let started = Instant::now();
    let mut rows = Vec::new();
    for (case, attack) in attacks::cases::all() {
        if !cli.cases.is_empty() && !cli.cases.iter().any(|n| n == case) {
            continue;
        }
        for target in &targets {
            let row = runtime.block_on(run_one(case, attack, target, scale));
            println!(
                "{case:28} {:12} {:5} {:>5.1}s  {}",
                target.name,
                if row.failure.is_none() {
                    "pass"
                } else {
                    "FAIL"
                },
                row.took.as_secs_f64(),
                row.failure.as_deref().unwrap_or(&row.answer)
            );
            rows.push(row);
        }
    }
    let table = attacks::report::markdown(&rows, scale);
    println!("\n{table}total {:.0}s", started.elapsed().as_secs_f64());
    if let Some(path) = cli.write {
        std::fs::write(&path, &table)?;
        println!("wrote {}", path.display());
    }
    if rows.iter().any(|r| r.failure.is_some()) {
        std::process::exit(1);
    }
    Ok(())
}
