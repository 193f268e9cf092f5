//! The backend the lesson calls: a greeter that can fail its first calls and be
//! slow on some, counting what it received. Plumbing for demos and tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use lesson_kit::ShutdownSignal;
use tonic::transport::Server;
use tonic::{Code, Request, Response, Status};

/// How the backend misbehaves.
#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// The first this-many calls fail with `fail_with`.
    pub fail_first: usize,
    /// The code they fail with (`UNAVAILABLE` when `None`).
    pub fail_with: Option<Code>,
    /// Every `n`-th call (counting from 1) takes `slow_for`.
    pub slow_every: Option<usize>,
    /// How long a slow call takes.
    pub slow_for: Duration,
}

/// A greeter with a [`Behaviour`], counting the calls it received.
#[derive(Debug, Clone, Default)]
pub struct Backend {
    /// What it does.
    pub behaviour: Behaviour,
    /// Calls received, failed and slow ones included.
    pub received: Arc<AtomicUsize>,
}

impl Backend {
    /// A backend behaving as `behaviour`.
    pub fn new(behaviour: Behaviour) -> Self {
        Backend {
            behaviour,
            received: Arc::default(),
        }
    }

    /// Calls received so far.
    pub fn received(&self) -> usize {
        self.received.load(Ordering::SeqCst)
    }

    /// Serves on `listener` until `shutdown`.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        Server::builder()
            .add_service(GreeterServiceServer::new(self))
            .serve_with_incoming_shutdown(lesson_kit::server::incoming(listener), shutdown.wait())
            .await?;
        Ok(())
    }

    /// Serves on the Unix socket `listener` until `shutdown`.
    pub async fn serve_unix(
        self,
        listener: tokio::net::UnixListener,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let incoming = tokio_stream::wrappers::UnixListenerStream::new(listener);
        Server::builder()
            .add_service(GreeterServiceServer::new(self))
            .serve_with_incoming_shutdown(incoming, shutdown.wait())
            .await?;
        Ok(())
    }
}

#[tonic::async_trait]
impl GreeterService for Backend {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let nth = self.received.fetch_add(1, Ordering::SeqCst) + 1;
        let b = &self.behaviour;
        if nth <= b.fail_first {
            let code = b.fail_with.unwrap_or(Code::Unavailable);
            return Err(Status::new(code, format!("call {nth} fails on purpose")));
        }
        if b.slow_every.is_some_and(|every| nth.is_multiple_of(every)) {
            tokio::time::sleep(b.slow_for).await;
        }
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}
