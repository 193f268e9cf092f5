//! A reader's `main` for the sync bidi listings: `server ADDR INITIAL_MS WORK_MS`
//! serves until Ctrl-C; `client URL COUNT SIZE` streams COUNT requests of SIZE
//! characters.

mod client;
mod server;

use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        // The server is tonic, so it needs a tokio runtime...
        [mode, addr, initial, work] if mode == "server" => {
            let initial_delay = Duration::from_millis(initial.parse()?);
            let work_delay = Duration::from_millis(work.parse()?);
            tokio::runtime::Runtime::new()?.block_on(async {
                let listener = tokio::net::TcpListener::bind(addr).await?;
                let ctrl_c = async {
                    tokio::signal::ctrl_c().await.ok();
                };
                server::serve(listener, 10, initial_delay, work_delay, ctrl_c).await
            })
        }
        // ...the blocking client brings its own.
        [mode, url, count, size] if mode == "client" => {
            client::run(url, count.parse()?, size.parse()?)
        }
        _ => Err("usage: server ADDR INITIAL_MS WORK_MS | client URL COUNT SIZE".into()),
    }
}
