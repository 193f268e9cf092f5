//! `cargo run -p auth -- <gen-certs|tls|mtls|token|combined|custom> [demo|server|client] [flags]`
//!
//! A bare mode runs its demo: server and client in one process, with credentials
//! generated for the occasion. `server` and `client` run one half each, with the
//! credentials given by flags (certificates from `gen-certs --out DIR`).

use std::path::PathBuf;
use std::process::ExitCode;

use auth::certs::{CertOptions, CertSet, DEFAULT_CLIENT_NAME};
use auth::cli::{CertArgs, NameArgs, Run, with_default_run};
use auth::combined::{CombinedClientFlags, CombinedLesson, CombinedServerFlags};
use auth::custom::{CustomClientFlags, CustomLesson, CustomServerFlags};
use auth::mtls::MtlsLesson;
use auth::tls::{TlsClientFlags, TlsLesson};
use auth::token::{TokenArgs, TokenClientFlags, TokenLesson};
use clap::{CommandFactory, FromArgMatches, Parser};
use lesson_kit::cli::NoFlags;

/// The security chapter: TLS, mutual TLS, tokens, combined and custom credentials.
#[derive(Debug, Parser)]
#[command(name = "auth", version)]
enum Command {
    /// Write a CA, a server certificate (localhost, 127.0.0.1, ::1) and a client certificate.
    GenCerts {
        /// Folder to write ca.pem, server.pem, server.key, client.pem, client.key into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Common name of the client certificate (what the mtls server greets).
        #[arg(long, default_value = DEFAULT_CLIENT_NAME)]
        client_name: String,
    },
    /// Server-authenticated TLS (channel credentials).
    Tls {
        #[command(subcommand)]
        run: Run<CertArgs, TlsClientFlags, NameArgs>,
    },
    /// Mutual TLS: the client presents a certificate and is greeted by its name.
    Mtls {
        #[command(subcommand)]
        run: Run<CertArgs, CertArgs, NoFlags>,
    },
    /// Bearer token on every call (call credentials), over plaintext.
    Token {
        #[command(subcommand)]
        run: Run<TokenArgs, TokenClientFlags, NameArgs>,
    },
    /// TLS channel credentials + bearer token call credentials.
    Combined {
        #[command(subcommand)]
        run: Run<CombinedServerFlags, CombinedClientFlags, NameArgs>,
    },
    /// HMAC request signing with key ids, clock-skew window and replay protection.
    Custom {
        #[command(subcommand)]
        run: Run<CustomServerFlags, CustomClientFlags, NameArgs>,
    },
}

const MODES: [&str; 5] = ["tls", "mtls", "token", "combined", "custom"];

/// Errors print as one line (`error: call failed: UNAUTHENTICATED: ...`) and exit 1:
/// a refused call is an outcome to read, not a crash with a backtrace.
fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    lesson_kit::logging::init();
    let args = with_default_run(std::env::args_os().collect(), &MODES);
    let matches = Command::command().get_matches_from(args);
    let command = Command::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let runtime = tokio::runtime::Runtime::new()?;
    match command {
        Command::GenCerts { out, client_name } => gen_certs(out, client_name),
        Command::Tls { run } => runtime.block_on(auth::cli::run::<TlsLesson>(run)),
        Command::Mtls { run } => runtime.block_on(auth::cli::run::<MtlsLesson>(run)),
        Command::Token { run } => runtime.block_on(auth::cli::run::<TokenLesson>(run)),
        Command::Combined { run } => runtime.block_on(auth::cli::run::<CombinedLesson>(run)),
        Command::Custom { run } => runtime.block_on(auth::cli::run::<CustomLesson>(run)),
    }
}

fn gen_certs(out: PathBuf, client_name: String) -> anyhow::Result<()> {
    let options = CertOptions {
        client_name,
        ..CertOptions::default()
    };
    for path in CertSet::generate(&options)?.write_to(&out)? {
        println!("wrote {}", path.display());
    }
    Ok(())
}
