//! A reader's `main` for the async server-streaming listings:
//! `server ADDR` serves until Ctrl-C; `client URL NAME` reads one stream.

mod client;
mod server;

use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [mode, addr] if mode == "server" => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let greeter = server::Greeter {
                count: 3,
                message_delay: Duration::ZERO,
            };
            let ctrl_c = async {
                tokio::signal::ctrl_c().await.ok();
            };
            server::serve(listener, greeter, ctrl_c).await?;
        }
        [mode, url, name] if mode == "client" => client::run(url.clone(), name.clone()).await?,
        _ => return Err("usage: server ADDR | client URL NAME".into()),
    }
    Ok(())
}
