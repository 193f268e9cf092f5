//! HMAC request signing over real sockets: every way a signature can be wrong is
//! refused with UNAUTHENTICATED and a reason, and the server goes on serving.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use auth::digest::{DigestLayer, Digested, MessageDigest};
use auth::signature::SignatureCheck;
use auth::signing::{Clock, RequestSigner, SigningKey};
use common::{ClientSecurity, Server, assert_refused, assert_served, hello, start_custom};
use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use prost::Message;
use tonic::metadata::MetadataMap;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Endpoint};
use tonic::{Code, GrpcMethod, Request};
use tower::Layer;

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
    let signer = RequestSigner::new(signer_key, fixed_clock(at));
    ClientSecurity {
        signer: Some(signer),
        ..ClientSecurity::default()
    }
}

async fn signature_server(server_clock: Clock) -> Server {
    start_custom(SignatureCheck::new([shared_key()], MAX_SKEW, server_clock)).await
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
    let client = signing_client(channel, move |mut request: Request<()>| {
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
        let mut client = signing_client(channel.clone(), move |mut request: Request<()>| {
            signer.sign(&mut request)?;
            request.metadata_mut().insert(key, value.parse().unwrap());
            Ok(request)
        });
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
    request.extensions_mut().insert(digest_of("Jack"));
    RequestSigner::new(key, fixed_clock(at))
        .for_authority(authority)
        .sign(&mut request)
        .unwrap();
    request.metadata().clone().into_headers()
}

/// A client whose calls `interceptor` signs: the digest layer outside it hashes
/// each message first, as `auth custom client` does.
fn signing_client<F: Interceptor + Clone + Send + 'static>(
    channel: Channel,
    interceptor: F,
) -> GreeterServiceClient<Digested<InterceptedService<Channel, F>>> {
    GreeterServiceClient::new(
        DigestLayer::default().layer(InterceptedService::new(channel, interceptor)),
    )
}

/// The gRPC request body of `SayHello(name)`: one uncompressed message.
fn body_of(name: &str) -> Vec<u8> {
    let message = SayHelloRequest { name: name.into() }.encode_to_vec();
    let mut body = vec![0];
    body.extend((message.len() as u32).to_be_bytes());
    body.extend(message);
    body
}

fn digest_of(name: &str) -> MessageDigest {
    MessageDigest::of_body(&body_of(name)).unwrap()
}

/// A call to `uri` with `headers` whose body is `SayHello(name = "Jack")`, as
/// the server's digest layer leaves it for the check.
fn call(uri: http::Uri, headers: &http::HeaderMap) -> http::Request<()> {
    call_with(uri, headers, Some(digest_of("Jack")))
}

fn call_with(
    uri: http::Uri,
    headers: &http::HeaderMap,
    message: Option<MessageDigest>,
) -> http::Request<()> {
    let mut call = http::Request::new(());
    *call.uri_mut() = uri;
    *call.headers_mut() = headers.clone();
    if let Some(message) = message {
        call.extensions_mut().insert(message);
    }
    call
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
        .authenticate(&call(
            uri("localhost:1", "tutorial.helloworld.v2.GreeterService"),
            &headers,
        ))
        .unwrap_err();
    assert_eq!(refused.code(), Code::Unauthenticated);
    assert!(refused.message().contains("invalid signature"));
    // No secret in any message.
    assert!(!refused.message().contains("5f0c2a9d"));
    check
        .authenticate(&call(uri("localhost:1", V1), &headers))
        .unwrap();
}

/// A signature covers the server it was made for: the same call sent to another
/// authority is refused, and changing `x-auth-authority` to match breaks the signature.
#[test]
fn a_signature_is_bound_to_its_authority() {
    let check = SignatureCheck::new([shared_key()], MAX_SKEW, fixed_clock(NOW));
    let mut headers = signed_headers(shared_key(), "a.example:443", NOW);
    let refused = check
        .authenticate(&call(uri("b.example:443", V1), &headers))
        .unwrap_err();
    assert!(
        refused.message().contains("invalid signature"),
        "{refused:?}"
    );
    headers.insert("x-auth-authority", "b.example:443".parse().unwrap());
    let refused = check
        .authenticate(&call(uri("b.example:443", V1), &headers))
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
        .authenticate(&call(uri("c.example:443", V1), &elsewhere))
        .unwrap_err();
    assert!(refused.message().contains("invalid signature"));
    let ours = signed_headers(shared_key(), "A.example:443", NOW);
    named
        .authenticate(&call(uri("a.example:443", V1), &ours))
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
    let mut to_a = signing_client(channel(&a.url), move |mut r: Request<()>| {
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
        .authenticate(&call(uri("localhost:1", V1), &headers))
        .unwrap();
    let again = first.authenticate(&call(uri("localhost:1", V1), &headers));
    assert!(again.unwrap_err().message().contains("invalid signature"));
    let restarted = SignatureCheck::new([shared_key()], MAX_SKEW, fixed_clock(NOW));
    restarted
        .authenticate(&call(uri("localhost:1", V1), &headers))
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
        check.authenticate(&call(at.clone(), &headers)).unwrap();
    }
    let flood = signed_headers(shared_key(), "localhost:1", NOW);
    let refused = check.authenticate(&call(at.clone(), &flood)).unwrap_err();
    assert_eq!(refused.code(), Code::ResourceExhausted, "{refused:?}");
    for _ in 0..3 {
        let headers = signed_headers(other.clone(), "localhost:1", NOW);
        check.authenticate(&call(at.clone(), &headers)).unwrap();
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
    check.authenticate(&call(at.clone(), &captured)).unwrap();
    // Later: a fresh call sweeps the captured call's nonce out of the cache.
    now.store(NOW + MAX_SKEW + 1, Ordering::SeqCst);
    let later = signed_headers(shared_key(), "localhost:1", NOW + MAX_SKEW + 1);
    check.authenticate(&call(at.clone(), &later)).unwrap();
    // The wall clock steps back to the captured call's time, and it is replayed.
    now.store(NOW, Ordering::SeqCst);
    let replayed = check
        .authenticate(&call(at.clone(), &captured))
        .unwrap_err();
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
    use auth::mode::{Secure, Shared};
    use lesson_kit::{Console, Lesson};
    let certs = common::certs();
    let a = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let b = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    for listener in [a, b] {
        let (trigger, shutdown) = lesson_kit::shutdown::channel();
        std::mem::forget(trigger); // served until the test ends
        let flags = Shared(common::custom_flags(&certs));
        tokio::spawn(Secure::<4>::serve(
            listener,
            flags,
            Console::capture(),
            shutdown,
        ));
    }
    let key = SigningKey::new(
        "demo-key",
        std::fs::read_to_string(certs.path().join("secret"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let call = |to: std::net::SocketAddr| {
        let signer = RequestSigner::new(key.clone(), auth::mode::system_clock())
            .for_authority(a_addr.to_string());
        let channel = Endpoint::from_shared(format!("http://{to}"))
            .unwrap()
            .origin(format!("http://{a_addr}").parse().unwrap())
            .connect_lazy();
        let mut client = signing_client(channel, move |mut r: Request<()>| {
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

/// The signature covers the request message: the same signed headers with another
/// message, or with a body that has no digest (not one uncompressed message), are
/// refused, and the true message with those headers is still served once.
#[test]
fn a_signature_is_bound_to_its_message() {
    let check = SignatureCheck::new([shared_key()], MAX_SKEW, fixed_clock(NOW));
    let headers = signed_headers(shared_key(), "localhost:1", NOW);
    let at = || uri("localhost:1", V1);
    for message in [Some(digest_of("Evil")), Some(digest_of("Jack ")), None] {
        let refused = check
            .authenticate(&call_with(at(), &headers, message))
            .unwrap_err();
        assert_eq!(refused.code(), Code::Unauthenticated, "{message:?}");
        assert_eq!(refused.message(), "invalid signature", "{message:?}");
    }
    check.authenticate(&call(at(), &headers)).unwrap();
}

/// Only a body of exactly one uncompressed message has a digest.
#[test]
fn only_one_uncompressed_message_has_a_digest() {
    let jack = body_of("Jack");
    // The example on custom.md: the SHA-256 of the bytes 0a 04 4a 61 63 6b.
    assert_eq!(&jack[5..], b"\x0a\x04Jack");
    assert_eq!(
        hex::encode(digest_of("Jack").0),
        "d5d4efa03975828884e3894878e276649036d233b29c468f10012c0779f2f354"
    );
    let mut compressed = jack.clone();
    compressed[0] = 1;
    assert_eq!(MessageDigest::of_body(&compressed), None, "compressed");
    assert_eq!(
        MessageDigest::of_body(&[jack.clone(), jack.clone()].concat()),
        None,
        "two"
    );
    assert_eq!(
        MessageDigest::of_body(&jack[..jack.len() - 1]),
        None,
        "truncated"
    );
    assert_eq!(MessageDigest::of_body(&[]), None, "empty");
    // The empty message is a message: five bytes of header, no payload.
    assert!(MessageDigest::of_body(&[0, 0, 0, 0, 0]).is_some());
}

/// Over the network, against the mode's own server with default flags: a man in
/// the middle holds back a signed call and changes its message (`Jack` to `Evil`,
/// headers untouched). Both servers holding the key refuse it, and the server it
/// was signed for still serves the untouched call, once.
#[tokio::test]
async fn an_altered_message_is_refused_by_every_server_with_the_key() {
    altered_message_refused(false).await;
}

/// The same over TLS (`--certs`): the servers refuse the altered call as before.
#[tokio::test]
async fn an_altered_message_is_refused_over_tls_too() {
    altered_message_refused(true).await;
}

async fn altered_message_refused(tls: bool) {
    use auth::mode::{Secure, Shared};
    use lesson_kit::{Console, Lesson};
    let certs = common::certs();
    let a = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let b = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    for listener in [a, b] {
        let (trigger, shutdown) = lesson_kit::shutdown::channel();
        std::mem::forget(trigger); // served until the test ends
        let mut flags = common::custom_flags(&certs);
        if tls {
            flags.certs = Some(certs.path().to_owned());
            flags.plaintext = false;
        }
        tokio::spawn(Secure::<4>::serve(
            listener,
            Shared(flags),
            Console::capture(),
            shutdown,
        ));
    }
    let key = SigningKey::new(
        "demo-key",
        std::fs::read_to_string(certs.path().join("secret"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let scheme = if tls { "https" } else { "http" };
    let channel = |to: std::net::SocketAddr| {
        let mut endpoint = Endpoint::from_shared(format!("{scheme}://{to}"))
            .unwrap()
            .origin(format!("{scheme}://{a_addr}").parse().unwrap());
        if tls {
            let ca = std::fs::read(certs.path().join("ca.pem")).unwrap();
            let config = tonic::transport::ClientTlsConfig::new()
                .ca_certificate(tonic::transport::Certificate::from_pem(ca))
                .domain_name("localhost");
            endpoint = endpoint.tls_config(config).unwrap();
        }
        endpoint.connect_lazy()
    };
    // Signed for server A, captured, and never delivered.
    let signer =
        RequestSigner::new(key, auth::mode::system_clock()).for_authority(a_addr.to_string());
    let captured: Arc<Mutex<Option<MetadataMap>>> = Arc::default();
    let keep = captured.clone();
    let mut capture = signing_client(channel(a_addr), move |mut r: Request<()>| {
        signer.sign(&mut r)?;
        *keep.lock().unwrap() = Some(r.metadata().clone());
        Err(tonic::Status::aborted("held back by the man in the middle"))
    });
    let jack = || SayHelloRequest {
        name: "Jack".into(),
    };
    let held = capture.say_hello(jack()).await.unwrap_err();
    assert_eq!(held.code(), Code::Aborted, "{held:?}");
    let headers = captured.lock().unwrap().clone().unwrap();
    let send = |to, name: &str| {
        let headers = headers.clone();
        let mut client =
            GreeterServiceClient::with_interceptor(channel(to), move |mut r: Request<()>| {
                *r.metadata_mut() = headers.clone();
                Ok(r)
            });
        let request = SayHelloRequest { name: name.into() };
        async move { Ok(client.say_hello(request).await?.into_inner().message) }
    };
    for to in [a_addr, b_addr] {
        assert_refused(
            send(to, "Evil").await,
            Code::Unauthenticated,
            "invalid signature",
        );
    }
    assert_eq!(send(a_addr, "Jack").await.unwrap(), "Hello, Jack!");
    assert_refused(
        send(a_addr, "Jack").await,
        Code::Unauthenticated,
        "invalid signature",
    );
}

/// The server reads at most one message's worth of body before it checks anything:
/// a larger one is RESOURCE_EXHAUSTED, and the server goes on serving.
#[tokio::test]
async fn an_oversized_signed_body_is_resource_exhausted() {
    let server = signature_server(fixed_clock(NOW)).await;
    let channel = Endpoint::from_shared(server.url.clone())
        .unwrap()
        .connect_lazy();
    let mut client = GreeterServiceClient::new(channel);
    let huge = SayHelloRequest {
        name: "J".repeat(auth::digest::MAX_SIGNED_BODY),
    };
    let status = client.say_hello(huge).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert_served(&server.url, signed_by(shared_key(), NOW)).await;
    server.running.stop().await.unwrap();
}
