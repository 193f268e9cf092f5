//! Exercise 38: a greeter that answers only callers `allowed_caller` lets
//! through, served on a real Unix socket (and once on TCP, which carries no
//! credentials). The greeting names the uid the check returned.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use grpc_exercises::ex38_peer_credentials::allowed_caller;
use grpc_exercises::support::within;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio_stream::wrappers::{TcpListenerStream, UnixListenerStream};
use tonic::transport::{Channel, Endpoint, Server};
use tonic::{Code, Request, Response, Status};

struct Guarded {
    allowed: Vec<u32>,
}

#[tonic::async_trait]
impl GreeterService for Guarded {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let uid = allowed_caller(&request, &self.allowed)?;
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}! (uid {uid})"),
        }))
    }
}

/// A fresh directory for one test's socket, removed when dropped.
struct SocketDir(PathBuf);

impl SocketDir {
    fn new(test: &str) -> SocketDir {
        let dir = std::env::temp_dir().join(format!("ex38-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        SocketDir(dir)
    }

    /// This process's uid: the owner of the directory it just made.
    fn own_uid(&self) -> u32 {
        std::fs::metadata(&self.0).unwrap().uid()
    }
}

impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Serves `Guarded { allowed }` on a Unix socket in `dir`; a channel to it.
async fn unix_server(dir: &SocketDir, allowed: Vec<u32>) -> Channel {
    let path = dir.0.join("greeter.sock");
    let listener = tokio::net::UnixListener::bind(&path).unwrap();
    tokio::spawn(
        Server::builder()
            .add_service(GreeterServiceServer::new(Guarded { allowed }))
            .serve_with_incoming(UnixListenerStream::new(listener)),
    );
    Endpoint::from_shared(format!("unix:{}", path.display()))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

async fn say_hello(channel: Channel) -> Result<String, Status> {
    let request = SayHelloRequest { name: "Ana".into() };
    let reply = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    Ok(reply.into_inner().message)
}

#[tokio::test]
async fn a_caller_on_the_list_is_served_with_its_own_uid() {
    within(async {
        let dir = SocketDir::new("served");
        let uid = dir.own_uid();
        let channel = unix_server(&dir, vec![uid + 1, uid]).await;
        let message = say_hello(channel)
            .await
            .expect("an allowed caller is served");
        assert_eq!(message, format!("Hello, Ana! (uid {uid})"));
    })
    .await
}

#[tokio::test]
async fn a_caller_off_the_list_is_permission_denied() {
    within(async {
        let dir = SocketDir::new("denied");
        let uid = dir.own_uid();
        let channel = unix_server(&dir, vec![uid + 1]).await;
        let status = say_hello(channel).await.unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "{status:?}");
        assert!(status.message().contains(&uid.to_string()), "{status:?}");
        // An empty list lets nobody in.
        let dir = SocketDir::new("empty");
        let status = say_hello(unix_server(&dir, vec![]).await)
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "{status:?}");
    })
    .await
}

#[tokio::test]
async fn a_tcp_caller_has_no_credentials_and_is_unauthenticated() {
    within(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // Every uid a Unix caller could have: only the missing credentials refuse it.
        let allowed = vec![0, 1000, 65534, SocketDir::new("tcp").own_uid()];
        tokio::spawn(
            Server::builder()
                .add_service(GreeterServiceServer::new(Guarded { allowed }))
                .serve_with_incoming(TcpListenerStream::new(listener)),
        );
        let channel = Endpoint::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect()
            .await
            .unwrap();
        let status = say_hello(channel).await.unwrap_err();
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
    })
    .await
}
