//! `cargo run -p auth -- <gen-certs|tls|mtls|token|combined|custom> [demo|server|client] [flags]`
//!
//! A bare mode runs its demo: server and client in one process, with credentials
//! generated for the occasion. `server` and `client` run one half each, with the
//! credentials given by flags (certificates from `gen-certs --out DIR`).

use std::path::PathBuf;
use std::process::ExitCode;

use auth::certs::{CertOptions, CertSet, DEFAULT_CLIENT_NAME};
use auth::cli::{CertArgs, Run, with_default_run};
use auth::combined::{CombinedFlags, CombinedMode};
use auth::custom::{CustomClientFlags, CustomMode, CustomServerFlags};
use auth::mtls::MtlsMode;
use auth::tls::TlsMode;
use auth::token::{TokenArgs, TokenClientFlags, TokenMode};
use clap::{CommandFactory, FromArgMatches, Parser};

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
        run: Run<CertArgs, CertArgs>,
    },
    /// Mutual TLS: the client presents a certificate and is greeted by its name.
    Mtls {
        #[command(subcommand)]
        run: Run<CertArgs, CertArgs>,
    },
    /// Bearer token on every call (call credentials), over plaintext.
    Token {
        #[command(subcommand)]
        run: Run<TokenArgs, TokenClientFlags>,
    },
    /// TLS channel credentials + bearer token call credentials.
    Combined {
        #[command(subcommand)]
        run: Run<CombinedFlags, CombinedFlags>,
    },
    /// HMAC request signing with key ids, clock-skew window and replay protection; TLS with --certs.
    Custom {
        #[command(subcommand)]
        run: Run<CustomServerFlags, CustomClientFlags>,
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
        Command::Tls { run } => runtime.block_on(auth::mode::run::<TlsMode>(run)),
        Command::Mtls { run } => runtime.block_on(auth::mode::run::<MtlsMode>(run)),
        Command::Token { run } => runtime.block_on(auth::mode::run::<TokenMode>(run)),
        Command::Combined { run } => runtime.block_on(auth::mode::run::<CombinedMode>(run)),
        Command::Custom { run } => runtime.block_on(auth::mode::run::<CustomMode>(run)),
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
