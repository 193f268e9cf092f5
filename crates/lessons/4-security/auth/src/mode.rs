//! What a security mode is, and how every mode becomes a lesson-kit [`Lesson`].
//!
//! The modes differ only in which credentials they use, so that is all a mode
//! says ([`SecureMode`]); one generic [`Secure`] turns any mode into a lesson,
//! so serving, calling and printing are written once.

use std::marker::PhantomData;

use clap::Args;
use lesson_kit::cli::Mode;
use lesson_kit::{Console, Lesson, ShutdownSignal};
use tokio::net::TcpListener;

use crate::cli::{ClientArgs, DemoCredentials, Run};
use crate::transport::{ClientSecurity, ServerSecurity, run_client, run_server};

// ANCHOR: secure_mode
/// One way of securing the greeter: its flags, and the credentials they give.
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

    /// The server's credentials, from its flags.
    fn server(flags: Self::ServerFlags) -> anyhow::Result<ServerSecurity>;

    /// The client's credentials, from its flags.
    fn client(flags: Self::ClientFlags) -> anyhow::Result<ClientSecurity>;
}

/// Flags that the demo fills in from its throw-away credentials.
pub trait FromDemo {
    /// These flags, pointing at the demo's certificates, token or secret.
    fn from_demo(credentials: &DemoCredentials) -> Self;
}
// ANCHOR_END: secure_mode

/// The lesson-kit [`Lesson`] of mode `M`.
#[derive(Debug)]
pub struct Secure<M>(PhantomData<M>);

impl<M: SecureMode> Lesson for Secure<M> {
    type ServerFlags = M::ServerFlags;
    type ClientFlags = ClientArgs<M::ClientFlags>;
    const TLS: bool = M::TLS;

    fn serve(
        listener: TcpListener,
        flags: M::ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> impl Future<Output = anyhow::Result<()>> + Send + 'static {
        run_server(listener, console, shutdown, move || M::server(flags))
    }

    async fn client(
        url: String,
        args: ClientArgs<M::ClientFlags>,
        console: Console,
    ) -> anyhow::Result<()> {
        let url = url_for_mode(url, M::client_tls(&args.flags))?;
        run_client(url, args.name.name, console, move || M::client(args.flags)).await
    }
}

/// The URL a mode dials. lesson-kit turns `host:port` (and the default address)
/// into `https://` for a TLS mode and keeps a scheme the user typed; any scheme
/// but `https` (`HTTP://`, `grpc://`, `unix:`) is refused here, before dialling,
/// since tonic would quietly speak plaintext to it.
fn url_for_mode(url: String, tls: bool) -> anyhow::Result<String> {
    if tls {
        lesson_kit::addr::require_https(&url)?;
    }
    Ok(url)
}

/// Runs one parsed mode `M` on the current runtime.
pub async fn run<M: SecureMode>(run: Run<M::ServerFlags, M::ClientFlags>) -> anyhow::Result<()> {
    let mode = match run {
        Run::Demo { name } => {
            let credentials = DemoCredentials::generate()?;
            let server = M::ServerFlags::from_demo(&credentials);
            let flags = M::ClientFlags::from_demo(&credentials);
            let client = ClientArgs { name, flags };
            // `credentials` (and its temporary folder) lives until the demo ends.
            return lesson_kit::lesson::run_mode::<Secure<M>>(Mode::Demo { server, client }).await;
        }
        Run::Server { listen, flags } => Mode::Server { listen, flags },
        Run::Client { mut connect, flags } => {
            // lesson-kit adds `http://` to `host:port` for a plaintext mode; a mode
            // whose TLS is optional asks for `https://` when its flags want TLS.
            if M::client_tls(&flags.flags) && !lesson_kit::addr::has_scheme(&connect.addr) {
                connect.addr = format!("https://{}", connect.addr);
            }
            Mode::Client { connect, flags }
        }
    };
    lesson_kit::lesson::run_mode::<Secure<M>>(mode).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use lesson_kit::addr::{DEFAULT_CLIENT_ADDR, client_url};

    #[test]
    fn tls_modes_dial_the_default_address_over_https_and_refuse_explicit_http() {
        assert_eq!(
            client_url(DEFAULT_CLIENT_ADDR, true),
            "https://localhost:50051"
        );
        let plain = client_url(DEFAULT_CLIENT_ADDR, false);
        assert_eq!(url_for_mode(plain.clone(), false).unwrap(), plain);
        for url in [
            "http://127.0.0.1:1",
            "HTTP://127.0.0.1:1",
            "grpc://h:1",
            "unix:/s",
        ] {
            assert!(url_for_mode(url.into(), true).is_err(), "{url}");
        }
        let https = "https://127.0.0.1:1".to_owned();
        assert_eq!(url_for_mode(https.clone(), true).unwrap(), https);
    }
}
