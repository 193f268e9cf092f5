//! `cargo run -p reliability [-- --addr http://host:port] [--case NAME]...`
//!
//! Starts the server under test on `127.0.0.1:0` (or aims at `--addr`), runs
//! every case, prints the `case | result | detail` table and `N passed, N failed`,
//! and exits non-zero if any case failed.

use clap::Parser;
use reliability::{Outcome, Table, Target, TestServer, cases};

/// Runs the reliability suite and prints a table of case -> result.
#[derive(Debug, Parser)]
#[command(name = "reliability", version)]
struct Cli {
    /// Run against this already-running server instead of our server under test
    /// (cases needing the test-service behaviours are skipped, with the reason).
    #[arg(long)]
    addr: Option<String>,
    /// Run only these cases (repeatable); all when omitted.
    #[arg(long = "case", value_name = "NAME")]
    only: Vec<String>,
}

fn main() -> anyhow::Result<()> {
    lesson_kit::logging::init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new()?;
    let table = runtime.block_on(run(cli))?;
    print!("{table}");
    if table.failed() > 0 {
        std::process::exit(1);
    }
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<Table> {
    let (server, target) = match cli.addr.as_deref() {
        Some(addr) => {
            let url = lesson_kit::addr::client_url(addr, false);
            (None, Target::connect(&url, None).await?)
        }
        None => {
            let server = TestServer::start().await?;
            let target = server.target().await?;
            (Some(server), target)
        }
    };
    let kind = if server.is_some() {
        "the server under test"
    } else {
        "an external server"
    };
    println!(
        "Reliability suite against {} ({kind}), contracts {:?}\n",
        target.url(),
        target.contracts()
    );
    let mut table = Table::default();
    for case in cases::all() {
        if cli.only.is_empty() || cli.only.iter().any(|name| name == case.name) {
            table.push(case.name, cases::run(&case, &target).await);
        }
    }
    drop(target);
    if let Some(server) = server {
        // Graceful shutdown waits for every call: it hangs if any case leaked one.
        let stopped = reliability::wait::within("stopping", server.stop()).await;
        let outcome = match stopped.and_then(|stopped| stopped) {
            Ok(()) => Outcome::Passed("stopped gracefully: no call left open".into()),
            Err(error) => Outcome::Failed(format!("{error:#}")),
        };
        table.push("graceful_shutdown", outcome);
    }
    Ok(table)
}
