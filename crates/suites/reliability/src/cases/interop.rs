//! gRPC's interoperability test cases, adapted to the greeter.
//!
//! The originals (grpc/grpc `doc/interop-test-descriptions.md`) call a
//! `TestService` with payload sizes and status requests inside its messages; here
//! the same instructions travel as metadata (see [`crate::protocol`]). Each case
//! names the interop case it adapts and checks the same thing: the exact code,
//! message, metadata or message count.

use anyhow::{Context, bail, ensure};
use helloworld_proto::{v1, v2, v3, v4};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::metadata::{AsciiMetadataValue, BinaryMetadataValue};

use crate::protocol::{ECHO_INITIAL, ECHO_TRAILING, Instructions};
use crate::target::{Target, expect_code};
use crate::wait::within;

/// The interop suite's status message with whitespace, BMP and non-BMP Unicode.
pub const SPECIAL_MESSAGE: &str =
    "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

fn hello(name: &str) -> v1::SayHelloRequest {
    v1::SayHelloRequest { name: name.into() }
}

/// `empty_unary`: an empty request (zero bytes on the wire) gets an answer.
pub async fn empty_unary(target: &Target) -> anyhow::Result<String> {
    let reply = within(
        "empty_unary",
        target.v1().say_hello(v1::SayHelloRequest::default()),
    )
    .await??
    .into_inner();
    Ok(format!("0-byte request answered OK: {:?}", reply.message))
}

/// `client_streaming`: four requests of the interop case's sizes (27 182, 8,
/// 1 828 and 45 904 bytes) in, one response out that counts them all.
pub async fn client_streaming(target: &Target) -> anyhow::Result<String> {
    const SIZES: [usize; 4] = [27_182, 8, 1_828, 45_904];
    let outbound = futures::stream::iter(SIZES.map(|n| v4::SayHelloRequest {
        name: "x".repeat(n),
    }));
    let reply = within("client_streaming", target.v4().say_hello(outbound))
        .await??
        .into_inner();
    let total: usize = SIZES.iter().sum();
    if target.probes().is_some() {
        ensure!(
            reply.greeted_count == 4,
            "greeted_count {}",
            reply.greeted_count
        );
        ensure!(
            reply.message.contains(&format!("({total} bytes)")),
            "{:?}",
            reply.message
        );
    }
    // A lesson server may echo every name: keep the table's row short.
    let shown: String = reply.message.chars().take(60).collect();
    Ok(format!(
        "4 requests ({total} bytes) in, 1 response out ({} bytes: {shown:?}…), greeted_count {}",
        reply.message.len(),
        reply.greeted_count
    ))
}

/// `per_rpc_creds`, adapted: credentials travel with each *call* (an
/// `authorization` header added per request, here by a tonic interceptor), not
/// with the connection. Three calls on one channel carry token A, token B and
/// none; the server saw exactly that, call by call.
pub async fn per_call_credentials(target: &Target) -> anyhow::Result<String> {
    use crate::protocol::{AUTHORIZATION, AUTHORIZED_AS};
    let channel = target.channel();
    let mut seen = Vec::new();
    for token in [Some("alice-token"), Some("bob-token"), None] {
        let attach = move |mut request: tonic::Request<()>| {
            if let Some(token) = token {
                let value = AsciiMetadataValue::try_from(format!("Bearer {token}"))
                    .map_err(|_| tonic::Status::internal("token is not ASCII"))?;
                request.metadata_mut().insert(AUTHORIZATION, value);
            }
            Ok(request)
        };
        let mut client = v1::greeter_service_client::GreeterServiceClient::with_interceptor(
            channel.clone(),
            attach,
        );
        let reply = within("a call with credentials", client.say_hello(hello("creds"))).await??;
        let got = reply
            .metadata()
            .get(AUTHORIZED_AS)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        ensure!(
            got.as_deref() == token,
            "sent {token:?}, the server saw {got:?}"
        );
        seen.push(got.unwrap_or_else(|| "none".into()));
    }
    Ok(format!(
        "one connection, per-call tokens seen by the server: {}",
        seen.join(", ")
    ))
}

