//! HMAC request signing over real sockets: every way a signature can be wrong is
//! refused with UNAUTHENTICATED and a reason, and the server goes on serving.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use auth::credentials::CallCredentials;
use auth::greeter::Greet;
use auth::layer::Authenticator;
use auth::signature::SignatureCheck;
use auth::signing::{Clock, RequestSigner, SigningKey};
use auth::transport::{ClientSecurity, ServerSecurity};
use common::{Server, assert_refused, assert_served, hello, start};
use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::metadata::MetadataMap;
use tonic::transport::Endpoint;
use tonic::{Code, GrpcMethod, Request};

const NOW: u64 = 1_800_000_000;
const MAX_SKEW: u64 = 300;

fn key(id: &str, secret: &str) -> SigningKey {
    SigningKey::new(id, secret).unwrap()
}

fn shared_key() -> SigningKey {
    key(
        "demo-key",
        "5f0c2a9d8e7b41c3a6d2f0e19b8c7a655f0c2a9d8e7b41c3a6d2f0e19b8c7a65",
    )
}

/// A clock the test sets; no sleeping.
fn clock_at(seconds: &Arc<AtomicU64>) -> Clock {
    let seconds = seconds.clone();
    Arc::new(move || seconds.load(Ordering::SeqCst))
}

fn fixed_clock(seconds: u64) -> Clock {
    Arc::new(move || seconds)
}

fn signed_by(signer_key: SigningKey, at: u64) -> ClientSecurity {
    ClientSecurity {
        call: CallCredentials::Signed(RequestSigner::new(signer_key, fixed_clock(at))),
        ..ClientSecurity::default()
    }
}

async fn signature_server(server_clock: Clock) -> Server {
    let check = SignatureCheck::new([shared_key()], MAX_SKEW, server_clock);
    start(ServerSecurity {
        tls: None,
        authenticator: Some(Arc::new(check)),
        greet: Greet::RequestName,
    })
    .await
}

/// A client that signs its first call, then sends that same metadata on every later one.
async fn replaying_client(
    url: &str,
) -> impl FnMut() -> futures::future::BoxFuture<'static, Result<String, tonic::Status>> {
    let channel = Endpoint::from_shared(url.to_owned())
        .unwrap()
        .connect_lazy();
    let authority = url
        .parse::<http::Uri>()
        .unwrap()
        .authority()
        .unwrap()
        .to_string();
    let signer = RequestSigner::new(shared_key(), fixed_clock(NOW)).for_authority(authority);
    let captured: Arc<Mutex<Option<MetadataMap>>> = Arc::default();
    let client = GreeterServiceClient::with_interceptor(channel, move |mut request: Request<()>| {
        let mut captured = captured.lock().unwrap();
        match captured.as_ref() {
            Some(metadata) => *request.metadata_mut() = metadata.clone(),
            None => {
                signer.sign(&mut request)?;
                *captured = Some(request.metadata().clone());
            }
        }
        Ok(request)
    });
    move || {
        let mut client = client.clone();
        Box::pin(async move {
            let request = SayHelloRequest {
                name: "Jack".into(),
            };
            Ok(client.say_hello(request).await?.into_inner().message)
        })
    }
}

