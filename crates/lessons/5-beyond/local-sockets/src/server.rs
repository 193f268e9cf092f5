//! The greeter on a Unix domain socket.
//!
//! The socket is a file, so the file system decides who may connect: the server
//! creates a fresh directory only its own user can enter (0700) and binds the
//! socket inside it (0600). Each call then learns from the kernel who is calling
//! (uid, gid, pid: `SO_PEERCRED`), which tonic hands over as `UdsConnectInfo`.

use std::fs::{self, DirBuilder, Permissions};
use std::future::Future;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::net::UnixListener;
use tokio::net::unix::UCred;
use tokio_stream::wrappers::UnixListenerStream;
use tonic::transport::Server;
use tonic::transport::server::UdsConnectInfo;
use tonic::{Request, Response, Status};

/// Who may reach the socket file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only the server's own user (and root): directory 0700, socket 0600.
    Private,
    /// Every local user: directory 0755, socket 0666; the handler's uid check decides.
    Shared,
}

/// Creates `path`'s directory, which must not exist yet, and binds the socket in it.
///
/// A fresh directory means nobody else can have put a socket, or a symlink, there
/// first, and its mode is the access control: connecting needs search (`x`)
/// permission on the directory and write permission on the socket file.
pub fn bind(path: &Path, access: Access) -> io::Result<UnixListener> {
    let (dir_mode, socket_mode) = match access {
        Access::Private => (0o700, 0o600),
        Access::Shared => (0o755, 0o666),
    };
    let dir = path.parent().filter(|dir| !dir.as_os_str().is_empty());
    let dir = dir.ok_or_else(|| io::Error::other("the socket path needs a directory"))?;
    DirBuilder::new().mode(dir_mode).create(dir).map_err(|error| {
        io::Error::new(
            error.kind(),
            format!(
                "cannot create {} ({error}): the server wants a directory that does not exist yet",
                dir.display()
            ),
        )
    })?;
    // create() applies the umask; set the mode we mean.
    fs::set_permissions(dir, Permissions::from_mode(dir_mode))?;
    let listener = UnixListener::bind(path)?;
    fs::set_permissions(path, Permissions::from_mode(socket_mode))?;
    Ok(listener)
}

/// The tutorial's greeter, which also reads who is calling.
#[derive(Debug, Default)]
pub struct Greeter {
    /// Users allowed to call; empty: anyone who can open the socket.
    pub allowed_uids: Vec<u32>,
}

/// The caller's credentials, as the kernel recorded them when it connected.
pub fn peer_credentials<T>(request: &Request<T>) -> Result<UCred, Status> {
    request
        .extensions()
        .get::<UdsConnectInfo>()
        .and_then(|info| info.peer_cred)
        .ok_or_else(|| Status::unauthenticated("no peer credentials: not a Unix socket call"))
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let peer = peer_credentials(&request)?;
        let pid = peer
            .pid()
            .map_or("unknown".to_owned(), |pid| pid.to_string());
        println!(
            "server: SayHello from uid {}, gid {}, pid {pid}",
            peer.uid(),
            peer.gid()
        );
        if !self.allowed_uids.is_empty() && !self.allowed_uids.contains(&peer.uid()) {
            return Err(Status::permission_denied(format!(
                "uid {} may not call this server",
                peer.uid()
            )));
        }
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

/// Serves `greeter` on `listener` until `shutdown`; calls in flight finish first.
pub async fn serve(
    listener: UnixListener,
    greeter: Greeter,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .add_service(GreeterServiceServer::new(greeter))
        .serve_with_incoming_shutdown(UnixListenerStream::new(listener), shutdown)
        .await
}

/// Removes the socket file and the directory [`bind`] made for it: a socket file
/// outlives its listener, and the next [`bind`] wants neither to exist.
pub fn remove(path: &Path) -> io::Result<()> {
    fs::remove_file(path)?;
    match path.parent() {
        Some(dir) => fs::remove_dir(dir),
        None => Ok(()),
    }
}
