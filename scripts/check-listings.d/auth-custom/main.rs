//! A reader's `main` for the custom page's listings: `server ADDR` serves until
//! Ctrl-C; `client URL NAME` greets once. The shared secret of key `demo-key`
//! comes from GRPC_DEMO_SECRET.

mod digest;
mod signature;
mod signing;
mod tls {
    pub mod server;
}
mod custom {
    pub mod client;
    pub mod server;
}

use signature::SignatureCheck;
use signing::{Clock, RequestSigner, SigningKey};
use tonic::transport::Endpoint;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let key = SigningKey::new("demo-key", std::env::var("GRPC_DEMO_SECRET")?)?;
    match args.as_slice() {
        [mode, addr] if mode == "server" => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let ctrl_c = async {
                tokio::signal::ctrl_c().await.ok();
            };
            let check = SignatureCheck::new([key], 300, system_clock());
            custom::server::serve(listener, check, None, ctrl_c).await?;
        }
        [mode, url, name] if mode == "client" => {
            let signer = RequestSigner::new(key, system_clock());
            let endpoint = Endpoint::from_shared(url.clone())?;
            let message = custom::client::say_hello(endpoint, signer, name).await?;
            println!("Greeter client received: {message}");
        }
        _ => return Err("usage: server ADDR | client URL NAME".into()),
    }
    Ok(())
}

/// The real clock, seconds since the Unix epoch.
fn system_clock() -> Clock {
    std::sync::Arc::new(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map_or(0, |elapsed| elapsed.as_secs())
    })
}