#[tokio::test]
async fn a_good_signature_is_accepted_and_every_bad_one_refused() {
    let server = signature_server(fixed_clock(NOW)).await;
    let url = server.url.clone();
    let good = || signed_by(shared_key(), NOW);
    assert_served(&url, good()).await;

    let cases = [
        (
            signed_by(
                key(
                    "demo-key",
                    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                ),
                NOW,
            ),
            "invalid signature",
        ),
        (
            signed_by(shared_key(), NOW - MAX_SKEW - 1),
            "invalid signature",
        ),
        (
            signed_by(shared_key(), NOW + MAX_SKEW + 60),
            "invalid signature",
        ),
        (
            signed_by(
                key(
                    "other-key",
                    "5f0c2a9d8e7b41c3a6d2f0e19b8c7a655f0c2a9d8e7b41c3a6d2f0e19b8c7a65",
                ),
                NOW,
            ),
            "invalid signature",
        ),
        (ClientSecurity::default(), "invalid signature"),
    ];
    for (client, reason) in cases {
        assert_refused(hello(&url, client).await, Code::Unauthenticated, reason);
        assert_served(&url, good()).await;
    }
    // Within the window either way is fine: clocks differ a little.
    assert_served(&url, signed_by(shared_key(), NOW - MAX_SKEW)).await;
    assert_served(&url, signed_by(shared_key(), NOW + MAX_SKEW)).await;
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_replayed_call_is_refused_until_its_timestamp_goes_stale() {
    let now = Arc::new(AtomicU64::new(NOW));
    let server = signature_server(clock_at(&now)).await;
    let mut replay = replaying_client(&server.url).await;
    assert_eq!(replay().await.unwrap(), "Hello, Jack!");
    assert_refused(replay().await, Code::Unauthenticated, "invalid signature");
    assert_served(&server.url, signed_by(shared_key(), NOW)).await;
    // Later the nonce is forgotten, but the timestamp now fails instead.
    now.store(NOW + MAX_SKEW + 1, Ordering::SeqCst);
    assert_refused(replay().await, Code::Unauthenticated, "invalid signature");
    server.running.stop().await.unwrap();
}

/// Every signature refusal reaches the caller as the same status and message, so
/// a caller learns neither which key ids exist nor the server's clock offset; the
/// reason goes only to the server's log.
#[tokio::test]
async fn every_signature_refusal_looks_the_same_to_the_caller() {
    let now = Arc::new(AtomicU64::new(NOW));
    let server = signature_server(clock_at(&now)).await;
    let url = server.url.clone();
    let mut replay = replaying_client(&url).await;
    assert_eq!(replay().await.unwrap(), "Hello, Jack!");
    let outcomes = [
        hello(
            &url,
            signed_by(
                key(
                    "other-key",
                    "5f0c2a9d8e7b41c3a6d2f0e19b8c7a655f0c2a9d8e7b41c3a6d2f0e19b8c7a65",
                ),
                NOW,
            ),
        )
        .await,
        hello(&url, signed_by(shared_key(), NOW - MAX_SKEW - 1)).await,
        hello(&url, signed_by(shared_key(), NOW + MAX_SKEW + 60)).await,
        hello(
            &url,
            signed_by(
                key(
                    "demo-key",
                    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                ),
                NOW,
            ),
        )
        .await,
        replay().await,
    ];
    for outcome in outcomes {
        let status = outcome.unwrap_err();
        assert_eq!(
            (status.code(), status.message()),
            (Code::Unauthenticated, "invalid signature"),
            "{status:?}"
        );
    }
    assert_served(&url, signed_by(shared_key(), NOW)).await;
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn malformed_entries_look_the_same_to_the_caller() {
    let server = signature_server(fixed_clock(NOW)).await;
    let channel = Endpoint::from_shared(server.url.clone())
        .unwrap()
        .connect_lazy();
    let authority = server.running.local_addr().to_string();
    let signer = RequestSigner::new(shared_key(), fixed_clock(NOW)).for_authority(authority);
    let tampered = [
        ("x-auth-timestamp", "yesterday"),
        ("x-auth-nonce", "short"),
        ("x-auth-signature", "zz"),
        ("x-auth-key-id", "no spaces allowed"),
    ];
    for (key, value) in tampered {
        let signer = signer.clone();
        let mut client = GreeterServiceClient::with_interceptor(
            channel.clone(),
            move |mut request: Request<()>| {
                signer.sign(&mut request)?;
                request.metadata_mut().insert(key, value.parse().unwrap());
                Ok(request)
            },
        );
        let outcome = client
            .say_hello(SayHelloRequest {
                name: "Jack".into(),
            })
            .await
            .map(|r| r.into_inner().message);
        // Exactly the message of every other refusal; the detail is in the log.
        let status = outcome.expect_err("a malformed entry must be refused");
        assert_eq!(status.code(), Code::Unauthenticated, "{key}: {status:?}");
        assert_eq!(status.message(), "invalid signature", "{key}");
    }
    assert_served(&server.url, signed_by(shared_key(), NOW)).await;
    server.running.stop().await.unwrap();
}

/// Headers of one call to `SayHello` of `service`, signed for `authority` at `at`.
fn signed_headers(key: SigningKey, authority: &str, at: u64) -> http::HeaderMap {
    let mut request = Request::new(());
    request.extensions_mut().insert(GrpcMethod::new(
        "tutorial.helloworld.v1.GreeterService",
        "SayHello",
    ));
    RequestSigner::new(key, fixed_clock(at))
        .for_authority(authority)
        .sign(&mut request)
        .unwrap();
    request.metadata().clone().into_headers()
}

fn uri(authority: &str, service: &str) -> http::Uri {
    format!("http://{authority}/{service}/SayHello")
        .parse()
        .unwrap()
}

const V1: &str = "tutorial.helloworld.v1.GreeterService";

/// Only 32-byte keys (64 hex digits) are keys: a passphrase of any length, a
/// short hex string or a 32-character one is refused.
#[test]
fn a_passphrase_is_refused_as_a_signing_key() {
    for secret in [
        "a shared secret of some length, however long it may be, is a passphrase",
        "correct horse battery staple!!!!",
        "5f0c2a9d8e7b41c3a6d2f0e19b8c7a65",
        "5f0c2a9d8e7b41c3a6d2f0e19b8c7a655f0c2a9d8e7b41c3a6d2f0e19b8c7a6z",
    ] {
        let refused = SigningKey::new("demo-key", secret).expect_err(secret);
        assert!(
            refused.to_string().contains("not a passphrase"),
            "{refused}"
        );
    }
    assert!(SigningKey::new("demo-key", hex::encode([7u8; 32])).is_ok());
}

#[test]
fn a_signature_is_bound_to_its_method() {
    let check = SignatureCheck::new([shared_key()], MAX_SKEW, fixed_clock(NOW));
    let headers = signed_headers(shared_key(), "localhost:1", NOW);
    let refused = check
        .authenticate(
            &uri("localhost:1", "tutorial.helloworld.v2.GreeterService"),
            &headers,
        )
        .unwrap_err();
    assert_eq!(refused.code(), Code::Unauthenticated);
    assert!(refused.message().contains("invalid signature"));
    // No secret in any message.
    assert!(!refused.message().contains("5f0c2a9d"));
    check
        .authenticate(&uri("localhost:1", V1), &headers)
        .unwrap();
}

/// A signature covers the server it was made for: the same call sent to another
/// authority is refused, and changing `x-auth-authority` to match breaks the signature.
#[test]
fn a_signature_is_bound_to_its_authority() {
    let check = SignatureCheck::new([shared_key()], MAX_SKEW, fixed_clock(NOW));
    let mut headers = signed_headers(shared_key(), "a.example:443", NOW);
    let refused = check
        .authenticate(&uri("b.example:443", V1), &headers)
        .unwrap_err();
    assert!(
        refused.message().contains("invalid signature"),
        "{refused:?}"
    );
    headers.insert("x-auth-authority", "b.example:443".parse().unwrap());
    let refused = check
        .authenticate(&uri("b.example:443", V1), &headers)
        .unwrap_err();
    assert!(
        refused.message().contains("invalid signature"),
        "{refused:?}"
    );

    // With --authority, a server answers only to the names it was given.
    let named = SignatureCheck::new([shared_key()], MAX_SKEW, fixed_clock(NOW))
        .only_for(["a.example:443".to_owned()]);
    let elsewhere = signed_headers(shared_key(), "c.example:443", NOW);
    let refused = named
        .authenticate(&uri("c.example:443", V1), &elsewhere)
        .unwrap_err();
    assert!(refused.message().contains("invalid signature"));
    let ours = signed_headers(shared_key(), "A.example:443", NOW);
    named
        .authenticate(&uri("a.example:443", V1), &ours)
        .unwrap();
}

/// Over the network: a call captured on its way to server A, replayed to server B
/// that holds the same key (so a fresh nonce cache), is refused: B is reached at
/// another authority than the one signed.
#[tokio::test]
async fn a_call_captured_for_one_server_is_refused_by_another() {
    let a = signature_server(fixed_clock(NOW)).await;
    let b = signature_server(fixed_clock(NOW)).await;
    let captured: Arc<Mutex<Option<MetadataMap>>> = Arc::default();
    let authority = a.running.local_addr().to_string();
    let signer = RequestSigner::new(shared_key(), fixed_clock(NOW)).for_authority(authority);
    let keep = captured.clone();
    let channel = |url: &str| {
        Endpoint::from_shared(url.to_owned())
            .unwrap()
            .connect_lazy()
    };
    let mut to_a =
        GreeterServiceClient::with_interceptor(channel(&a.url), move |mut r: Request<()>| {
            signer.sign(&mut r)?;
            *keep.lock().unwrap() = Some(r.metadata().clone());
            Ok(r)
        });
    let replay = captured.clone();
    let mut to_b =
        GreeterServiceClient::with_interceptor(channel(&b.url), move |mut r: Request<()>| {
            *r.metadata_mut() = replay.lock().unwrap().clone().unwrap();
            Ok(r)
        });
    let hello = || SayHelloRequest {
        name: "Jack".into(),
    };
    assert_eq!(
        to_a.say_hello(hello()).await.unwrap().into_inner().message,
        "Hello, Jack!"
    );
    let outcome = to_b
        .say_hello(hello())
        .await
        .map(|r| r.into_inner().message);
    assert_refused(outcome, Code::Unauthenticated, "invalid signature");
    a.running.stop().await.unwrap();
    b.running.stop().await.unwrap();
}

/// The replay scope, as custom.md states it: once per server process. A second
/// check (another process, or this one restarted) reached at the same authority
/// accepts the captured call again inside the window; the first never does.
#[test]
fn replay_protection_is_once_per_server_process() {
    let headers = signed_headers(shared_key(), "localhost:1", NOW);
    let first = SignatureCheck::new([shared_key()], MAX_SKEW, fixed_clock(NOW));
    first
        .authenticate(&uri("localhost:1", V1), &headers)
        .unwrap();
    let again = first.authenticate(&uri("localhost:1", V1), &headers);
    assert!(again.unwrap_err().message().contains("invalid signature"));
    let restarted = SignatureCheck::new([shared_key()], MAX_SKEW, fixed_clock(NOW));
    restarted
        .authenticate(&uri("localhost:1", V1), &headers)
        .unwrap();
}

/// One key's flood fills only its own cache: another key's calls still pass, and
/// the flooding key gets RESOURCE_EXHAUSTED, not an early forgetting.
#[test]
fn each_key_has_its_own_capped_nonce_cache() {
    let other = key(
        "other-key",
        "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
    );
    let check = SignatureCheck::new([shared_key(), other.clone()], MAX_SKEW, fixed_clock(NOW))
        .with_replay_capacity(3);
    let at = uri("localhost:1", V1);
    for _ in 0..3 {
        let headers = signed_headers(shared_key(), "localhost:1", NOW);
        check.authenticate(&at, &headers).unwrap();
    }
    let flood = signed_headers(shared_key(), "localhost:1", NOW);
    let refused = check.authenticate(&at, &flood).unwrap_err();
    assert_eq!(refused.code(), Code::ResourceExhausted, "{refused:?}");
    for _ in 0..3 {
        let headers = signed_headers(other.clone(), "localhost:1", NOW);
        check.authenticate(&at, &headers).unwrap();
    }
}

/// The wall clock stepped back after a sweep must not re-admit a forgotten nonce:
/// the server's time never goes backwards.
#[test]
fn a_backwards_clock_step_does_not_readmit_a_swept_nonce() {
    let now = Arc::new(AtomicU64::new(NOW));
    let check = SignatureCheck::new([shared_key()], MAX_SKEW, clock_at(&now));
    let at = uri("localhost:1", V1);
    let captured = signed_headers(shared_key(), "localhost:1", NOW);
    check.authenticate(&at, &captured).unwrap();
    // Later: a fresh call sweeps the captured call's nonce out of the cache.
    now.store(NOW + MAX_SKEW + 1, Ordering::SeqCst);
    let later = signed_headers(shared_key(), "localhost:1", NOW + MAX_SKEW + 1);
    check.authenticate(&at, &later).unwrap();
    // The wall clock steps back to the captured call's time, and it is replayed.
    now.store(NOW, Ordering::SeqCst);
    let replayed = check.authenticate(&at, &captured).unwrap_err();
    assert_eq!(replayed.code(), Code::Unauthenticated);
    assert!(
        replayed.message().contains("invalid signature"),
        "{replayed:?}"
    );
}

/// A server started with default flags answers only to the authorities it is
/// reached by: a call signed for server A, sent to server B (same key) with A's
/// `:authority`, is refused.
#[tokio::test]
async fn a_server_with_default_flags_refuses_a_call_signed_for_another_server() {
    use auth::custom::{CustomMode, CustomServerFlags};
    use auth::mode::{DemoCredentials, FromDemo, SecureMode};
    let credentials = DemoCredentials::generate().unwrap();
    let a = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let b = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    for listener in [a, b] {
        let flags = CustomServerFlags::from_demo(&credentials);
        tokio::spawn(CustomMode::serve(listener, flags, std::future::pending()));
    }
    let key = SigningKey::new("demo-key", credentials.secret.clone()).unwrap();
    let call = |to: std::net::SocketAddr| {
        let signer = RequestSigner::new(key.clone(), auth::signing::system_clock())
            .for_authority(a_addr.to_string());
        let channel = Endpoint::from_shared(format!("http://{to}"))
            .unwrap()
            .origin(format!("http://{a_addr}").parse().unwrap())
            .connect_lazy();
        let mut client =
            GreeterServiceClient::with_interceptor(channel, move |mut r: Request<()>| {
                signer.sign(&mut r)?;
                Ok(r)
            });
        async move {
            let request = SayHelloRequest {
                name: "Jack".into(),
            };
            Ok(client.say_hello(request).await?.into_inner().message)
        }
    };
    assert_eq!(call(a_addr).await.unwrap(), "Hello, Jack!");
    assert_refused(
        call(b_addr).await,
        Code::Unauthenticated,
        "invalid signature",
    );
}
