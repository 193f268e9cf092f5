//! gRPC's interop cases about time: a deadline that expires while the server
//! sleeps, and a client that cancels a call mid-way.
//!
//! Both are checked on *both* sides: the client gets its error promptly, and
//! the server under test stops the handler (its in-flight gauge returns to zero),
//! because a call the client gave up on must not keep working on the server.

use anyhow::{Context, ensure};
use helloworld_proto::{v1, v3};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;

use crate::protocol::Instructions;
use crate::target::{Target, expect_code};
use crate::wait::{until, within};

/// `timeout_on_sleeping_server`: a 200 ms deadline on a call the server would
/// answer after 20 s fails in about 200 ms, and the sleeping handler is dropped.
///
/// gRPC says the client sees `DEADLINE_EXCEEDED`. tonic 0.14 reports an expired
/// deadline as `CANCELLED` "Timeout expired" (its `TimeoutExpired` maps to
/// `Code::Cancelled`, on the client and on the server), so both are accepted and
/// the table shows which one came.
pub async fn timeout_on_sleeping_server(target: &Target) -> anyhow::Result<String> {
    let deadline = std::time::Duration::from_millis(200);
    let ask = Instructions {
        sleep: Some(std::time::Duration::from_secs(20)),
        ..Default::default()
    };
    let mut request = ask.request(v1::SayHelloRequest {
        name: "sleepy".into(),
    });
    request.set_timeout(deadline);
    let started = tokio::time::Instant::now();
    let outcome = within("timeout_on_sleeping_server", target.v1().say_hello(request)).await?;
    let elapsed = started.elapsed();
    let status = outcome
        .err()
        .context("the call succeeded despite its deadline")?;
    let tonic_way = status.code() == Code::Cancelled && status.message() == "Timeout expired";
    if !tonic_way {
        expect_code(&status, Code::DeadlineExceeded)?;
    }
    ensure!(
        elapsed >= deadline,
        "failed after {elapsed:?}, before the deadline"
    );
    if let Some(probes) = target.probes() {
        until(
            "the sleeping handler to be dropped",
            || probes.in_flight.current(),
            |n| *n == 0,
        )
        .await?;
    }
    Ok(format!(
        "{:?} {:?} after {} ms (deadline 200 ms); server handler dropped",
        status.code(),
        status.message(),
        elapsed.as_millis()
    ))
}

/// `cancel_after_begin`: the client starts a bidi call, sends nothing, and
/// cancels. The server sees its response stream abandoned and stops.
pub async fn cancel_after_begin(target: &Target) -> anyhow::Result<String> {
    cancel_bidi(target, 0).await
}

/// `cancel_after_first_response`: the client sends one request, reads one
/// response, and cancels.
pub async fn cancel_after_first_response(target: &Target) -> anyhow::Result<String> {
    cancel_bidi(target, 1).await
}

/// Opens a bidi call, exchanges `exchanges` ping-pongs, then cancels it with
/// tonic's `CancellationHandle` (HTTP/2 RST_STREAM CANCEL) and drops it. The
/// proof is on the server: hyper drops its response stream unfinished (counted
/// as abandoned; tonic shows the handler's *request* stream as cleanly ended)
/// and its in-flight gauge returns to zero.
///
/// Dropping alone is not enough once the response headers have arrived: hyper
/// keeps sending the request stream, so while that stream is open the call
/// stays open on the wire. See the docs page.
async fn cancel_bidi(target: &Target, exchanges: usize) -> anyhow::Result<String> {
    let probes = target
        .probes()
        .context("needs the server under test")?
        .clone();
    let abandoned = probes.abandoned();
    let mut client = target.v3();
    let (began_tx, began) = tokio::sync::oneshot::channel();
    let call = tokio::spawn(async move {
        let (tx, rx) = mpsc::channel(1);
        let mut request = tonic::Request::new(ReceiverStream::new(rx));
        let handle = request.cancellation_handle();
        let mut replies = client.say_hello(request).await?.into_inner();
        for _ in 0..exchanges {
            tx.send(v3::SayHelloRequest {
                name: "then cancel".into(),
            })
            .await?;
            replies.message().await?.context("no response")?;
        }
        let _ = began_tx.send(handle);
        // Hold the call open (request stream not finished) until aborted.
        let _held = (tx, replies);
        std::future::pending::<anyhow::Result<()>>().await
    });
    let handle = within("the call to begin", began)
        .await?
        .context("the call failed before cancel")?;
    handle.cancel();
    call.abort();
    until(
        "the server to see the cancel",
        || probes.abandoned(),
        |n| *n > abandoned,
    )
    .await?;
    until(
        "the handler to stop",
        || probes.in_flight.current(),
        |n| *n == 0,
    )
    .await?;
    Ok(format!(
        "{exchanges} response(s), then RST_STREAM CANCEL: server stream abandoned, handler stopped"
    ))
}

/// Not an interop case, a pitfall: a bidi call *dropped* (not cancelled) after
/// its headers arrived, while its request stream is still open. hyper keeps
/// sending that request stream from a task of its own, so the HTTP/2 stream,
/// and the server's handler, stay open until the request stream ends. Asserted
/// as observed, so a hyper that starts resetting such calls shows up here.
pub async fn dropped_call_stays_open(target: &Target) -> anyhow::Result<String> {
    let probes = target.probes().context("needs the server under test")?;
    let base = probes.in_flight.current();
    let mut client = target.v3();
    let (tx, rx) = mpsc::channel(1);
    let call = client.say_hello(ReceiverStream::new(rx));
    let mut replies = within("the call", call).await??.into_inner();
    tx.send(v3::SayHelloRequest {
        name: "drop me".into(),
    })
    .await?;
    within("a reply", replies.message()).await??;
    drop((replies, client));
    // A barrier, not a quiet spell: a call on the same connection is answered
    // only after the server has read everything the client sent before it
    // (HTTP/2 frames are ordered), including any reset the drop caused.
    let mut barrier = target.v3();
    let outbound = futures::stream::iter([v3::SayHelloRequest::default()]);
    let mut answers = within("the barrier call", barrier.say_hello(outbound))
        .await??
        .into_inner();
    while within("the barrier's replies", answers.message())
        .await??
        .is_some()
    {}
    let open = probes.in_flight.current();
    ensure!(
        open == base + 1,
        "in flight after the drop: {open} (was {base})"
    );
    drop(tx); // the request stream ends: hyper half-closes, the server finishes
    until(
        "the handler to stop",
        || probes.in_flight.current(),
        |n| *n == base,
    )
    .await?;
    Ok("dropped call stayed open on the server until its request stream ended".into())
}
