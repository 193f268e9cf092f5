//! `cargo run -p auth -- <gen-certs|tls|mtls|token|combined|custom> [demo|server|client] [flags]`

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use auth::certs::DEFAULT_CLIENT_NAME;
use auth::mode::run;
use clap::Parser;

/// The security chapter: TLS, mutual TLS, tokens, combined and custom credentials.
#[derive(Debug, Parser)]
#[command(name = "auth", version)]
enum Command {
    /// Write a CA (and its key), a server certificate (localhost, 127.0.0.1, ::1), a client certificate and a signing secret.
    GenCerts {
        /// Folder to write ca.pem, ca.key, server.pem, server.key, client.pem, client.key, secret into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Common name of the client certificate (what the mtls server greets).
        #[arg(long, default_value = DEFAULT_CLIENT_NAME)]
        client_name: String,
        /// Keep DIR's CA (ca.pem, ca.key): issue new server and client certificates under it.
        #[arg(long)]
        reissue: bool,
    },
    /// Server-authenticated TLS (channel credentials).
    #[command(disable_help_flag = true, disable_version_flag = true)]
    Tls(Rest),
    /// Mutual TLS: the client presents a certificate and is greeted by its name.
    #[command(disable_help_flag = true, disable_version_flag = true)]
    Mtls(Rest),
    /// Bearer token on every call (call credentials), over plaintext.
    #[command(disable_help_flag = true, disable_version_flag = true)]
    Token(Rest),
    /// TLS channel credentials + bearer token call credentials.
    #[command(disable_help_flag = true, disable_version_flag = true)]
    Combined(Rest),
    /// HMAC request signing with key ids, clock-skew window and replay protection; TLS with --certs.
    #[command(disable_help_flag = true, disable_version_flag = true)]
    Custom(Rest),
}

#[derive(Debug, clap::Args)]
struct Rest {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<OsString>,
}

/// Errors print as one line (`error: call failed: UNAUTHENTICATED: ...`) and exit 1.
fn main() -> ExitCode {
    lesson_kit::logging::init();
    let outcome = match Command::parse() {
        Command::GenCerts {
            out,
            client_name,
            reissue,
        } => auth::gen_certs::run(out, client_name, reissue),
        Command::Tls(Rest { args }) => run::<0>(["auth tls", "Server-authenticated TLS."], args),
        Command::Mtls(Rest { args }) => run::<1>(["auth mtls", "Mutual TLS."], args),
        Command::Token(Rest { args }) => run::<2>(["auth token", "A bearer token."], args),
        Command::Combined(Rest { args }) => run::<3>(["auth combined", "TLS + token."], args),
        Command::Custom(Rest { args }) => run::<4>(["auth custom", "HMAC signing."], args),
    };
    if let Err(error) = outcome {
        eprintln!("error: {error:#}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
