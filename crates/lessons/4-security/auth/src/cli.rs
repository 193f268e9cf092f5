//! The `auth` command line: `cargo run -p auth -- <mode> [demo|server|client] [flags]`.
//!
//! Each mode runs through lesson-kit's runner (see [`crate::mode`]). One thing
//! differs from other lessons: the two halves share credentials (a CA, a token, a
//! secret), so the demo cannot take both halves' flags side by side. Instead it
//! makes throw-away credentials ([`DemoCredentials`]) and hands each half its
//! share; `server` and `client` take theirs from flags. This module holds the
//! clap pieces the modes share.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use lesson_kit::cli::{ConnectArgs, ListenArgs};

use crate::certs::{CertOptions, TempCerts};
use crate::mode::FromDemo;
use crate::token::Token;

/// How one mode runs.
#[derive(Debug, Subcommand)]
pub enum Run<S: Args, C: Args> {
    /// Server and client in one process, with freshly generated credentials (the default).
    Demo {
        /// The name the client sends.
        #[command(flatten)]
        name: NameArgs,
    },
    /// Only the server.
    Server {
        /// `--addr` to listen on.
        #[command(flatten)]
        listen: ListenArgs,
        /// The mode's server flags.
        #[command(flatten)]
        flags: S,
    },
    /// Only the client.
    Client {
        /// `--addr` to call.
        #[command(flatten)]
        connect: ConnectArgs,
        /// `--name` and the mode's client flags.
        #[command(flatten)]
        flags: ClientArgs<C>,
    },
}

/// Every client's flags: the name to send, and the mode's own.
#[derive(Debug, Args)]
pub struct ClientArgs<C: Args> {
    /// `--name`.
    #[command(flatten)]
    pub name: NameArgs,
    /// The mode's credential flags.
    #[command(flatten)]
    pub flags: C,
}

/// Throw-away credentials for one demo: certificates in a temp folder, a token, a secret.
pub struct DemoCredentials {
    /// A CA, server and client certificate set.
    pub certs: TempCerts,
    /// A random bearer token.
    pub token: Token,
    /// A random shared secret for the signing key `demo-key`.
    pub secret: String,
}

impl std::fmt::Debug for DemoCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token and secret never print.
        f.debug_struct("DemoCredentials")
            .field("certs", &self.certs.dir())
            .finish_non_exhaustive()
    }
}

impl DemoCredentials {
    /// Generates all three.
    pub fn generate() -> anyhow::Result<Self> {
        Ok(Self {
            certs: TempCerts::generate(&CertOptions::default())?,
            token: Token::random(),
            secret: hex::encode(rand::random::<[u8; 32]>()),
        })
    }
}

/// The key id the custom mode uses unless told otherwise.
pub const DEFAULT_KEY_ID: &str = "demo-key";

/// `--certs DIR`: a folder made by `gen-certs`.
#[derive(Debug, Clone, Default, Args)]
pub struct CertArgs {
    /// Folder with ca.pem, server.pem/.key and client.pem/.key (see `gen-certs`).
    #[arg(long, value_name = "DIR")]
    pub certs: Option<PathBuf>,
}

impl FromDemo for CertArgs {
    fn from_demo(credentials: &DemoCredentials) -> Self {
        Self {
            certs: Some(credentials.certs.dir().to_owned()),
        }
    }
}

impl CertArgs {
    /// The folder, or an error that says how to make one.
    pub fn dir(&self) -> anyhow::Result<&Path> {
        self.certs.as_deref().ok_or_else(|| {
            anyhow::anyhow!(
                "--certs DIR is required; make one with `cargo run -p auth -- gen-certs --out target/certs`"
            )
        })
    }
}

/// `--name NAME`: whom the client asks to be greeted as.
#[derive(Debug, Clone, Args)]
pub struct NameArgs {
    /// The name sent in `SayHelloRequest`.
    #[arg(long, default_value = "Jack")]
    pub name: String,
}

/// Where a mode name with no `demo|server|client` after it gets `demo` inserted.
///
/// `auth tls` and `auth tls --name Ann` mean `auth tls demo ...`, as plain lessons do.
pub fn with_default_run(mut args: Vec<OsString>, modes: &[&str]) -> Vec<OsString> {
    let is_mode = args
        .get(1)
        .and_then(|a| a.to_str())
        .is_some_and(|a| modes.contains(&a));
    let needs_demo = match args.get(2).and_then(|a| a.to_str()) {
        None => true,
        Some("-h" | "--help" | "help") => false,
        Some(next) => next.starts_with('-'),
    };
    if is_mode && needs_demo {
        args.insert(2, "demo".into());
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_mode_means_its_demo() {
        let modes = ["tls"];
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            with_default_run(args(&["auth", "tls"]), &modes),
            args(&["auth", "tls", "demo"])
        );
        assert_eq!(
            with_default_run(args(&["auth", "tls", "--name", "A"]), &modes),
            args(&["auth", "tls", "demo", "--name", "A"])
        );
        assert_eq!(
            with_default_run(args(&["auth", "tls", "server"]), &modes),
            args(&["auth", "tls", "server"])
        );
        assert_eq!(
            with_default_run(args(&["auth", "gen-certs"]), &modes),
            args(&["auth", "gen-certs"])
        );
    }
}
