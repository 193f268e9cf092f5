//! The worker pool runs at most `max_workers` handlers, queues the rest, and
//! turns a panicking handler into a status.

use std::sync::Arc;

use sync_kit::WorkerPool;
use tokio::runtime::Handle;
use tokio::sync::{Semaphore, mpsc};
use tonic::Code;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_call_after_max_workers_waits_for_a_free_worker() {
    let pool = WorkerPool::new(3);
    let (started, mut starts) = mpsc::unbounded_channel();
    // Handlers block until the test lets them go, one permit per handler.
    let gate = Arc::new(Semaphore::new(0));

    let calls: Vec<_> = (0..10)
        .map(|i| {
            let (pool, started, gate) = (pool.clone(), started.clone(), gate.clone());
            let runtime = Handle::current();
            tokio::spawn(async move {
                pool.unary(move || {
                    let _ = started.send(i);
                    if let Ok(permit) = runtime.block_on(gate.acquire()) {
                        permit.forget();
                    }
                    Ok(i)
                })
                .await
            })
        })
        .collect();

    for _ in 0..3 {
        starts.recv().await.expect("a handler starts");
    }
    assert_eq!(pool.busy(), 3);
    assert!(
        starts.try_recv().is_err(),
        "a 4th handler started while 3 were busy"
    );

    gate.add_permits(1);
    starts
        .recv()
        .await
        .expect("the 4th starts once one finishes");
    assert_eq!(pool.busy(), 3);

    gate.add_permits(100);
    for (i, call) in calls.into_iter().enumerate() {
        assert_eq!(call.await.expect("task").expect("call"), i);
    }
    assert_eq!((pool.busy(), pool.peak_busy(), pool.finished()), (0, 3, 10));
}

#[tokio::test]
async fn a_panicking_handler_becomes_an_internal_status_and_frees_its_worker() {
    let pool = WorkerPool::new(1);
    let outcome = pool.unary(|| -> Result<(), _> { panic!("bug") }).await;
    assert_eq!(outcome.expect_err("panics fail").code(), Code::Internal);
    assert_eq!(pool.busy(), 0);
    assert_eq!(pool.unary(|| Ok(7)).await.expect("the worker is free"), 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_given_up_while_queued_never_runs() {
    let pool = WorkerPool::new(1);
    let gate = Arc::new(Semaphore::new(0));
    let (started, mut starts) = mpsc::unbounded_channel();
    let runtime = Handle::current();
    let busy = {
        let (pool, gate, started) = (pool.clone(), gate.clone(), started.clone());
        tokio::spawn(async move {
            pool.unary(move || {
                let _ = started.send("first");
                let _ = runtime.block_on(gate.acquire());
                Ok(())
            })
            .await
        })
    };
    assert_eq!(starts.recv().await, Some("first"));
    // The only worker is busy: this call is queued, then its caller gives up.
    let queued = {
        let (pool, started) = (pool.clone(), started.clone());
        tokio::spawn(async move {
            pool.unary(move || {
                let _ = started.send("queued");
                Ok(())
            })
            .await
        })
    };
    queued.abort();
    assert!(queued.await.expect_err("aborted").is_cancelled());
    gate.add_permits(1);
    busy.await.expect("task").expect("the first call");
    // A later call runs after the abandoned one was taken off the queue.
    let last = pool.unary(|| Ok("last")).await.expect("the worker is free");
    assert_eq!(last, "last");
    drop(started);
    assert_eq!(starts.recv().await, None, "the abandoned handler ran");
}
