//! Volume and configuration cases: compressed calls both ways, a server that
//! allows one stream per connection, and bounded soaks of calls and channels.

use anyhow::{Context, ensure};
use futures::future::join_all;
use helloworld_proto::{v1, v2, v3};
use tonic::codec::CompressionEncoding::Gzip;

use crate::limits::Limits;
use crate::protocol::Instructions;
use crate::server::TestServer;
use crate::target::Target;
use crate::wait::{until, within, within_for};

/// The bound for the soaks (thousands of calls on a loaded 2-core machine).
const SOAK: std::time::Duration = std::time::Duration::from_secs(25);

/// `compressed_unary` / `compressed_streaming` in one: gzip requests and
/// responses on v1 (unary), v2 (server streaming) and v3 (bidi), 64 KiB of
/// compressible text each way, every message intact.
pub async fn compressed_calls(target: &Target) -> anyhow::Result<String> {
    const SIZE: usize = 64 * 1024;
    let name = "compress me ".repeat(SIZE / 12);
    let ask = Instructions {
        response_size: Some(SIZE),
        response_count: Some(3),
        ..Default::default()
    };
    let mut v1 = target.v1().send_compressed(Gzip).accept_compressed(Gzip);
    let reply = within(
        "gzip unary",
        v1.say_hello(ask.request(v1::SayHelloRequest { name: name.clone() })),
    )
    .await??;
    ensure!(
        reply.get_ref().message.len() == SIZE,
        "unary reply of {} bytes",
        reply.get_ref().message.len()
    );
    let encoding = reply
        .metadata()
        .get("grpc-encoding")
        .map(|v| v.to_str().unwrap_or("?").to_owned());
    ensure!(
        encoding.as_deref() == Some("gzip"),
        "unary reply encoding {encoding:?}"
    );

    let mut v2 = target.v2().send_compressed(Gzip).accept_compressed(Gzip);
    let mut stream = within(
        "gzip stream",
        v2.say_hello(ask.request(v2::SayHelloRequest { name: name.clone() })),
    )
    .await??
    .into_inner();
    let mut streamed = 0;
    while let Some(reply) = within("gzip stream message", stream.message()).await?? {
        ensure!(
            reply.message.len() == SIZE,
            "stream message of {} bytes",
            reply.message.len()
        );
        streamed += 1;
    }
    ensure!(streamed == 3, "{streamed} of 3 streamed messages");

    let mut v3 = target.v3().send_compressed(Gzip).accept_compressed(Gzip);
    let outbound =
        futures::stream::iter((0..3).map(move |_| v3::SayHelloRequest { name: name.clone() }));
    let mut replies = within("gzip bidi", v3.say_hello(ask.request(outbound)))
        .await??
        .into_inner();
    let mut pongs = 0;
    while let Some(reply) = within("gzip bidi message", replies.message()).await?? {
        ensure!(
            reply.message.len() == SIZE,
            "bidi message of {} bytes",
            reply.message.len()
        );
        pongs += 1;
    }
    ensure!(pongs == 3, "{pongs} of 3 bidi replies");
    Ok(format!(
        "gzip both ways: unary, 3 streamed, 3 bidi; {SIZE}-byte messages intact"
    ))
}

/// A server of its own with `MAX_CONCURRENT_STREAMS = 1`: 20 server streams
/// started at once on one connection all complete, one at a time on the server.
pub async fn max_streams_1(_target: &Target) -> anyhow::Result<String> {
    let limits = Limits {
        max_concurrent_streams: 1,
        ..Limits::default()
    };
    let server = TestServer::start_with(limits).await?;
    let target = server.target().await?;
    let probes = target.probes().context("our server")?.clone();
    let ask = Instructions {
        response_count: Some(5),
        ..Default::default()
    };
    let calls = (0..20).map(|i| {
        let mut client = target.v2();
        let request = ask.request(v2::SayHelloRequest {
            name: format!("caller {i}"),
        });
        async move {
            let mut stream = client.say_hello(request).await?.into_inner();
            let mut count = 0;
            while stream.message().await?.is_some() {
                count += 1;
            }
            anyhow::Ok(count)
        }
    });
    let counts = within_for(SOAK, "20 streams through 1", join_all(calls)).await?;
    for (i, count) in counts.into_iter().enumerate() {
        ensure!(count? == 5, "stream {i} incomplete");
    }
    let peak = probes.in_flight.peak();
    ensure!(
        peak == 1,
        "{peak} streams at once on the server, over MAX_CONCURRENT_STREAMS=1"
    );
    drop(target);
    within("stopping", server.stop()).await??;
    Ok(
        "20 streams on one connection, MAX_CONCURRENT_STREAMS=1: all complete, server peak 1"
            .into(),
    )
}

/// 5 000 unary calls, 50 at a time, on the shared connection: every one OK,
/// and nothing left in flight.
pub async fn rpc_soak(target: &Target) -> anyhow::Result<String> {
    const CALLS: usize = 5_000;
    const AT_ONCE: usize = 50;
    let base = target.probes().map(|p| p.in_flight.current());
    let mut ok = 0;
    let started = std::time::Instant::now();
    for batch in 0..CALLS / AT_ONCE {
        let calls = (0..AT_ONCE).map(|i| {
            let mut client = target.v1();
            let name = format!("soak {}", batch * AT_ONCE + i);
            async move { client.say_hello(v1::SayHelloRequest { name }).await }
        });
        let results = within_for(SOAK, "a soak batch", join_all(calls)).await?;
        for result in results {
            result.context("a soak call failed")?;
            ok += 1;
        }
        ensure!(
            started.elapsed() < SOAK,
            "soak too slow: {ok} calls in {SOAK:?}"
        );
    }
    if let (Some(base), Some(probes)) = (base, target.probes()) {
        until(
            "the soak to leave nothing running",
            || probes.in_flight.current(),
            |n| *n == base,
        )
        .await?;
    }
    Ok(format!(
        "{ok} of {CALLS} calls OK in {:.1} s",
        started.elapsed().as_secs_f64()
    ))
}

/// 200 channels, each its own connection with one call, then all dropped:
/// every call OK and nothing left in flight on the server.
pub async fn channel_soak(target: &Target) -> anyhow::Result<String> {
    const CHANNELS: usize = 200;
    let base = target.probes().map(|p| p.in_flight.current());
    let mut channels = Vec::with_capacity(CHANNELS);
    for i in 0..CHANNELS {
        channels.push(
            target
                .new_channel(|e| e)
                .await
                .with_context(|| format!("channel {i}"))?,
        );
    }
    let calls = channels.iter().enumerate().map(|(i, channel)| {
        let mut client = v1::greeter_service_client::GreeterServiceClient::new(channel.clone());
        async move {
            client
                .say_hello(v1::SayHelloRequest {
                    name: format!("channel {i}"),
                })
                .await
        }
    });
    let results = within_for(SOAK, "a call per channel", join_all(calls)).await?;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    ensure!(ok == CHANNELS, "{ok} of {CHANNELS} channels answered");
    drop(channels);
    if let (Some(base), Some(probes)) = (base, target.probes()) {
        until(
            "nothing left running",
            || probes.in_flight.current(),
            |n| *n == base,
        )
        .await?;
    }
    Ok(format!(
        "{CHANNELS} connections, one call each, all OK, all closed"
    ))
}
