//! `cargo run -p auth -- <gen-certs|tls|mtls|token|combined|custom> [demo|server|client] [flags]`

use std::ffi::OsString;
use std::process::ExitCode;

use auth::gen_certs::GenCerts;
use auth::mode::run;
use clap::Parser;

/// The security chapter: TLS, mutual TLS, tokens, combined and custom credentials.
#[derive(Debug, Parser)]
#[command(name = "auth", version)]
enum Command {
    /// Write a CA (and its key), a server certificate (localhost, 127.0.0.1, ::1), a client certificate and a signing secret.
    GenCerts(GenCerts),
    /// Server-authenticated TLS (channel credentials).
    Tls(Rest),
    /// Mutual TLS: the client presents a certificate and is greeted by its name.
    Mtls(Rest),
    /// Bearer token on every call (call credentials), over plaintext.
    Token(Rest),
    /// TLS channel credentials + bearer token call credentials.
    Combined(Rest),
    /// HMAC request signing with key ids, clock-skew window and replay protection; TLS with --certs.
    Custom(Rest),
}

/// A mode's arguments, `--help` included, for lesson-kit to parse.
#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true, disable_version_flag = true)]
struct Rest {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<OsString>,
}

/// Errors print as one line (`error: call failed: UNAUTHENTICATED: ...`) and exit 1.
fn main() -> ExitCode {
    lesson_kit::logging::init();
    let outcome = match Command::parse() {
        Command::GenCerts(options) => options.run(),
        Command::Tls(rest) => run::<0>(["auth tls", "Server-authenticated TLS."], rest.args),
        Command::Mtls(rest) => run::<1>(["auth mtls", "Mutual TLS."], rest.args),
        Command::Token(rest) => run::<2>(["auth token", "A bearer token."], rest.args),
        Command::Combined(rest) => run::<3>(["auth combined", "TLS + token."], rest.args),
        Command::Custom(rest) => run::<4>(["auth custom", "HMAC signing."], rest.args),
    };
    let Err(error) = outcome else {
        return ExitCode::SUCCESS;
    };
    eprintln!("error: {error:#}");
    ExitCode::FAILURE
}