/// `large_unary`, near the size limit: a request and a response each a few
/// bytes under the server's maximum message size.
pub async fn large_unary(target: &Target) -> anyhow::Result<String> {
    let limit = target.limits().max_message_bytes;
    // Encoded request = 1 tag byte + a 4-byte length varint + the name.
    let size = limit - 8;
    let ask = Instructions {
        response_size: Some(size),
        ..Default::default()
    };
    let reply = within(
        "large_unary",
        target.v1().say_hello(ask.request(hello(&"x".repeat(size)))),
    )
    .await??
    .into_inner()
    .message;
    ensure!(
        reply.len() == size,
        "asked {size} bytes, got {}",
        reply.len()
    );
    ensure!(reply.starts_with("Hello, xxx"), "unexpected greeting");
    Ok(format!(
        "{size}-byte name in, {size}-byte greeting out (limit {limit})"
    ))
}

/// `server_streaming`: every message arrives, in order, then `OK`.
pub async fn server_streaming(target: &Target) -> anyhow::Result<String> {
    let ask = Instructions {
        response_count: Some(4),
        ..Default::default()
    };
    let request = ask.request(v2::SayHelloRequest {
        name: "stream".into(),
    });
    let mut stream = within("server_streaming", target.v2().say_hello(request))
        .await??
        .into_inner();
    let mut messages = Vec::new();
    while let Some(reply) = within("next message", stream.message()).await?? {
        messages.push(reply.message);
    }
    if target.probes().is_some() {
        let expected: Vec<String> = (0..4).map(|i| format!("Hello, stream! #{i}")).collect();
        ensure!(messages == expected, "got {messages:?}");
    }
    ensure!(!messages.is_empty(), "the stream ended OK but empty");
    Ok(format!("{} messages in order, then OK", messages.len()))
}

/// `ping_pong`: four requests on a bidi stream, each answered before the next
/// is sent; then the client half-closes and the call ends `OK`.
pub async fn ping_pong(target: &Target) -> anyhow::Result<String> {
    let (tx, rx) = mpsc::channel(1);
    let mut replies = within("ping_pong", target.v3().say_hello(ReceiverStream::new(rx)))
        .await??
        .into_inner();
    let names = ["ping", "pang", "peng", "pong"];
    for name in names {
        tx.send(v3::SayHelloRequest { name: name.into() }).await?;
        let reply = within("pong", replies.message())
            .await??
            .context("stream ended early")?;
        ensure!(
            reply.message.contains(name) || target.probes().is_none(),
            "sent {name}, got {:?}",
            reply.message
        );
    }
    drop(tx);
    let end = within("end of stream", replies.message()).await??;
    ensure!(end.is_none(), "an extra message after half-close: {end:?}");
    Ok(format!(
        "{} pings, {} pongs, in lockstep, then OK",
        names.len(),
        names.len()
    ))
}

/// `empty_stream`: a bidi call whose client sends nothing ends `OK` with nothing.
pub async fn empty_stream(target: &Target) -> anyhow::Result<String> {
    let mut replies = within(
        "empty_stream",
        target.v3().say_hello(futures::stream::empty()),
    )
    .await??
    .into_inner();
    let first = within("end of stream", replies.message()).await??;
    ensure!(first.is_none(), "expected no messages, got {first:?}");
    Ok("no requests, no responses, OK".into())
}

/// `status_code_and_message`: a requested status (UNKNOWN, "test status
/// message") reaches the client exactly, on a unary and on a bidi call.
pub async fn status_code_and_message(target: &Target) -> anyhow::Result<String> {
    let message = "test status message";
    let status = unary_failure(target, Code::Unknown, message).await?;
    ensure!(
        status.message() == message,
        "unary message {:?}",
        status.message()
    );
    let mut request = tonic::Request::new(call_stream());
    failing(Code::Unknown, message).write_to(request.metadata_mut());
    let mut replies = within("bidi call", target.v3().say_hello(request))
        .await??
        .into_inner();
    let status = match within("bidi status", replies.message()).await? {
        Err(status) => status,
        Ok(reply) => bail!("bidi call answered {reply:?} instead of failing"),
    };
    expect_code(&status, Code::Unknown)?;
    ensure!(
        status.message() == message,
        "bidi message {:?}",
        status.message()
    );
    Ok(format!("UNKNOWN {message:?} on unary and bidi"))
}

