//! `cargo run -p local-sockets [-- server | client]`: see the crate docs.

fn main() {
    lesson_kit::logging::init();
    let cli = local_sockets::parse(std::env::args_os());
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let outcome = runtime.block_on(async {
        let shutdown = lesson_kit::ShutdownSignal::from_os();
        local_sockets::run(cli.mode, shutdown).await
    });
    if let Err(error) = outcome {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
