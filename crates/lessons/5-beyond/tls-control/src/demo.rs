//! The demo: certificates made for the occasion, then a certificate swap under a
//! running stream, a revoked client refused, and a CRL updated while serving.

use std::path::Path;

use helloworld_proto::v2;
use lesson_kit::RunningServer;

use crate::pki::{self, CA_CERT, CLIENT_CERT, CLIENT_KEY, Ca};
use crate::probe::handshake;
use crate::{ClientFlags, ServerFlags, Tls, connect, revoke, routes, say_hello};

/// The revoked client's files, next to the others.
const STOLEN_CERT: &str = "stolen-laptop.pem";
const STOLEN_KEY: &str = "stolen-laptop.key";

fn short(fingerprint: &str) -> &str {
    &fingerprint[..16]
}

/// Runs the demo; `server.reload_every` paces the file checks.
pub async fn run(server: ServerFlags, client: ClientFlags) -> anyhow::Result<()> {
    let folder = tempfile::Builder::new().prefix("tls-control-").tempdir()?;
    let dir = folder.path();
    let ca = pki::write_set(dir, "workshop-client")?;
    // A second client under the same CA, whose certificate is revoked from the start.
    pki::write_pair(dir, (STOLEN_CERT, STOLEN_KEY), &ca.client("stolen-laptop")?)?;
    revoke(dir, &[dir.join(STOLEN_CERT)])?;

    let tls = Tls::start(dir, server.reload_every.into())?;
    let mut served = tls.certs.served();
    let mut configs = tls.configs.clone();
    let configs_for_server = tls.configs.clone();
    let routes = routes(&server);
    let running = RunningServer::start(move |listener, shutdown| async move {
        crate::server::serve(listener, configs_for_server, routes, shutdown.wait()).await;
        Ok(())
    })
    .await?;
    let addr = running.local_addr();
    let url = running.url(true);
    let mine = |name: &str| dir.join(name);
    let look = |cert: &'static str, key: &'static str| {
        let (ca, cert, key) = (mine(CA_CERT), mine(cert), mine(key));
        async move { handshake(addr, &ca, &cert, &key).await }
    };

    let first = look(CLIENT_CERT, CLIENT_KEY).await?;
    println!(
        "client: the server presents certificate sha256:{}",
        short(&first.served)
    );
    let channel = connect(&url, dir).await?;
    println!(
        "Greeter client received: {}",
        say_hello(channel.clone(), &client.name).await?
    );

    println!("client: a server stream, and the server's certificate replaced while it runs:");
    let mut greeter = v2::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let request = v2::SayHelloRequest {
        name: client.name.clone(),
    };
    let mut stream = greeter.say_hello(request).await?.into_inner();
    let mut received = 0;
    if let Some(reply) = stream.message().await? {
        println!("Greeter client received: {}", reply.message);
        received += 1;
    }
    renew_server_certificate(dir)?;
    served.changed().await?;
    while let Some(reply) = stream.message().await? {
        println!("Greeter client received: {}", reply.message);
        received += 1;
    }
    println!("client: the stream outlived the swap: {received} greetings, status OK");
    let second = look(CLIENT_CERT, CLIENT_KEY).await?;
    println!(
        "client: a new connection gets certificate sha256:{}",
        short(&second.served)
    );

    let refused = look(STOLEN_CERT, STOLEN_KEY).await?;
    match refused.accepted {
        Err(error) => println!("client stolen-laptop: refused: {error}"),
        Ok(()) => anyhow::bail!("the revoked client was let in"),
    }

    println!("client: revoking workshop-client's certificate too:");
    revoke(dir, &[dir.join(STOLEN_CERT), dir.join(CLIENT_CERT)])?;
    configs.changed().await?;
    match look(CLIENT_CERT, CLIENT_KEY).await?.accepted {
        Err(error) => println!("client workshop-client, new connection: refused: {error}"),
        Ok(()) => anyhow::bail!("the newly revoked client was let in"),
    }
    // A CRL is checked at the handshake: a connection made before it stays up.
    let message = say_hello(channel, &client.name).await?;
    println!("client workshop-client, connection made before: {message}");
    running.stop().await
}

/// A new server certificate and key from `dir`'s CA, written over the old ones
/// (each file replaced whole, the key last).
pub fn renew_server_certificate(dir: &Path) -> anyhow::Result<()> {
    let renewed = Ca::from_dir(dir)?.server()?;
    pki::write_pair(dir, (pki::SERVER_CERT, pki::SERVER_KEY), &renewed)
}
