//! A reader's `main` for the token page's listings: `server ADDR` serves until
//! Ctrl-C; `client URL NAME` greets once. The token comes from GRPC_DEMO_TOKEN.

mod tls {
    pub mod server;
}
mod token_mode {
    pub mod client;
    pub mod server;
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let token = std::env::var("GRPC_DEMO_TOKEN")?;
    match args.as_slice() {
        [mode, addr] if mode == "server" => {
            let ctrl_c = async {
                tokio::signal::ctrl_c().await.ok();
            };
            let router = token_mode::server::router(token);
            router.serve_with_shutdown(addr.parse()?, ctrl_c).await?;
        }
        [mode, url, name] if mode == "client" => {
            let message = token_mode::client::say_hello(url, &token, name).await?;
            println!("Greeter client received: {message}");
        }
        _ => return Err("usage: server ADDR | client URL NAME".into()),
    }
    Ok(())
}
