//! The blocking-layer page's short pool: at most `max_workers` handlers run,
//! the rest wait, a panic becomes a status. Counted, not timed.

use std::sync::Arc;

use sync_kit::simple_pool::SimplePool;
use tokio::runtime::Handle;
use tokio::sync::{Semaphore, mpsc};
use tonic::Code;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_run_three_of_ten_calls_and_the_fourth_waits_for_one() {
    let pool = SimplePool::new(3);
    let (started, mut starts) = mpsc::unbounded_channel();
    let gate = Arc::new(Semaphore::new(0)); // handlers block until the test lets one go
    let calls: Vec<_> = (0..10)
        .map(|i| {
            let (pool, started, gate) = (pool.clone(), started.clone(), gate.clone());
            let runtime = Handle::current();
            tokio::spawn(async move {
                pool.unary(move || {
                    let _ = started.send(i);
                    runtime.block_on(gate.acquire()).unwrap().forget();
                    Ok(i)
                })
                .await
            })
        })
        .collect();
    drop(started);

    for _ in 0..3 {
        starts.recv().await.expect("a handler starts");
    }
    // Three handlers hold the three workers: no fourth can have started.
    assert!(
        starts.try_recv().is_err(),
        "a fourth handler ran with 3 workers"
    );
    gate.add_permits(1);
    starts
        .recv()
        .await
        .expect("the fourth starts once a worker is free");
    assert!(
        starts.try_recv().is_err(),
        "one release let more than one call start"
    );

    gate.add_permits(9);
    let mut answers = Vec::new();
    for call in calls {
        answers.push(call.await.unwrap().expect("every call is answered"));
    }
    assert_eq!(answers, (0..10).collect::<Vec<_>>());
    let mut later = 0;
    while starts.recv().await.is_some() {
        later += 1;
    }
    assert_eq!(later, 6, "each call ran its handler once");
}

#[tokio::test]
async fn a_panicking_handler_becomes_internal_and_frees_its_worker() {
    let pool = SimplePool::new(1);
    let status = pool.unary::<(), _>(|| panic!("boom")).await.unwrap_err();
    assert_eq!(status.code(), Code::Internal);
    assert_eq!(
        pool.unary(|| Ok(7)).await.unwrap(),
        7,
        "the one worker is free again"
    );
}
