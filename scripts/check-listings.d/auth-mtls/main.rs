//! A reader's `main` for the mtls page's listings: `server ADDR CERTS` serves
//! until Ctrl-C; `client URL CERTS NAME` greets once and prints the reply.

mod mtls {
    pub mod client;
    pub mod server;
}

use std::path::Path;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [mode, addr, certs] if mode == "server" => {
            let ctrl_c = async {
                tokio::signal::ctrl_c().await.ok();
            };
            let router = mtls::server::router(Path::new(certs))?;
            router.serve_with_shutdown(addr.parse()?, ctrl_c).await?;
        }
        [mode, url, certs, name] if mode == "client" => {
            let message = mtls::client::say_hello(url, Path::new(certs), name).await?;
            println!("Greeter client received: {message}");
        }
        _ => return Err("usage: server ADDR CERTS | client URL CERTS NAME".into()),
    }
    Ok(())
}