/// `special_status_message`: a status message with tabs, CR LF, BMP and non-BMP
/// Unicode arrives byte for byte (gRPC percent-encodes it on the wire).
pub async fn special_status_message(target: &Target) -> anyhow::Result<String> {
    let status = unary_failure(target, Code::Unknown, SPECIAL_MESSAGE).await?;
    ensure!(
        status.message() == SPECIAL_MESSAGE,
        "sent {SPECIAL_MESSAGE:?}, got {:?}",
        status.message()
    );
    Ok(format!("UNKNOWN {SPECIAL_MESSAGE:?} round-tripped exactly"))
}

fn failing(code: Code, message: &str) -> Instructions {
    Instructions {
        status: Some((code, message.into())),
        ..Default::default()
    }
}

fn call_stream() -> impl futures::Stream<Item = v3::SayHelloRequest> + Send + 'static {
    futures::stream::iter([v3::SayHelloRequest {
        name: "fail".into(),
    }])
}

async fn unary_failure(
    target: &Target,
    code: Code,
    message: &str,
) -> anyhow::Result<tonic::Status> {
    let status = within(
        "unary call",
        target
            .v1()
            .say_hello(failing(code, message).request(hello("fail"))),
    )
    .await?
    .err()
    .context("the call succeeded")?;
    expect_code(&status, code)?;
    Ok(status)
}

/// `unimplemented_method`: a method the service does not have is `UNIMPLEMENTED`.
pub async fn unimplemented_method(target: &Target) -> anyhow::Result<String> {
    let path = "/tutorial.helloworld.v1.GreeterService/UnimplementedCall";
    unimplemented_call(target, path).await
}

/// `unimplemented_service`: a service the server does not have is `UNIMPLEMENTED`.
pub async fn unimplemented_service(target: &Target) -> anyhow::Result<String> {
    let path = "/tutorial.helloworld.v1.UnimplementedService/SayHello";
    unimplemented_call(target, path).await
}

async fn unimplemented_call(target: &Target, path: &'static str) -> anyhow::Result<String> {
    let mut grpc = tonic::client::Grpc::new(target.channel());
    within("ready", grpc.ready()).await??;
    let codec = tonic_prost::ProstCodec::<v1::SayHelloRequest, v1::SayHelloResponse>::default();
    let request = tonic::Request::new(hello("nobody"));
    let call = grpc.unary(request, PathAndQuery::from_static(path), codec);
    let status = within("call", call)
        .await?
        .err()
        .context("the call succeeded")?;
    expect_code(&status, Code::Unimplemented)?;
    Ok(format!("{path} -> UNIMPLEMENTED {:?}", status.message()))
}

/// `custom_metadata`: the echo keys come back, initial in the response headers
/// (unary and bidi) and trailing in the trailers (bidi).
///
/// tonic has no API for custom trailers on an `OK` *unary* response, so the
/// trailing echo is checked on the bidi call only.
pub async fn custom_metadata(target: &Target) -> anyhow::Result<String> {
    let initial = AsciiMetadataValue::from_static("test_initial_metadata_value");
    let trailing = BinaryMetadataValue::from_bytes(&[0xab, 0xab, 0xab]);
    let ask = Instructions {
        echo_initial: Some(initial.clone()),
        echo_trailing: Some(trailing.clone()),
        ..Default::default()
    };
    let reply = within("unary", target.v1().say_hello(ask.request(hello("md")))).await??;
    ensure!(
        reply.metadata().get(ECHO_INITIAL) == Some(&initial),
        "unary headers: {:?}",
        reply.metadata()
    );

    let mut request = tonic::Request::new(call_stream());
    ask.write_to(request.metadata_mut());
    let reply = within("bidi", target.v3().say_hello(request)).await??;
    ensure!(
        reply.metadata().get(ECHO_INITIAL) == Some(&initial),
        "bidi headers: {:?}",
        reply.metadata()
    );
    let mut replies = reply.into_inner();
    while within("bidi message", replies.message()).await??.is_some() {}
    let trailers = within("trailers", replies.trailers())
        .await??
        .context("no trailers")?;
    ensure!(
        trailers.get_bin(ECHO_TRAILING) == Some(&trailing),
        "bidi trailers: {trailers:?}"
    );
    Ok("initial echoed (unary + bidi), trailing-bin echoed (bidi)".into())
}
