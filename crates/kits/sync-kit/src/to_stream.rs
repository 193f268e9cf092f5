// ANCHOR: pull
//! Iterator → Stream: how a blocking generator feeds an async transport.
//!
//! grpcio calls `next()` on a Python generator only when it is ready to send
//! another message. [`pull`] does the same for a Rust [`Iterator`]: the iterator
//! runs on its own thread and takes one step each time the stream is polled for
//! an item, never earlier. That is what lets HTTP/2 flow control reach the
//! iterator: when the peer's window is full, hyper stops polling the body, the
//! stream stops asking, and `next()` is simply not called (back-pressure).
//!
//! The stream also returns `Poll::Pending` once before each item. tonic's encoder
//! packs every message that is *ready* into one chunk of up to 32 KiB before hyper
//! checks the window; that single pause makes it hand hyper one message at a time,
//! so the window is checked between messages (see the flow-control page).

use std::pin::Pin;

use tokio::sync::{mpsc, oneshot};
use tokio_stream::Stream;

/// A boxed stream of items, as tonic's handler and client signatures want them.
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// One request for the next item, carrying the slot to put it in.
type Demand<T> = oneshot::Sender<Option<T>>;

/// Why a pulled stream ended early: the iterator's thread went away mid-step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IteratorPanicked;

/// Builds an iterator with `make` on a thread started by `spawn` and returns a
/// stream of its items, stepping the iterator once per item polled (demand-driven).
///
/// `spawn` receives the loop to run (a worker of the pool, or a plain thread);
/// the iterator is made and used only there, so it need not be `Send`.
/// The loop ends, and the thread is free, when the iterator is exhausted or the
/// stream is dropped (the peer went away): a sender never keeps running for nobody.
pub fn pull<I, M, S>(make: M, spawn: S) -> BoxStream<Result<I::Item, IteratorPanicked>>
where
    M: FnOnce() -> I + Send + 'static,
    I: Iterator,
    I::Item: Send + 'static,
    S: FnOnce(Box<dyn FnOnce() + Send>),
{
    let (demand, demands) = mpsc::channel::<Demand<I::Item>>(1);
    spawn(Box::new(move || feed(make(), demands)));
    Box::pin(async_stream::stream! {
        loop {
            // Pending once, so the encoder flushes the message before this one.
            tokio::task::yield_now().await;
            let (slot, item) = oneshot::channel();
            if demand.send(slot).await.is_err() {
                yield Err(IteratorPanicked);
                break;
            }
            match item.await {
                Ok(Some(item)) => yield Ok(item),
                Ok(None) => break,
                Err(_) => {
                    yield Err(IteratorPanicked);
                    break;
                }
            }
        }
    })
}

/// The iterator's side: wait for a demand, take one step, hand the item over.
fn feed<I: Iterator>(mut iter: I, mut demands: mpsc::Receiver<Demand<I::Item>>) {
    // `None` from `blocking_recv`: the stream was dropped, nobody wants more.
    while let Some(slot) = demands.blocking_recv() {
        let item = iter.next();
        let finished = item.is_none();
        if slot.send(item).is_err() || finished {
            break;
        }
    }
}
// ANCHOR_END: pull

// ANCHOR: rest
/// Runs `job` on a new named OS thread (for client-side iterators).
pub(crate) fn plain_thread(name: &'static str) -> impl FnOnce(Box<dyn FnOnce() + Send>) {
    move |job| {
        if let Err(error) = std::thread::Builder::new().name(name.into()).spawn(job) {
            // The job (and its channel) is dropped: the stream reports it as panicked.
            tracing::error!("cannot start a thread for an iterator: {error}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio_stream::StreamExt;

    #[tokio::test]
    async fn steps_the_iterator_only_when_asked() {
        let steps = Arc::new(AtomicUsize::new(0));
        let counter = steps.clone();
        let iter = (0..100).inspect(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let mut stream = pull(move || iter, plain_thread("test-iter"));
        assert_eq!(stream.next().await, Some(Ok(0)));
        assert_eq!(stream.next().await, Some(Ok(1)));
        assert_eq!(steps.load(Ordering::SeqCst), 2, "no read-ahead");
        drop(stream);
    }

    #[tokio::test]
    async fn ends_with_the_iterator_and_reports_a_panic() {
        let all: Vec<_> = pull(|| 0..3, plain_thread("test-iter")).collect().await;
        assert_eq!(all, [Ok(0), Ok(1), Ok(2)]);

        let panicking = (0..3).map(|i| if i == 1 { panic!("boom") } else { i });
        let all: Vec<_> = pull(move || panicking, plain_thread("test-iter"))
            .collect()
            .await;
        assert_eq!(all, [Ok(0), Err(IteratorPanicked)]);
    }
}
// ANCHOR_END: rest
