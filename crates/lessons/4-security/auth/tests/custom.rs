//! HMAC request signing over real sockets: every way a signature can be wrong is
//! refused with UNAUTHENTICATED and a reason, and the server goes on serving.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use auth::credentials::CallCredentials;
use auth::custom::SignatureCheck;
use auth::greeter::Greet;
use auth::layer::Authenticator;
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
    key("demo-key", "a shared secret of some length")
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
    let signer = RequestSigner::new(shared_key(), fixed_clock(NOW));
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
            signed_by(key("demo-key", "not the shared secret!!"), NOW),
            "bad signature",
        ),
        (
            signed_by(shared_key(), NOW - MAX_SKEW - 1),
            "stale timestamp: 301s away",
        ),
        (
            signed_by(shared_key(), NOW + MAX_SKEW + 60),
            "stale timestamp: 360s away",
        ),
        (
            signed_by(key("other-key", "a shared secret of some length"), NOW),
            "unknown key id",
        ),
        (ClientSecurity::default(), "missing x-auth-key-id metadata"),
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
    assert_refused(replay().await, Code::Unauthenticated, "replayed call");
    assert_served(&server.url, signed_by(shared_key(), NOW)).await;
    // Later the nonce is forgotten, but the timestamp now fails instead.
    now.store(NOW + MAX_SKEW + 1, Ordering::SeqCst);
    assert_refused(replay().await, Code::Unauthenticated, "stale timestamp");
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn malformed_entries_are_named() {
    let server = signature_server(fixed_clock(NOW)).await;
    let channel = Endpoint::from_shared(server.url.clone())
        .unwrap()
        .connect_lazy();
    let signer = RequestSigner::new(shared_key(), fixed_clock(NOW));
    let tampered = [
        (
            "x-auth-timestamp",
            "yesterday",
            "malformed x-auth-timestamp metadata",
        ),
        ("x-auth-nonce", "short", "malformed x-auth-nonce metadata"),
        (
            "x-auth-signature",
            "zz",
            "malformed x-auth-signature metadata",
        ),
        (
            "x-auth-key-id",
            "no spaces allowed",
            "malformed x-auth-key-id metadata",
        ),
    ];
    for (key, value, reason) in tampered {
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
        assert_refused(outcome, Code::Unauthenticated, reason);
    }
    assert_served(&server.url, signed_by(shared_key(), NOW)).await;
    server.running.stop().await.unwrap();
}

#[test]
fn a_signature_is_bound_to_its_method() {
    let check = SignatureCheck::new([shared_key()], MAX_SKEW, fixed_clock(NOW));
    let mut request = Request::new(());
    request.extensions_mut().insert(GrpcMethod::new(
        "tutorial.helloworld.v1.GreeterService",
        "SayHello",
    ));
    RequestSigner::new(shared_key(), fixed_clock(NOW))
        .sign(&mut request)
        .unwrap();
    let headers = request.metadata().clone().into_headers();
    let refused = check
        .authenticate("/tutorial.helloworld.v2.GreeterService/SayHello", &headers)
        .unwrap_err();
    assert_eq!(refused.code(), Code::Unauthenticated);
    assert!(refused.message().contains("bad signature"));
    // No secret in any message.
    assert!(!refused.message().contains("shared secret"));
    check
        .authenticate("/tutorial.helloworld.v1.GreeterService/SayHello", &headers)
        .unwrap();
}
