//! A reader's `main` for the tuning listing: `server ADDR` serves on one
//! current-thread runtime per core until Ctrl-C; `client URL NAME` greets once.

mod server;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [mode, addr] if mode == "server" => {
            let cores = std::thread::available_parallelism()?.get();
            let listeners = server::bind_per_core(addr.parse()?, cores)?;
            let ctrl_c = || async {
                tokio::signal::ctrl_c().await.ok();
            };
            server::serve_per_core(listeners, server::Settings::default(), ctrl_c)?;
        }
        [mode, url, name] if mode == "client" => {
            tokio::runtime::Runtime::new()?.block_on(async {
                let mut client = GreeterServiceClient::connect(url.clone()).await?;
                let request = SayHelloRequest { name: name.clone() };
                let reply = client.say_hello(request).await?.into_inner();
                println!("Greeter client received: {}", reply.message);
                Ok::<_, BoxError>(())
            })?;
        }
        _ => return Err("usage: server ADDR | client URL NAME".into()),
    }
    Ok(())
}
