//! The command line every lesson shares: `demo` (default), `server`, `client`.
//!
//! A lesson adds its own flags as two `clap::Args` structs, one for the server
//! half and one for the client half; `demo` takes both.

use std::ffi::OsString;
use std::net::SocketAddr;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::addr::{DEFAULT_CLIENT_ADDR, DEFAULT_SERVER_ADDR};

/// A lesson's command line, generic over its server and client flags.
///
/// `-V` / `--version` print the workshop's version (every lesson shares it).
#[derive(Debug, Parser)]
#[command(version)]
pub struct Cli<S: Args, C: Args> {
    /// What to run; `demo` when omitted.
    #[command(subcommand)]
    pub mode: Mode<S, C>,
}

/// The three ways to run a lesson.
#[derive(Debug, Subcommand)]
pub enum Mode<S: Args, C: Args> {
    /// Start the server on a free local port, run the client against it, stop (the default).
    Demo {
        #[command(flatten)]
        server: S,
        #[command(flatten)]
        client: C,
    },
    /// Run only the server, as the tutorial's server script does.
    Server {
        #[command(flatten)]
        listen: ListenArgs,
        #[command(flatten)]
        flags: S,
    },
    /// Run only the client against a running server, as the tutorial's client script does.
    Client {
        #[command(flatten)]
        connect: ConnectArgs,
        #[command(flatten)]
        flags: C,
    },
}

/// Where a server listens.
#[derive(Debug, Clone, Args)]
pub struct ListenArgs {
    /// Address to listen on.
    #[arg(long, default_value = DEFAULT_SERVER_ADDR)]
    pub addr: SocketAddr,
}

/// Where a client connects.
#[derive(Debug, Clone, Args)]
pub struct ConnectArgs {
    /// Server to call: `host:port` as grpcio takes it, or a URL (`http://…`, `https://…`).
    #[arg(long, default_value = DEFAULT_CLIENT_ADDR)]
    pub addr: String,
}

/// Flags for a half that has none of its own.
///
/// (Name flag structs `ServerFlags` / `ClientFlags`: clap already uses the group
/// names `Demo`, `Server` and `Client` for the modes.)
///
/// `group(skip)`: clap names a flattened struct's argument group after the type, so
/// without it a lesson using `NoFlags` for *both* halves would panic in `demo`
/// ("Argument group name must be unique").
#[derive(Debug, Clone, Default, Args)]
#[group(skip)]
pub struct NoFlags {}

/// Parses the process arguments; with no mode given, runs `demo`.
pub fn parse<S: Args, C: Args>(name: &'static str, about: &'static str) -> Mode<S, C> {
    parse_from(name, about, std::env::args_os())
}

/// [`parse`] over explicit arguments (the first is the program name), for tests.
pub fn parse_from<S: Args, C: Args>(
    name: &'static str,
    about: &'static str,
    args: impl IntoIterator<Item = impl Into<OsString>>,
) -> Mode<S, C> {
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if needs_default_mode(&args) {
        args.insert(1.min(args.len()), "demo".into());
    }
    let matches = command::<S, C>(name, about).get_matches_from(args);
    match Cli::<S, C>::from_arg_matches(&matches) {
        Ok(cli) => cli.mode,
        Err(error) => error.exit(),
    }
}

/// The clap command for a lesson, named after it (useful for `debug_assert` in tests).
pub fn command<S: Args, C: Args>(name: &'static str, about: &'static str) -> clap::Command {
    Cli::<S, C>::command()
        .name(name)
        .bin_name(name)
        .about(about)
}

/// No mode, or flags first (`cargo run -p x -- --requests 5`), means `demo`.
fn needs_default_mode(args: &[OsString]) -> bool {
    match args.get(1).and_then(|a| a.to_str()) {
        None => true,
        Some("-h" | "--help" | "-V" | "--version" | "help") => false,
        Some(first) => first.starts_with('-'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Args)]
    struct ServerFlags {
        #[arg(long, default_value_t = 10)]
        max_workers: usize,
    }

    #[derive(Debug, Args)]
    struct ClientFlags {
        #[arg(long, default_value = "Jack")]
        name: String,
    }

    #[test]
    fn every_lesson_answers_version() {
        let error = command::<ServerFlags, ClientFlags>("lesson", "about")
            .try_get_matches_from(["lesson", "-V"])
            .unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::DisplayVersion);
        assert!(error.to_string().starts_with("lesson "), "{error}");
    }

    #[test]
    fn the_command_is_well_formed() {
        command::<ServerFlags, ClientFlags>("lesson", "about").debug_assert();
    }

    #[test]
    fn no_flags_can_serve_both_halves() {
        command::<NoFlags, NoFlags>("lesson", "about").debug_assert();
        let mode = parse_from::<NoFlags, NoFlags>("lesson", "about", ["lesson"]);
        assert!(matches!(mode, Mode::Demo { .. }));
    }

    #[test]
    fn no_mode_means_demo_with_defaults() {
        let mode = parse_from::<ServerFlags, ClientFlags>("lesson", "about", ["lesson"]);
        assert!(
            matches!(mode, Mode::Demo { server: ServerFlags { max_workers: 10 }, client: ClientFlags { name } } if name == "Jack")
        );
    }

    #[test]
    fn flags_first_also_mean_demo() {
        let mode =
            parse_from::<ServerFlags, ClientFlags>("lesson", "about", ["lesson", "--name", "Ann"]);
        assert!(matches!(mode, Mode::Demo { client: ClientFlags { name }, .. } if name == "Ann"));
    }

    #[test]
    fn server_and_client_take_their_addresses() {
        let mode = parse_from::<ServerFlags, ClientFlags>(
            "l",
            "a",
            ["l", "server", "--addr", "127.0.0.1:1", "--max-workers", "2"],
        );
        assert!(
            matches!(mode, Mode::Server { listen, flags: ServerFlags { max_workers: 2 } } if listen.addr.port() == 1)
        );
        let mode = parse_from::<ServerFlags, ClientFlags>("l", "a", ["l", "client"]);
        assert!(
            matches!(mode, Mode::Client { connect, .. } if connect.addr == DEFAULT_CLIENT_ADDR)
        );
    }
}
