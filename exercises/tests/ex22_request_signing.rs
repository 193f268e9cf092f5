//! Exercise 22: signed calls are greeted once; altered, stale, forged and replayed
//! ones are refused with UNAUTHENTICATED.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use grpc_exercises::ex22_request_signing::{
    HmacSha256, KEY_ID, NONCE, SIGNATURE, SignedCall, TIMESTAMP, Verifier, sign,
};
use grpc_exercises::support::greeter::{Hello, hello};
use grpc_exercises::support::{self, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use hmac::Mac;
use tonic::transport::{Channel, Server};
use tonic::{Code, Request, Response, Status};

const SECRET: &[u8] = b"shared between client and server";
const KEY: &str = "demo-key";
const PATH: &str = "/tutorial.helloworld.v1.GreeterService/SayHello";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// Greets only calls the exercise's `Verifier` accepts.
struct SignedGreeter {
    verifier: Arc<Verifier>,
}

#[tonic::async_trait]
impl GreeterService for SignedGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let entry = |key: &str| {
            let value = request.metadata().get(key);
            let value = value.and_then(|v| v.to_str().ok()).map(str::to_owned);
            value.ok_or_else(|| Status::unauthenticated(format!("missing {key}")))
        };
        let call = SignedCall {
            path: PATH.to_owned(),
            key_id: entry(KEY_ID)?,
            timestamp: entry(TIMESTAMP)?
                .parse()
                .map_err(|_| Status::unauthenticated("malformed timestamp"))?,
            nonce: entry(NONCE)?,
            signature: entry(SIGNATURE)?,
        };
        self.verifier.check(&call, now())?;
        Hello.say_hello(request).await
    }
}

/// The metadata of one signed call.
struct Signed {
    key_id: &'static str,
    timestamp: u64,
    nonce: String,
    signature: String,
}

impl Signed {
    fn new(secret: &[u8], path: &str, timestamp: u64, nonce: &str) -> Self {
        Self {
            key_id: KEY,
            timestamp,
            nonce: nonce.to_owned(),
            signature: sign(secret, path, timestamp, nonce, KEY),
        }
    }
}

async fn start() -> (support::TestServer, Channel) {
    let greeter = SignedGreeter {
        verifier: Arc::new(Verifier::new(KEY, SECRET)),
    };
    let server =
        support::serve(Server::builder().add_service(GreeterServiceServer::new(greeter))).await;
    let channel = support::connect(&server).await;
    (server, channel)
}

async fn call(channel: &Channel, signed: &Signed) -> Result<String, Status> {
    let mut request = Request::new(hello("Jack"));
    let metadata = request.metadata_mut();
    metadata.insert(KEY_ID, signed.key_id.parse().expect("ascii"));
    metadata.insert(
        TIMESTAMP,
        signed.timestamp.to_string().parse().expect("ascii"),
    );
    metadata.insert(NONCE, signed.nonce.parse().expect("ascii"));
    metadata.insert(SIGNATURE, signed.signature.parse().expect("ascii"));
    let mut client = GreeterServiceClient::new(channel.clone());
    Ok(client.say_hello(request).await?.into_inner().message)
}

fn refused(outcome: Result<String, Status>, what: &str) {
    match outcome {
        Ok(message) => panic!("{what} must be refused, but was greeted: {message:?}"),
        Err(status) => assert_eq!(status.code(), Code::Unauthenticated, "{what}: {status:?}"),
    }
}

#[test]
fn the_signature_covers_path_timestamp_nonce_and_key() {
    let mut mac = HmacSha256::new_from_slice(b"k").unwrap();
    mac.update(b"/a.B/C\n1764158400\n00ff\ndemo-key");
    let expected = hex::encode(mac.finalize().into_bytes());
    assert_eq!(
        sign(b"k", "/a.B/C", 1_764_158_400, "00ff", "demo-key"),
        expected
    );
}

#[tokio::test]
async fn a_signed_call_is_greeted_once_and_its_replay_refused() {
    within(async {
        let (_server, channel) = start().await;
        let signed = Signed::new(SECRET, PATH, now(), "5f0c2a9d8e7b41c3a6d2f0e19b8c7a65");
        let first = call(&channel, &signed).await;
        assert_eq!(first.expect("a correctly signed call"), "Hello, Jack!");
        refused(
            call(&channel, &signed).await,
            "the same signed call sent again",
        );
        let fresh = Signed::new(SECRET, PATH, now(), "0123456789abcdef0123456789abcdef");
        assert!(
            call(&channel, &fresh).await.is_ok(),
            "a new nonce is a new call"
        );
    })
    .await
}

