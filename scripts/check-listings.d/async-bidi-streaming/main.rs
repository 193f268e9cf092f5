//! A reader's `main` for the async bidi listings:
//! `server ADDR` serves until Ctrl-C; `client URL NAME COUNT` chats.

mod client;
mod server;

use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [mode, addr] if mode == "server" => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let ctrl_c = async {
                tokio::signal::ctrl_c().await.ok();
            };
            server::serve(listener, ctrl_c).await?;
        }
        [mode, url, name, count] if mode == "client" => {
            let delay = Duration::from_millis(20);
            let outgoing = client::paced_messages(name.clone(), count.parse()?, delay);
            client::chat(url.clone(), outgoing).await?;
        }
        _ => return Err("usage: server ADDR | client URL NAME COUNT".into()),
    }
    Ok(())
}
