//! `cargo run -p tls-control [-- server | client | revoke]`: see the crate docs.
//!
//! `revoke --certs DIR [CERT.pem ...]` writes DIR/crl.pem (signed by DIR/ca.key)
//! revoking the certificates named; a running server picks it up.

use std::path::PathBuf;

use lesson_kit::cli::{self, Mode};
use tls_control::{ClientFlags, ServerFlags, TlsControl};

fn main() {
    lesson_kit::logging::init();
    let mut args: Vec<_> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "revoke") {
        args.remove(1);
        return exit_on_error(revoke(args));
    }
    let mode = cli::parse_from::<ServerFlags, ClientFlags>(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_DESCRIPTION"),
        args,
    );
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    exit_on_error(runtime.block_on(async {
        match mode {
            Mode::Demo { server, client } => tls_control::demo::run(server, client).await,
            other => lesson_kit::lesson::run_mode::<TlsControl>(other).await,
        }
    }));
}

/// `revoke --certs DIR [CERT.pem ...]`.
#[derive(Debug, clap::Parser)]
#[command(
    name = "tls-control revoke",
    about = "Write DIR/crl.pem revoking the certificates named"
)]
struct Revoke {
    /// Folder with ca.pem and ca.key (`auth gen-certs --out DIR`).
    #[arg(long, value_name = "DIR")]
    certs: PathBuf,
    /// Certificates (PEM) to revoke; none: an empty CRL.
    revoked: Vec<PathBuf>,
}

fn revoke(args: Vec<std::ffi::OsString>) -> anyhow::Result<()> {
    let revoke: Revoke = clap::Parser::parse_from(args);
    let path = tls_control::revoke(&revoke.certs, &revoke.revoked)?;
    println!(
        "wrote {} revoking {} certificate(s)",
        path.display(),
        revoke.revoked.len()
    );
    Ok(())
}

fn exit_on_error(outcome: anyhow::Result<()>) {
    if let Err(error) = outcome {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
