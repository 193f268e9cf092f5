//! A reader's `main` for the sync unary listings:
//! `server ADDR` serves until Ctrl-C; `client URL NAME` greets once.

mod client;
mod server;

use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        // The server is tonic, so it needs a tokio runtime...
        [mode, addr] if mode == "server" => tokio::runtime::Runtime::new()?.block_on(async {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let ctrl_c = async {
                tokio::signal::ctrl_c().await.ok();
            };
            server::serve(listener, 10, Duration::ZERO, ctrl_c).await
        }),
        // ...the blocking client brings its own.
        [mode, url, name] if mode == "client" => client::run(url, name),
        _ => Err("usage: server ADDR | client URL NAME".into()),
    }
}
