//! The demo's parts that start servers of their own.

use std::sync::atomic::Ordering;

use lesson_kit::{Console, shutdown};
use tonic::transport::Channel;

use crate::backend::Backend;
use crate::client::SAY_HELLO;
use crate::wait_for_ready::{lazy_channel, say_hello_wait_for_ready};
use crate::{ClientFlags, DEADLINE, hedging, load, rolling};

/// A plain call failing fast, then a waiting call served by a server started
/// once it has failed to connect (on a Unix socket: nobody else can be there).
pub async fn wait_for_ready_part(name: &str, console: &Console) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("retries-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("greeter.sock");
    let _ = std::fs::remove_file(&path);
    let channel = lazy_channel(&format!("unix:{}", path.display()))?;

    let mut plain =
        helloworld_proto::v1::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let request = helloworld_proto::v1::SayHelloRequest {
        name: name.to_owned(),
    };
    let status = plain.say_hello(request).await.err();
    console.line(format!(
        "wait-for-ready: a plain call with no server up: {:?}",
        status.map(|s| s.code())
    ));

    let (tried, mut tries) = tokio::sync::mpsc::unbounded_channel();
    let call = tokio::spawn({
        let name = name.to_owned();
        async move {
            say_hello_wait_for_ready(channel, &name, DEADLINE, move |_| {
                let _ = tried.send(());
            })
            .await
        }
    });
    tries.recv().await;
    let listener = tokio::net::UnixListener::bind(&path)?;
    let (stop, stopped) = shutdown::channel();
    let server = tokio::spawn(Backend::default().serve_unix(listener, stopped));
    let reply = call.await??;
    console.line(format!(
        "wait-for-ready: the waiting call got {:?} from a server started after it",
        reply.message
    ));
    stop.trigger();
    server.await??;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The same calls without and with hedging: p50, p99 and the copies sent.
pub async fn hedging_part(
    channel: Channel,
    flags: &ClientFlags,
    console: &Console,
) -> anyhow::Result<()> {
    let off = load::plain(channel.clone(), flags.calls, DEADLINE).await?;
    console.line(format!(
        "hedging off: {} calls, p50 {}, p99 {}",
        off.len(),
        load::ms(off.quantile(0.5)),
        load::ms(off.quantile(0.99))
    ));
    let period = flags.period.into();
    let (mut hedged, hedges) = hedging::hedged(channel, &[SAY_HELLO], flags.percentile, period);
    load::warm_up(&mut hedged, period, DEADLINE).await?;
    let before = hedges.load(Ordering::SeqCst);
    let on = load::hedged_calls(&mut hedged, flags.calls, DEADLINE).await?;
    let extra = hedges.load(Ordering::SeqCst) - before;
    console.line(format!(
        "hedging on at p{:.0}: {} calls, p50 {}, p99 {}, {} extra calls ({:.1}%)",
        flags.percentile * 100.0,
        on.len(),
        load::ms(on.quantile(0.5)),
        load::ms(on.quantile(0.99)),
        extra,
        100.0 * extra as f64 / on.len().max(1) as f64
    ));
    Ok(())
}

/// The rolling restart and the SIGKILLs, against this binary's own backends.
pub async fn rolling_part(flags: &ClientFlags, console: &Console) -> anyhow::Result<()> {
    let plan = rolling::Plan {
        exe: std::env::current_exe()?,
        workers: flags.workers,
        dwell: flags.dwell.into(),
        frozen: std::time::Duration::from_millis(200),
    };
    let outcome = rolling::rolling_restart(plan, rolling::Front::Balancer).await?;
    for (what, report) in [
        (
            "rolling restart (SIGTERM, restart, healthy, x3)",
            &outcome.rolling,
        ),
        ("SIGKILL, no retries", &outcome.killed_without_retries),
        ("SIGKILL, retries", &outcome.killed_with_retries),
    ] {
        console.line(format!(
            "{what}: {} calls, {} failed, {} retried, p99 {}",
            report.calls,
            report.failed,
            report.retried,
            load::ms(report.latencies.quantile(0.99))
        ));
        for (failure, times) in &report.failures {
            console.line(format!("  {times} x {failure}"));
        }
    }
    Ok(())
}