#[tokio::test]
async fn altered_stale_and_forged_calls_are_refused() {
    within(async {
        let (_server, channel) = start().await;
        let other_method = Signed::new(
            SECRET,
            "/tutorial.helloworld.v1.GreeterService/Other",
            now(),
            "aa01",
        );
        refused(
            call(&channel, &other_method).await,
            "a call signed for another method",
        );
        let stale = Signed::new(SECRET, PATH, now() - 301, "aa02");
        refused(call(&channel, &stale).await, "a timestamp 301 s old");
        let future = Signed::new(SECRET, PATH, now() + 360, "aa03");
        refused(call(&channel, &future).await, "a timestamp 6 minutes ahead");
        let forged = Signed::new(b"guessed secret", PATH, now(), "aa04");
        refused(
            call(&channel, &forged).await,
            "a call signed with the wrong secret",
        );
        let mut moved = Signed::new(SECRET, PATH, now(), "aa05");
        moved.timestamp += 1;
        refused(
            call(&channel, &moved).await,
            "a call whose timestamp was changed",
        );
        let mut garbage = Signed::new(SECRET, PATH, now(), "aa06");
        garbage.signature = "not hex".into();
        refused(
            call(&channel, &garbage).await,
            "a signature that is not hex",
        );
    })
    .await
}

#[tokio::test]
async fn forged_calls_do_not_use_up_a_nonce() {
    within(async {
        let (_server, channel) = start().await;
        let forged = Signed::new(b"guessed secret", PATH, now(), "bb01");
        refused(call(&channel, &forged).await, "a forged call");
        let genuine = Signed::new(SECRET, PATH, now(), "bb01");
        let outcome = call(&channel, &genuine).await;
        assert!(
            outcome.is_ok(),
            "a forged call must not burn the nonce of a genuine one: {outcome:?}"
        );
    })
    .await
}

/// A signed call to [`PATH`] at `timestamp` with `nonce`, as the server reads it.
fn signed_call(timestamp: u64, nonce: &str) -> SignedCall {
    SignedCall {
        path: PATH.to_owned(),
        key_id: KEY.to_owned(),
        timestamp,
        nonce: nonce.to_owned(),
        signature: sign(SECRET, PATH, timestamp, nonce, KEY),
    }
}

#[test]
fn a_clock_stepped_back_does_not_readmit_a_forgotten_nonce() {
    let verifier = Verifier::new(KEY, SECRET);
    let first = signed_call(10_000, "cc01");
    assert!(verifier.check(&first, 10_000).is_ok());
    // Much later: the first nonce is forgotten, its call out of the window.
    assert!(verifier.check(&signed_call(20_000, "cc02"), 20_000).is_ok());
    // The server's clock steps back to the first call's time: still refused.
    let replay = verifier.check(&first, 10_000);
    assert_eq!(replay.unwrap_err().code(), Code::Unauthenticated);
}

#[test]
fn a_full_nonce_memory_refuses_new_calls_until_old_ones_expire() {
    let verifier = Verifier::with_capacity(KEY, SECRET, 2);
    assert!(verifier.check(&signed_call(10_000, "dd01"), 10_000).is_ok());
    assert!(verifier.check(&signed_call(10_000, "dd02"), 10_000).is_ok());
    let full = verifier.check(&signed_call(10_000, "dd03"), 10_000);
    assert_eq!(full.unwrap_err().code(), Code::ResourceExhausted);
    // Once the first two have left the window, there is room again.
    let later = 10_000 + 301;
    assert!(verifier.check(&signed_call(later, "dd03"), later).is_ok());
}

#[test]
fn a_call_for_another_key_id_is_refused() {
    let verifier = Verifier::new(KEY, SECRET);
    // The right secret, but signed and sent as another key: not a key this server holds.
    let other = SignedCall {
        key_id: "other-key".to_owned(),
        signature: sign(SECRET, PATH, 10_000, "ee01", "other-key"),
        ..signed_call(10_000, "ee01")
    };
    let refused = verifier.check(&other, 10_000);
    assert_eq!(refused.unwrap_err().code(), Code::Unauthenticated);
    // The same nonce under the right key is still new.
    assert!(verifier.check(&signed_call(10_000, "ee01"), 10_000).is_ok());
}

#[test]
fn the_window_is_300_seconds_either_way_inclusive() {
    let verifier = Verifier::new(KEY, SECRET);
    let now = 50_000;
    assert!(verifier.check(&signed_call(now - 300, "ff01"), now).is_ok());
    assert!(verifier.check(&signed_call(now + 300, "ff02"), now).is_ok());
    for (at, nonce) in [(now - 301, "ff03"), (now + 301, "ff04")] {
        let refused = verifier.check(&signed_call(at, nonce), now);
        assert_eq!(refused.unwrap_err().code(), Code::Unauthenticated, "{at}");
    }
}
