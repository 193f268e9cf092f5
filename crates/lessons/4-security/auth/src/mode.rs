//! Glue, not lesson: every mode's command line, and the [`Lesson`] running its listings.

use std::error::Error;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use clap::{ArgMatches, Args, Command, FromArgMatches};
use lesson_kit::cli::Mode;
use lesson_kit::{Console, Lesson, ShutdownSignal};
use tokio::net::TcpListener;
use tonic::Status;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};

use crate::certs::{CertOptions, files};
use crate::gen_certs::{read, temp_certs};
use crate::signature::SignatureCheck;
use crate::signing::{Clock, RequestSigner, SigningKey};
use crate::{combined, custom, mtls, tls, token_mode};

/// Mode `M` (`tls`, `mtls`, `token`, `combined`, `custom`): the [`Lesson`] running its listings.
pub struct Secure<const M: u8>;

/// The flags each mode shows and reads: the others stay hidden and unread.
const MODE_FLAGS: [&str; 5] = [
    "certs",
    "certs",
    "token token_file allow_insecure_token",
    "certs token token_file",
    "certs key_id secret secret_file max_skew_secs authorities plaintext",
];

/// Every mode's credential flags; each mode shows (and reads) only its own. No
/// `Debug`: they hold secrets.
#[derive(Clone, Default, Args)]
pub struct Flags {
    /// Folder with ca.pem, server.pem/.key and client.pem/.key (see `gen-certs`).
    #[arg(long, value_name = "DIR")]
    pub certs: Option<PathBuf>,
    /// The bearer token (prefer --token-file: a flag shows in `ps` and shell history).
    #[arg(long, env = "GRPC_DEMO_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// A file holding the bearer token (wins over --token and GRPC_DEMO_TOKEN).
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Send the token even though this channel is not encrypted.
    #[arg(long)]
    pub allow_insecure_token: bool,
    /// Public name of the shared signing key, sent with every call.
    #[arg(long, default_value = "demo-key")]
    pub key_id: String,
    /// The shared secret: 64 hex digits (32 random bytes, see `gen-certs`).
    #[arg(long, env = "GRPC_DEMO_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
    /// A file holding the shared secret (wins over --secret and GRPC_DEMO_SECRET).
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// How far a call's timestamp may be from the server's clock, in seconds.
    #[arg(long, default_value_t = 300)]
    pub max_skew_secs: u64,
    /// Also accept calls signed for this `host:port` (repeatable).
    #[arg(long = "authority", value_name = "HOST:PORT")]
    pub authorities: Vec<String>,
    /// Without `--certs`: signed calls over plaintext, on a loopback address only.
    #[arg(long)]
    pub plaintext: bool,
}

impl Flags {
    /// The certificate folder, each of `names` in it checked to hold a certificate
    /// (`.pem`) or a private key (`.key`): tonic's `from_pem` takes any bytes and
    /// fails later, inside a handshake.
    pub fn certs(&self, names: &[&str]) -> anyhow::Result<&Path> {
        let hint = "--certs DIR is required; make one with `cargo run -p auth -- gen-certs --out target/certs`";
        let dir = self.certs.as_deref().ok_or_else(|| anyhow::anyhow!(hint))?;
        for name in names {
            let path = dir.join(name);
            let (what, label) = match name.ends_with(".key") {
                true => ("private key", "PRIVATE KEY-----"),
                false => ("certificate", "-----BEGIN CERTIFICATE-----"),
            };
            let holds = read(&path)?.contains(label);
            anyhow::ensure!(holds, "{} holds no {what}", path.display());
        }
        Ok(dir)
    }

    /// The token: 1 to 4096 visible ASCII characters, so it can travel in a header.
    pub fn token(&self) -> anyhow::Result<String> {
        let token = secret(&self.token_file, &self.token, "token")?;
        let fits = (1..=4096).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_graphic());
        let why = "a token is 1 to 4096 visible ASCII characters, without spaces";
        fits.then_some(token).ok_or_else(|| anyhow::anyhow!(why))
    }

    pub fn key(&self) -> anyhow::Result<SigningKey> {
        let secret = secret(&self.secret_file, &self.secret, "secret")?;
        SigningKey::new(self.key_id.clone(), secret)
    }
}

/// A secret from its file (which wins), else from its flag or environment variable.
fn secret(file: &Option<PathBuf>, given: &Option<String>, what: &str) -> anyhow::Result<String> {
    let Some(path) = file else {
        let env = format!("GRPC_DEMO_{}", what.to_uppercase());
        let hint = format!("no {what}: pass --{what}-file PATH, set {env}, or pass --{what} VALUE");
        return given.clone().ok_or_else(|| anyhow::anyhow!(hint));
    };
    Ok(read(path)?.trim().to_owned())
}

/// Every client's flags: the name to send, and the mode's own.
#[derive(Args)]
pub struct ClientArgs<const M: u8> {
    /// The name sent in `SayHelloRequest`.
    #[arg(long, default_value = "Jack")]
    pub name: String,
    #[command(flatten)]
    pub flags: Shared<M>,
}

