//! `cargo run -p troubleshooting`: makes every mistake on the troubleshooting page
//! and prints what each one really says.

use std::path::Path;

use troubleshooting::{Observed, scenarios};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let proto_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../proto");
    let observed: Vec<anyhow::Result<Observed>> = vec![
        tokio::task::spawn_blocking(scenarios::runtime_inside_runtime).await?,
        scenarios::nobody_listening().await,
        scenarios::unknown_issuer().await,
        scenarios::client_certificate_refused().await,
        scenarios::message_too_large().await,
        scenarios::address_in_use().await,
        scenarios::protoc_not_found(&proto_root),
    ];
    for outcome in observed {
        match outcome {
            Ok(Observed { key, message }) => println!("== {key}\n{message}\n"),
            Err(error) => println!("!! could not reproduce: {error:#}\n"),
        }
    }
    Ok(())
}
