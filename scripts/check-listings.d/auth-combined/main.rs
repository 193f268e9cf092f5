//! A reader's `main` for the combined page's listings: `server ADDR CERTS` serves
//! until Ctrl-C; `client URL CERTS NAME` greets once. The token comes from
//! GRPC_DEMO_TOKEN.

mod tls {
    pub mod server;
}
mod token_mode {
    pub mod client;
    pub mod server;
}
mod combined {
    pub mod client;
    pub mod server;
}

use std::path::Path;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let token = std::env::var("GRPC_DEMO_TOKEN")?;
    match args.as_slice() {
        [mode, addr, certs] if mode == "server" => {
            let ctrl_c = async {
                tokio::signal::ctrl_c().await.ok();
            };
            let router = combined::server::router(Path::new(certs), token)?;
            router.serve_with_shutdown(addr.parse()?, ctrl_c).await?;
        }
        [mode, url, certs, name] if mode == "client" => {
            let message = combined::client::say_hello(url, Path::new(certs), &token, name).await?;
            println!("Greeter client received: {message}");
        }
        _ => return Err("usage: server ADDR CERTS | client URL CERTS NAME".into()),
    }
    Ok(())
}
