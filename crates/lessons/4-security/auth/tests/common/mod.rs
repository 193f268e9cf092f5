//! What every auth test needs: the listed servers on 127.0.0.1:0, and a one-call
//! client whose channel and call credentials each test chooses.

#![allow(dead_code)] // each test file uses its own share

use std::path::Path;

use auth::certs::{CertOptions, files};
use auth::digest::DigestLayer;
use auth::mode::{Flags, Secure, Shared};
use auth::signature::SignatureCheck;
use auth::signing::RequestSigner;
use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use lesson_kit::{Console, Lesson, RunningServer};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity};
use tonic::{Code, Request, Status};
use tower::Layer;

/// A running server and the URL to reach it.
pub struct Server {
    pub running: RunningServer,
    pub url: String,
}

/// The listed `tls` server (`mtls` when `mutual`) on certificates `certs`.
pub async fn start_tls(certs: &tempfile::TempDir, mutual: bool) -> Server {
    let dir = certs.path().to_owned();
    let running = RunningServer::start(|listener, shutdown| async move {
        let router = match mutual {
            false => auth::tls::server::router(&dir),
            true => auth::mtls::server::router(&dir),
        };
        let incoming = tonic::transport::server::TcpIncoming::from(listener);
        let router = router.map_err(|error| anyhow::anyhow!("{error}"))?;
        Ok(router
            .serve_with_incoming_shutdown(incoming, shutdown.wait())
            .await?)
    });
    let running = running.await.expect("server starts");
    Server {
        url: running.url(true),
        running,
    }
}

/// The listed `custom` server, in plaintext, letting in calls that pass `check`.
pub async fn start_custom(check: SignatureCheck) -> Server {
    let running = RunningServer::start(|listener, shutdown| async move {
        let served = auth::custom::server::serve(listener, check, None, shutdown.wait()).await;
        served.map_err(|error| anyhow::anyhow!("{error}"))
    });
    let running = running.await.expect("server starts");
    Server {
        url: running.url(false),
        running,
    }
}

/// The binary's own server of mode `M` (`auth <mode> server`) with `flags`.
pub async fn start_mode<const M: u8>(flags: Flags) -> Server {
    let running = RunningServer::start(|listener, shutdown| {
        Secure::<M>::serve(listener, Shared(flags), Console::capture(), shutdown)
    });
    let running = running.await.expect("server starts");
    Server {
        url: running.url(Secure::<M>::TLS),
        running,
    }
}

/// A `custom server` with default flags and the secret of `certs`, in plaintext on loopback.
pub fn custom_flags(certs: &tempfile::TempDir) -> Flags {
    let secret_file = Some(certs.path().join(files::SECRET));
    Flags {
        key_id: "demo-key".into(),
        max_skew_secs: 300,
        plaintext: true,
        secret_file,
        ..Flags::default()
    }
}

/// How a test client secures its call.
#[derive(Clone, Default)]
pub struct ClientSecurity {
    /// Channel credentials: the CA to trust, and for mTLS the client's identity.
    pub tls: Option<ClientTlsConfig>,
    /// `authorization: Bearer <token>` on the call.
    pub token: Option<String>,
    /// A signature on the call, for the authority dialled.
    pub signer: Option<RequestSigner>,
}

/// TLS trusting `certs`' CA (presenting its client certificate when `mutual`).
pub fn tls_client(certs: &tempfile::TempDir, mutual: bool) -> ClientSecurity {
    ClientSecurity {
        tls: Some(tls_config(certs.path(), mutual)),
        ..ClientSecurity::default()
    }
}

pub fn tls_config(dir: &Path, mutual: bool) -> ClientTlsConfig {
    let read = |name| std::fs::read(dir.join(name)).unwrap();
    let tls = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(read(files::CA_CERT)));
    match mutual {
        true => tls.identity(Identity::from_pem(
            read(files::CLIENT_CERT),
            read(files::CLIENT_KEY),
        )),
        false => tls,
    }
}

/// A fresh default certificate set.
pub fn certs() -> tempfile::TempDir {
    auth::gen_certs::temp_certs(&CertOptions::default()).expect("certificates generate")
}

/// Calls `SayHello(name = "Jack")` at `url` with `security`.
pub async fn hello(url: &str, security: ClientSecurity) -> Result<String, Status> {
    let mut endpoint = Endpoint::from_shared(url.to_owned()).unwrap();
    if let Some(tls) = security.tls {
        endpoint = endpoint.tls_config(tls).unwrap();
    }
    let authority = endpoint.uri().authority().unwrap().to_string();
    let signer = security
        .signer
        .map(|signer| signer.for_authority(authority));
    let token = security.token;
    let credentials = move |mut call: Request<()>| {
        if let Some(token) = &token {
            let mut value: tonic::metadata::MetadataValue<_> =
                format!("Bearer {token}").parse().unwrap();
            value.set_sensitive(true);
            call.metadata_mut().insert("authorization", value);
        }
        if let Some(signer) = &signer {
            signer.sign(&mut call)?;
        }
        Ok(call)
    };
    let channel = InterceptedService::new(endpoint.connect_lazy(), credentials);
    let mut client = GreeterServiceClient::new(DigestLayer::default().layer(channel));
    let request = SayHelloRequest {
        name: "Jack".into(),
    };
    Ok(client.say_hello(request).await?.into_inner().message)
}

/// Asserts a `SayHello(name = "Jack")` call with `security` is served.
pub async fn assert_served(url: &str, security: ClientSecurity) {
    assert_eq!(hello(url, security).await.unwrap(), "Hello, Jack!");
}

/// Asserts the call failed with `code` and a message containing `fragment`, its
/// causes (tonic keeps a handshake's reason in the source chain) included.
#[track_caller]
pub fn assert_refused(outcome: Result<String, Status>, code: Code, fragment: &str) {
    match outcome {
        Ok(message) => panic!("expected {code:?}, but the call succeeded: {message}"),
        Err(status) => {
            assert_eq!(status.code(), code, "{status:?}");
            let message = auth::mode::call_failed(&status);
            assert!(
                message.contains(fragment),
                "{message:?} does not mention {fragment:?}"
            );
        }
    }
}