/// Mode `M`'s flags. `demo` puts both halves' flags side by side: there they are
/// declared once and read, without being taken, by both halves.
pub struct Shared<const M: u8>(pub Flags);

impl<const M: u8> Args for Shared<M> {
    fn augment_args(command: Command) -> Command {
        if command.get_arguments().any(|arg| arg.get_id() == "key_id") {
            return command; // `demo`: the server half declared them
        }
        let (mut command, used) = (Flags::augment_args(command), MODE_FLAGS[M as usize]);
        for arg in Flags::augment_args(Command::new("all")).get_arguments() {
            let shown = used.split(' ').any(|id| id == arg.get_id());
            command = command.mut_arg(arg.get_id(), |arg| arg.hide(!shown));
        }
        command
    }
    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

impl<const M: u8> FromArgMatches for Shared<M> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Flags::from_arg_matches(matches).map(Shared) // a copy: the other half reads it too
    }
    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

/// Whether mode `M`'s client with these flags speaks TLS (`custom` only with `--certs`).
fn client_tls<const M: u8>(flags: &Flags) -> bool {
    Secure::<M>::TLS || (M == 4 && flags.certs.is_some())
}

const SERVER: &[&str] = &[files::SERVER_CERT, files::SERVER_KEY];
const MTLS_SERVER: &[&str] = &[files::SERVER_CERT, files::SERVER_KEY, files::CA_CERT];
const CLIENT: &[&str] = &[files::CA_CERT];
const MTLS_CLIENT: &[&str] = &[files::CA_CERT, files::CLIENT_CERT, files::CLIENT_KEY];

impl<const M: u8> Lesson for Secure<M> {
    type ServerFlags = Shared<M>;
    type ClientFlags = ClientArgs<M>;
    const TLS: bool = matches!(M, 0 | 1 | 3);

    /// Checks every credential before the start-up line: a server that says it started, serves.
    async fn serve(
        listener: TcpListener,
        Shared(f): Shared<M>,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let local = listener.local_addr()?;
        let certs = match M {
            1 => Some(f.certs(MTLS_SERVER)?),
            2 => None,
            4 => f.certs.as_ref().map(|_| f.certs(SERVER)).transpose()?,
            _ => Some(f.certs(SERVER)?),
        };
        let token = matches!(M, 2 | 3).then(|| f.token()).transpose()?;
        let authorities = reached_at(local).into_iter().chain(f.authorities.clone());
        let check = (M == 4).then(|| f.key()).transpose()?.map(|key| {
            SignatureCheck::new([key], f.max_skew_secs, system_clock()).only_for(authorities)
        });
        let loopback = local.ip().is_loopback();
        anyhow::ensure!(
            M != 4 || certs.is_some() || (f.plaintext && loopback),
            "refusing to serve signed calls in plaintext on {local}: pass --certs DIR for \
             TLS, or --plaintext on a loopback address (127.0.0.1, [::1])"
        );
        if certs.is_none() && !loopback {
            eprintln!(
                "warning: serving in PLAINTEXT on {local}, reachable from other machines: \
                 anyone on the network can read the calls and their credentials. Listen on \
                 127.0.0.1 (--addr 127.0.0.1:{port}) or use TLS (`combined`, `custom --certs`).",
                port = local.port()
            );
        }
        lesson_kit::server::announce(&listener, &console);
        let (shutdown, dir) = (shutdown.wait(), certs.unwrap_or(Path::new("")));
        let token = token.unwrap_or_default();
        let router = match M {
            0 => tls::server::router(dir),
            1 => mtls::server::router(dir),
            2 => Ok(token_mode::server::router(token)),
            3 => combined::server::router(dir, token),
            _ => {
                let check = check.expect("custom");
                return printed(custom::server::serve(listener, check, certs, shutdown).await);
            }
        };
        let served =
            printed(router)?.serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown);
        Ok(served.await?)
    }

    async fn client(url: String, args: ClientArgs<M>, console: Console) -> anyhow::Result<()> {
        let (f, name) = (args.flags.0, args.name.as_str());
        if client_tls::<M>(&f) {
            lesson_kit::addr::require_https(&url)?;
        }
        let message = match M {
            0 => tls::client::say_hello(&url, f.certs(CLIENT)?, name).await,
            1 => mtls::client::say_hello(&url, f.certs(MTLS_CLIENT)?, name).await,
            2 => {
                let token = f.token()?;
                anyhow::ensure!(
                    f.allow_insecure_token,
                    "call failed: FAILED_PRECONDITION: refusing to send a bearer token over the \
                     plaintext channel to {url}: anyone on the path could read and reuse it. Use \
                     TLS (the `combined` mode), or pass --allow-insecure-token if you accept that risk"
                );
                token_mode::client::say_hello(&url, &token, name).await
            }
            3 => combined::client::say_hello(&url, f.certs(CLIENT)?, &f.token()?, name).await,
            _ => {
                let signer = RequestSigner::new(f.key()?, system_clock());
                let mut endpoint = Endpoint::from_shared(url.clone())?;
                if let Some(certs) = f.certs.as_ref().map(|_| f.certs(CLIENT)).transpose()? {
                    let ca = std::fs::read(certs.join(files::CA_CERT))?;
                    let tls = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(ca));
                    endpoint = endpoint.tls_config(tls)?;
                } else {
                    anyhow::ensure!(
                        f.plaintext && is_loopback_url(&url),
                        "refusing to send signed calls in plaintext to {url}: pass --certs DIR for \
                         TLS, or --plaintext to a server on a loopback address"
                    );
                }
                custom::client::say_hello(endpoint, signer, name).await
            }
        };
        console.line(format!("Greeter client received: {}", printed(message)?));
        Ok(())
    }
}

