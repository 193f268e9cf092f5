//! What a security mode is, and how every mode becomes a lesson-kit lesson.
//!
//! The modes differ only in which credentials they use, so that is all a mode
//! says ([`SecureMode`]); one generic [`Secure`] turns any mode into a lesson, so
//! the command line (lesson-kit's), serving, calling and printing are written once.
//!
//! One thing differs from other lessons: the two halves share credentials (a CA, a
//! token, a secret). So the demo makes throw-away ones ([`DemoCredentials`]) and
//! hands each half its share ([`FromDemo`]); `server` and `client` take theirs from
//! flags. This is the top layer of the crate: it uses every module below it and
//! none of them uses it, except the modes that implement [`SecureMode`].

use std::ffi::OsString;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use clap::{ArgMatches, Args, Command, FromArgMatches};
use lesson_kit::cli::Mode;
use lesson_kit::{Console, Lesson, ShutdownSignal};
use tokio::net::TcpListener;

use crate::certs::{CertOptions, TempCerts};
use crate::token::{Token, TokenArgs};
use crate::transport::{CallFailed, with_cause};

// ANCHOR: secure_mode
/// One way of securing the greeter: its flags, and its server and client.
///
/// `serve` and `say_hello` hand the flags' values (a folder, a token) to the
/// mode's listed server and client (`src/<mode>/server.rs`, `client.rs`).
pub trait SecureMode: 'static {
    /// Flags of `server`: where its credentials come from.
    type ServerFlags: Args + FromDemo + Send + 'static;
    /// Flags of `client` (besides `--addr` and `--name`).
    type ClientFlags: Args + FromDemo + Send + 'static;
    /// Whether clients dial `https://`.
    const TLS: bool;

    /// Whether a client with these flags speaks TLS (a mode where TLS is optional
    /// says so from its flags).
    fn client_tls(_flags: &Self::ClientFlags) -> bool {
        Self::TLS
    }

    /// Whether this server checks call credentials over plaintext (it then warns
    /// when other machines can reach it).
    fn plaintext_credentials(_flags: &Self::ServerFlags) -> bool {
        false
    }

    /// Checks the server's credentials before it announces itself: a missing
    /// folder or a bad PEM file is reported with its path.
    fn check_server(flags: &Self::ServerFlags) -> anyhow::Result<()>;

    /// Serves the greeter on `listener` as this mode does, until `shutdown`.
    fn serve(
        listener: TcpListener,
        flags: Self::ServerFlags,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// Makes this mode's one call to `url` and returns the greeting.
    fn say_hello(
        url: String,
        flags: Self::ClientFlags,
        name: String,
    ) -> impl Future<Output = anyhow::Result<String>> + Send;
}

/// Flags that the demo fills in from its throw-away credentials.
pub trait FromDemo {
    /// These flags, pointing at the demo's certificates, token or secret.
    fn from_demo(credentials: &DemoCredentials) -> Self;
}
// ANCHOR_END: secure_mode

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

impl FromDemo for TokenArgs {
    fn from_demo(credentials: &DemoCredentials) -> Self {
        Self::given(&credentials.token)
    }
}

/// Every client's flags: the name to send, and the mode's own.
#[derive(Debug, Args)]
pub struct ClientArgs<C: Args> {
    /// The name sent in `SayHelloRequest`.
    #[arg(long, default_value = "Jack")]
    pub name: String,
    /// The mode's credential flags.
    #[command(flatten)]
    pub flags: Shared<C>,
}

/// A half's credential flags. The client's repeat the server's (`--certs`,
/// `--token`, `--secret`), and lesson-kit's `demo` puts both halves' flags side by
/// side: there they are declared once (by the half that comes first) and read,
/// without being taken out of the matches, by both halves. In `server` and
/// `client` each half declares and reads its own.
#[derive(Debug)]
pub struct Shared<C>(pub C);

impl<C: Args> Args for Shared<C> {
    fn augment_args(command: Command) -> Command {
        let declared = C::augment_args(Command::new("probe"));
        let missing: Vec<clap::Arg> = declared
            .get_arguments()
            .filter(|arg| !command.get_arguments().any(|a| a.get_id() == arg.get_id()))
            .cloned()
            .collect();
        if missing.len() == declared.get_arguments().count() {
            C::augment_args(command)
        } else {
            // `demo`: only this half's own flags (`--allow-insecure-token`) are new.
            command.args(missing)
        }
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

impl<C: FromArgMatches> FromArgMatches for Shared<C> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        C::from_arg_matches(matches).map(Shared)
    }

