//! `cargo run -p contract-evolution [-- --only <change>]`: see the crate docs.

use clap::Parser;
use contract_evolution::{Change, try_change};

/// Old clients against servers built from changed contracts, one change at a time.
#[derive(Debug, Parser)]
#[command(name = "contract-evolution", about = env!("CARGO_PKG_DESCRIPTION"))]
struct Args {
    /// Try only this change.
    #[arg(long, value_enum)]
    only: Option<Change>,
    /// The name the clients send.
    #[arg(long, default_value = "Jack")]
    name: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let changes = args
        .only
        .map_or(Change::ALL.to_vec(), |change| vec![change]);
    for change in changes {
        println!("{} ({}):", change.name(), change.verdict());
        for line in try_change(change, &args.name).await? {
            println!("  {line}");
        }
    }
    Ok(())
}