/// Whether `url` names this machine: `localhost` or a loopback IP.
fn is_loopback_url(url: &str) -> bool {
    let uri = url.parse::<http::Uri>().ok();
    let host = uri.as_ref().and_then(http::Uri::host).unwrap_or("");
    let ip = host.trim_matches(['[', ']']).parse::<std::net::IpAddr>();
    host.eq_ignore_ascii_case("localhost") || ip.is_ok_and(|ip| ip.is_loopback())
}

/// A listing's error as the binary prints it: a status as [`call_failed`].
pub fn printed<T>(result: Result<T, Box<dyn Error>>) -> anyhow::Result<T> {
    result.map_err(|error| match error.downcast::<Status>() {
        Ok(status) => anyhow::anyhow!(call_failed(&status)),
        Err(other) => anyhow::anyhow!(with_causes(other.to_string(), other.source())),
    })
}

/// `call failed: CODE: message: causes` (a handshake's reason is a cause).
pub fn call_failed(status: &Status) -> String {
    let mut code = String::new();
    for (i, c) in format!("{:?}", status.code()).char_indices() {
        code.extend((i > 0 && c.is_uppercase()).then_some('_'));
        code.push(c.to_ascii_uppercase());
    }
    let message = with_causes(status.message().to_owned(), status.source());
    format!("call failed: {code}: {message}")
}

/// `message: cause: cause`, leaving out a cause the message already says.
fn with_causes(mut message: String, mut cause: Option<&(dyn Error + 'static)>) -> String {
    while let Some(error) = cause {
        if !message.contains(&error.to_string()) {
            message = format!("{message}: {error}");
        }
        cause = error.source();
    }
    message
}

/// Runs mode `M`, its `[name, about]` as given: lesson-kit parses `args` (`demo` when none).
pub fn run<const M: u8>(help: [&'static str; 2], args: Vec<OsString>) -> anyhow::Result<()> {
    let [name, about] = help;
    let args = std::iter::once(OsString::from(name)).chain(args);
    let _demo_certs; // throw-away credentials, kept until the demo ends
    let mode = match lesson_kit::cli::parse_from::<Shared<M>, ClientArgs<M>>(name, about, args) {
        Mode::Demo { server, mut client } => {
            let (certs, mut flags) = (temp_certs(&CertOptions::default())?, server.0);
            // One process on 127.0.0.1: plaintext is fine (`custom` uses it, as Python does).
            flags.certs = (M != 4).then(|| certs.path().to_owned());
            flags.secret_file = Some(certs.path().join(files::SECRET));
            flags.token = Some(hex::encode(rand::random::<[u8; 32]>()));
            (flags.allow_insecure_token, flags.plaintext) = (true, true);
            (client.flags, _demo_certs) = (Shared(flags.clone()), certs);
            let server = Shared(flags);
            Mode::Demo { server, client }
        }
        Mode::Client { mut connect, flags } => {
            // `custom --certs` dials `https://`, though its `Lesson::TLS` is false.
            let tls = client_tls::<M>(&flags.flags.0);
            connect.addr = lesson_kit::addr::client_url(&connect.addr, tls);
            Mode::Client { connect, flags }
        }
        server => server,
    };
    tokio::runtime::Runtime::new()?.block_on(lesson_kit::lesson::run_mode::<Secure<M>>(mode))
}

/// The authorities a server on `addr` is reached by (`localhost` too when loopback).
pub fn reached_at(addr: std::net::SocketAddr) -> Vec<String> {
    let port = addr.port();
    match addr.ip() {
        ip if ip.is_unspecified() => ["localhost", "127.0.0.1", "[::1]"]
            .map(|h| format!("{h}:{port}"))
            .to_vec(),
        ip if ip.is_loopback() => vec![addr.to_string(), format!("localhost:{port}")],
        _ => vec![addr.to_string()],
    }
}

/// The real clock for the listings' `Clock` parameter.
pub fn system_clock() -> Clock {
    std::sync::Arc::new(|| UNIX_EPOCH.elapsed().map_or(0, |elapsed| elapsed.as_secs()))
}