    /// Reads a copy, so the other half still finds the values.
    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        Self::from_arg_matches(matches)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

/// The lesson-kit lesson of mode `M`.
#[derive(Debug)]
pub struct Secure<M>(PhantomData<M>);

impl<M: SecureMode> Lesson for Secure<M> {
    type ServerFlags = Shared<M::ServerFlags>;
    type ClientFlags = ClientArgs<M::ClientFlags>;
    const TLS: bool = M::TLS;

    async fn serve(
        listener: TcpListener,
        Shared(flags): Shared<M::ServerFlags>,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        M::check_server(&flags)?;
        if M::plaintext_credentials(&flags) {
            warn_if_exposed(&listener);
        }
        lesson_kit::server::announce(&listener, &console);
        M::serve(listener, flags, shutdown.wait()).await
    }

    async fn client(
        url: String,
        args: ClientArgs<M::ClientFlags>,
        console: Console,
    ) -> anyhow::Result<()> {
        // lesson-kit keeps a scheme the user typed; a TLS client dials https only.
        if M::client_tls(&args.flags.0) {
            lesson_kit::addr::require_https(&url)?;
        }
        let message = M::say_hello(url, args.flags.0, args.name).await?;
        console.line(format!("Greeter client received: {message}"));
        Ok(())
    }
}

/// A listed client's or server's error as the binary prints it: a call that
/// ended with a status reads `call failed: CODE: message`, with its causes.
pub fn printed<T>(
    result: Result<T, Box<dyn std::error::Error + Send + Sync>>,
) -> anyhow::Result<T> {
    result.map_err(|error| match error.downcast::<tonic::Status>() {
        Ok(status) => anyhow::Error::new(CallFailed(with_cause(*status))),
        Err(other) => anyhow::Error::from_boxed(other),
    })
}

/// Says loudly, on stderr, when call credentials are checked over plaintext on an
/// address other machines can reach: there a token can be read off the wire.
fn warn_if_exposed(listener: &TcpListener) {
    let Ok(local) = listener.local_addr() else {
        return;
    };
    if !local.ip().is_loopback() {
        eprintln!(
            "warning: serving in PLAINTEXT on {local}, reachable from other machines: \
             anyone on the network can read the calls and their credentials. Listen on \
             127.0.0.1 (--addr 127.0.0.1:{port}) or use TLS (`combined`, `custom --certs`).",
            port = local.port()
        );
    }
}

/// Parses `args` (`auth <mode>` first) with lesson-kit's parser and runs mode `M`
/// on the current runtime: `demo` (the default), `server` or `client`.
pub async fn run<M: SecureMode>(
    name: &'static str,
    about: &'static str,
    args: Vec<OsString>,
) -> anyhow::Result<()> {
    let mode = lesson_kit::cli::parse_from::<Shared<M::ServerFlags>, ClientArgs<M::ClientFlags>>(
        name, about, args,
    );
    let mode = match mode {
        Mode::Demo { client, .. } => {
            let credentials = DemoCredentials::generate()?;
            let server = Shared(M::ServerFlags::from_demo(&credentials));
            let flags = Shared(M::ClientFlags::from_demo(&credentials));
            let client = ClientArgs { flags, ..client };
            // `credentials` (and its temporary folder) lives until the demo ends.
            let demo = Mode::Demo { server, client };
            return lesson_kit::lesson::run_mode::<Secure<M>>(demo).await;
        }
        Mode::Client { mut connect, flags } => {
            // lesson-kit adds `http://` to `host:port` for a plaintext mode; a mode
            // whose TLS is optional asks for `https://` when its flags want TLS.
            if M::client_tls(&flags.flags.0) && !lesson_kit::addr::has_scheme(&connect.addr) {
                connect.addr = format!("https://{}", connect.addr);
            }
            Mode::Client { connect, flags }
        }
        server => server,
    };
    lesson_kit::lesson::run_mode::<Secure<M>>(mode).await
}
