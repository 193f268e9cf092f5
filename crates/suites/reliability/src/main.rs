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
    #[command(subcommand)]
    command: Option<Command>,
}

/// grpc's interop binaries, with their flag names.
#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Serves grpc.testing.TestService until killed; prints `listening on PORT`.
    InteropServer {
        #[arg(long)]
        port: u16,
        #[arg(long = "use_tls", num_args = 0..=1, default_missing_value = "true", default_value = "false")]
        use_tls: bool,
        #[arg(long = "tls_cert_file", required_if_eq("use_tls", "true"))]
        tls_cert_file: Option<std::path::PathBuf>,
        #[arg(long = "tls_key_file", required_if_eq("use_tls", "true"))]
        tls_key_file: Option<std::path::PathBuf>,
        /// SETTINGS_MAX_CONCURRENT_STREAMS for each connection (the max_streams case uses 1).
        #[arg(long = "max_concurrent_streams")]
        max_concurrent_streams: Option<u32>,
    },
    /// Runs one grpc interop case against a server; exits non-zero if it fails.
    InteropClient(reliability::interop::client::ClientFlags),
}

fn main() -> anyhow::Result<()> {
    lesson_kit::logging::init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new()?;
    match cli.command {
        Some(Command::InteropServer {
            port,
            use_tls,
            tls_cert_file,
            tls_key_file,
            max_concurrent_streams,
        }) => {
            let tls = (use_tls, tls_cert_file, tls_key_file);
            return runtime.block_on(interop_server(port, tls, max_concurrent_streams));
        }
        Some(Command::InteropClient(flags)) => {
            return match runtime.block_on(reliability::interop::client::run(&flags)) {
                Ok(()) => {
                    println!("{}: passed", flags.test_case);
                    Ok(())
                }
                Err(error) => {
                    eprintln!("{}: FAILED: {error:#}", flags.test_case);
                    std::process::exit(1);
                }
            };
        }
        None => {}
    }
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

/// `--use_tls`, `--tls_cert_file`, `--tls_key_file`.
type TlsFlags = (bool, Option<std::path::PathBuf>, Option<std::path::PathBuf>);

async fn interop_server(
    port: u16,
    tls: TlsFlags,
    max_concurrent_streams: Option<u32>,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let tls = match tls {
        (true, Some(cert), Some(key)) => {
            let cert =
                std::fs::read(&cert).with_context(|| format!("reading {}", cert.display()))?;
            let key = std::fs::read(&key).with_context(|| format!("reading {}", key.display()))?;
            Some(tonic::transport::Identity::from_pem(cert, key))
        }
        (true, ..) => anyhow::bail!("--use_tls needs --tls_cert_file and --tls_key_file"),
        (false, ..) => None,
    };
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
    // Port 0 picks a free port: print the one taken, for whoever started us.
    println!("listening on {}", listener.local_addr()?.port());
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    reliability::interop::serve(listener, tls, max_concurrent_streams, shutdown).await
}
