//! The async-unary greeter, tuned: HTTP/2 and TCP settings as one struct, and one
//! current-thread tokio runtime per core, each accepting on its own `SO_REUSEPORT`
//! socket, so a connection and its calls never leave the thread that accepted it.

use std::error::Error;
use std::future::Future;
use std::net::SocketAddr;
use std::thread;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use socket2::{Domain, Socket, Type};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

type BoxError = Box<dyn Error + Send + Sync>;

/// The tutorial's greeter, unchanged.
#[derive(Debug, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

/// The settings the tuning page measures. `Default` is tonic's own defaults
/// (plus `TCP_NODELAY`, which `Server::serve` also sets).
#[derive(Clone, Debug)]
pub struct Settings {
    pub nodelay: bool,
    pub stream_window: Option<u32>,
    pub connection_window: Option<u32>,
    pub max_frame_size: Option<u32>,
    pub max_concurrent_streams: Option<u32>,
    pub adaptive_window: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            nodelay: true,
            stream_window: None,
            connection_window: None,
            max_frame_size: None,
            max_concurrent_streams: None,
            adaptive_window: false,
        }
    }
}

/// Serves the greeter on `listener` with `settings` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    settings: Settings,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(settings.nodelay));
    Server::builder()
        .initial_stream_window_size(settings.stream_window)
        .initial_connection_window_size(settings.connection_window)
        .max_frame_size(settings.max_frame_size)
        .max_concurrent_streams(settings.max_concurrent_streams)
        .http2_adaptive_window(Some(settings.adaptive_window))
        .add_service(GreeterServiceServer::new(Greeter))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
}

/// `count` listening sockets on one address, each with `SO_REUSEPORT`: the kernel
/// hands each new connection to one of them. With port 0, all share the port the
/// first one got.
pub fn bind_per_core(
    mut addr: SocketAddr,
    count: usize,
) -> std::io::Result<Vec<std::net::TcpListener>> {
    let mut listeners = Vec::with_capacity(count);
    for _ in 0..count {
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
        socket.set_reuse_port(true)?;
        socket.set_nonblocking(true)?;
        socket.bind(&addr.into())?;
        socket.listen(1024)?;
        let listener = std::net::TcpListener::from(socket);
        addr = listener.local_addr()?;
        listeners.push(listener);
    }
    Ok(listeners)
}

/// Serves each listener on its own thread with its own current-thread runtime:
/// no work stealing and no cross-thread wake-ups. `shutdown()` makes each thread's
/// stop signal. Returns when every thread has drained its calls.
pub fn serve_per_core<F>(
    listeners: Vec<std::net::TcpListener>,
    settings: Settings,
    shutdown: impl Fn() -> F + Clone + Send + 'static,
) -> Result<(), BoxError>
where
    F: Future<Output = ()>,
{
    let threads: Vec<_> = listeners
        .into_iter()
        .map(|listener| {
            let (settings, shutdown) = (settings.clone(), shutdown.clone());
            thread::spawn(move || -> Result<(), BoxError> {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async {
                    let listener = TcpListener::from_std(listener)?;
                    Ok(serve(listener, settings, shutdown()).await?)
                })
            })
        })
        .collect();
    for thread in threads {
        thread.join().map_err(|_| "a server thread panicked")??;
    }
    Ok(())
}
