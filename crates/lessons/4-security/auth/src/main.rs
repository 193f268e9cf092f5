//! `cargo run -p auth -- <gen-certs|tls|mtls|token|combined|custom> [demo|server|client] [flags]`
//!
//! A bare mode runs its demo: server and client in one process, with credentials
//! generated for the occasion. `server` and `client` run one half each, with the
//! credentials given by flags (certificates from `gen-certs --out DIR`). After the
//! mode name, the command line is lesson-kit's, as in every other lesson.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use auth::certs::files::CA_KEY;
use auth::certs::{
    CA_VALIDITY_DAYS, CertOptions, CertSet, DEFAULT_CLIENT_NAME, LEAF_VALIDITY_DAYS,
};
use auth::combined::CombinedMode;
use auth::custom::CustomMode;
use auth::mode::SecureMode;
use auth::mtls::MtlsMode;
use auth::tls::TlsMode;
use auth::token_mode::TokenMode;
use clap::Parser;

/// The security chapter: TLS, mutual TLS, tokens, combined and custom credentials.
#[derive(Debug, Parser)]
#[command(name = "auth", version)]
enum Command {
    /// Write a CA (and its key), a server certificate (localhost, 127.0.0.1, ::1) and a client certificate.
    GenCerts {
        /// Folder to write ca.pem, ca.key, server.pem, server.key, client.pem, client.key into.
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

/// A mode's `[demo|server|client] [flags]`, parsed by lesson-kit's parser.
#[derive(Debug, clap::Args)]
struct Rest {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<OsString>,
}

/// Errors print as one line (`error: call failed: UNAUTHENTICATED: ...`) and exit 1:
/// a refused call is an outcome to read, not a crash with a backtrace.
fn main() -> ExitCode {
    lesson_kit::logging::init();
    let outcome = match Command::parse() {
        Command::GenCerts {
            out,
            client_name,
            reissue,
        } => gen_certs(out, client_name, reissue),
        Command::Tls(rest) => run::<TlsMode>("auth tls", "Server-authenticated TLS.", rest),
        Command::Mtls(rest) => run::<MtlsMode>("auth mtls", "Mutual TLS.", rest),
        Command::Token(rest) => run::<TokenMode>("auth token", "A bearer token.", rest),
        Command::Combined(rest) => run::<CombinedMode>("auth combined", "TLS + token.", rest),
        Command::Custom(rest) => run::<CustomMode>("auth custom", "HMAC signing.", rest),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one mode: lesson-kit parses `auth <mode>` + the rest (`demo` when none).
fn run<M: SecureMode>(name: &'static str, about: &'static str, rest: Rest) -> anyhow::Result<()> {
    let args = std::iter::once(OsString::from(name)).chain(rest.args);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(auth::mode::run::<M>(name, about, args.collect()))
}

fn gen_certs(out: PathBuf, client_name: String, reissue: bool) -> anyhow::Result<()> {
    let options = CertOptions {
        client_name,
        ..CertOptions::default()
    };
    let written = if reissue {
        CertSet::reissue(&out, &options)?.write_leaves_to(&out)?
    } else {
        CertSet::generate(&options)?.write_to(&out)?
    };
    for path in written {
        if path.ends_with(CA_KEY) {
            // What the modes read goes to stdout; the CA key is for re-issuing only.
            eprintln!(
                "kept the CA's private key in {} (owner-only): it signs new certificates, \
                 so never copy it to a server or a client",
                path.display()
            );
        } else {
            println!("wrote {}", path.display());
        }
    }
    if !reissue {
        eprintln!("the CA is valid for {CA_VALIDITY_DAYS} days");
    }
    eprintln!(
        "the server and client certificates are valid for {LEAF_VALIDITY_DAYS} days: before \
         they expire, run gen-certs --reissue (same CA) or gen-certs (a new CA)"
    );
    Ok(())
}
