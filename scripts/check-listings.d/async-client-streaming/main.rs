//! A reader's `main` for the async client-streaming listings:
//! `server ADDR` serves until Ctrl-C; `client URL NAME...` streams the names.

mod client;
mod server;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [mode, addr] if mode == "server" => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let ctrl_c = async {
                tokio::signal::ctrl_c().await.ok();
            };
            server::serve(listener, server::Greeter { max_names: 1000 }, ctrl_c).await?;
        }
        [mode, url, names @ ..] if mode == "client" => {
            client::run(url.clone(), names.to_vec()).await?
        }
        _ => return Err("usage: server ADDR | client URL NAME...".into()),
    }
    Ok(())
}
