//! `cargo run -p local-sockets [-- server | client]`: see the crate docs.

use tokio::signal::unix::{SignalKind, signal};

fn main() {
    lesson_kit::logging::init();
    let cli = local_sockets::parse(std::env::args_os());
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let outcome = runtime.block_on(async {
        // Registered before the socket is bound: a SIGTERM that comes right after
        // "listening on" is a graceful stop (socket removed), not a kill.
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let (trigger, shutdown) = lesson_kit::shutdown::channel();
        tokio::spawn(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
            trigger.trigger();
        });
        local_sockets::run(cli.mode, shutdown).await
    });
    if let Err(error) = outcome {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
