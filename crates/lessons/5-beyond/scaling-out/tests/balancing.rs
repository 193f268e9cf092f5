//! Client-side balancing over real instances: calls spread over all of them, and a
//! stopping instance leaves the balancer through its health before it goes.

use std::time::Duration;

use lesson_kit::RunningServer;
use scaling_out::balancer::health_balanced;
use scaling_out::instance::serve_instance;
use scaling_out::spread;

const BOUND: Duration = Duration::from_secs(10);

/// Starts `n` instances; a long grace proves nobody had to wait for it.
async fn instances(n: usize) -> Vec<RunningServer> {
    let mut running = Vec::new();
    for i in 0..n {
        let name = format!("instance-{i}");
        running.push(
            RunningServer::start(move |listener, shutdown| {
                serve_instance(listener, name, shutdown, Duration::from_secs(60))
            })
            .await
            .unwrap(),
        );
    }
    running
}

#[tokio::test]
async fn calls_spread_over_all_instances_and_survive_one_stopping() {
    let mut running = instances(3).await;
    let urls = running.iter().map(|r| r.url(false)).collect();
    let mut balanced = health_balanced(urls, Duration::from_millis(20)).unwrap();
    tokio::time::timeout(BOUND, balanced.members.wait_for(|m| m.len() == 3))
        .await
        .expect("all three report SERVING")
        .unwrap();

    let (answered, failed) = spread(balanced.channel.clone(), 60).await;
    assert_eq!(failed, 0);
    assert_eq!(
        answered.keys().collect::<Vec<_>>(),
        ["instance-0", "instance-1", "instance-2"],
        "{answered:?}"
    );

    // Stop instance 0: it reports NOT_SERVING, the balancer drops it and lets go of
    // its health stream, so the drain finishes long before the 60s grace.
    let stopping = tokio::spawn(running.remove(0).stop());
    tokio::time::timeout(BOUND, balanced.members.wait_for(|m| m.len() == 2))
        .await
        .expect("the stopped instance left the balancer")
        .unwrap();
    tokio::time::timeout(BOUND, stopping)
        .await
        .expect("the instance drained without waiting for its grace")
        .unwrap()
        .unwrap();

    let (answered, failed) = spread(balanced.channel.clone(), 30).await;
    assert_eq!(failed, 0, "{answered:?}");
    assert_eq!(
        answered.keys().collect::<Vec<_>>(),
        ["instance-1", "instance-2"],
        "{answered:?}"
    );
    for server in running {
        server.stop().await.unwrap();
    }
}

/// The tour's hang: with no healthy instance a balanced channel waits for one
/// forever; `spread`'s own deadline turns each call into a failure instead.
#[tokio::test]
async fn calls_fail_within_their_deadline_when_no_instance_is_healthy() {
    // A port nobody listens on: bound, then released.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let balanced = health_balanced(vec![url], Duration::from_millis(20)).unwrap();
    let deadline = scaling_out::CALL_DEADLINE * 2 + BOUND;
    let (answered, failed) = tokio::time::timeout(deadline, spread(balanced.channel, 2))
        .await
        .expect("spread returns: every call has a deadline");
    assert!(answered.is_empty(), "{answered:?}");
    assert_eq!(failed, 2);
}
