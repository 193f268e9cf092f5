// ANCHOR: head
//! Client-side load balancing, with health checks deciding who is in.
//!
//! `Channel::balance_channel` gives a channel that spreads calls over a changing set
//! of endpoints (tower's power-of-two-choices: pick two at random, use the less
//! busy one) and a sender to change the set. One task per instance keeps a health
//! `Watch` open: `SERVING` puts the instance in, anything else (or a broken stream)
//! takes it out, and the task retries after a pause. A stopping instance therefore
//! leaves the balancer *before* it stops accepting, and calls keep succeeding.

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tonic::transport::channel::Change;
use tonic::transport::{Channel, Endpoint};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::instance::GREETER;

/// A balanced channel and the set of instances currently in it.
#[derive(Debug, Clone)]
pub struct HealthBalanced {
    /// Calls on this channel go to one of the healthy instances.
    pub channel: Channel,
    /// The URLs in the balancer right now.
    pub members: watch::Receiver<BTreeSet<String>>,
}
// ANCHOR_END: head

// ANCHOR: balanced
/// A channel over `urls`, each in the balancer only while its health says `SERVING`.
pub fn health_balanced(urls: Vec<String>, retry: Duration) -> anyhow::Result<HealthBalanced> {
    let (channel, changes) = Channel::balance_channel::<String>(urls.len().max(1));
    let (members_tx, members) = watch::channel(BTreeSet::new());
    for url in urls {
        let endpoint = Endpoint::from_shared(url.clone())?;
        tokio::spawn(follow(
            url,
            endpoint,
            changes.clone(),
            members_tx.clone(),
            retry,
        ));
    }
    Ok(HealthBalanced { channel, members })
}
// ANCHOR_END: balanced

// ANCHOR: follow
/// Keeps one instance in the balancer exactly while it reports `SERVING`.
async fn follow(
    url: String,
    endpoint: Endpoint,
    changes: mpsc::Sender<Change<String, Endpoint>>,
    members: watch::Sender<BTreeSet<String>>,
    retry: Duration,
) {
    let request = || HealthCheckRequest {
        service: GREETER.to_owned(),
    };
    loop {
        if let Ok(health) = endpoint.connect().await
            && let Ok(response) = HealthClient::new(health).watch(request()).await
        {
            let mut updates = response.into_inner();
            while let Ok(Some(update)) = updates.message().await {
                if update.status() != ServingStatus::Serving {
                    break; // draining: out now, and let go of the stream so it can finish
                }
                if changes
                    .send(Change::Insert(url.clone(), endpoint.clone()))
                    .await
                    .is_err()
                {
                    return; // the balanced channel is gone
                }
                members.send_modify(|m| {
                    m.insert(url.clone());
                });
            }
        }
        if members.borrow().contains(&url) {
            if changes.send(Change::Remove(url.clone())).await.is_err() {
                return;
            }
            members.send_modify(|m| {
                m.remove(&url);
            });
        }
        if changes.is_closed() {
            return;
        }
        tokio::time::sleep(retry).await;
    }
}
// ANCHOR_END: follow
