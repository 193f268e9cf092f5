//! Exercise 29: over a real socket, the server answers gzip with gzip, and the
//! client sends gzip and asks for it.

use std::sync::{Arc, Mutex};

use grpc_exercises::ex29_compression::{greeter_client, greeter_server};
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::codec::CompressionEncoding;
use tonic::transport::Server;
use tonic::{Request, Response, Status};

fn header(metadata: &tonic::metadata::MetadataMap, key: &str) -> Option<String> {
    metadata
        .get(key)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn the_server_takes_gzip_and_answers_with_gzip() {
    within(async {
        let server = support::serve(Server::builder().add_service(greeter_server())).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await)
            .send_compressed(CompressionEncoding::Gzip)
            .accept_compressed(CompressionEncoding::Gzip);
        let response = client
            .say_hello(hello("Jack"))
            .await
            .expect("a gzip request is accepted");
        assert_eq!(
            header(response.metadata(), "grpc-encoding").as_deref(),
            Some("gzip"),
            "the response should be compressed"
        );
        assert_eq!(response.into_inner().message, "Hello, Jack!");
    })
    .await
}

/// A request's `grpc-encoding` and `grpc-accept-encoding`.
type Encodings = (Option<String>, Option<String>);

/// Records the encoding headers each request arrived with.
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<Encodings>>>,
}

#[tonic::async_trait]
impl GreeterService for Recorder {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let metadata = request.metadata();
        let seen = (
            header(metadata, "grpc-encoding"),
            header(metadata, "grpc-accept-encoding"),
        );
        self.seen.lock().unwrap().push(seen);
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}

#[tokio::test]
async fn the_client_sends_gzip_and_accepts_it() {
    within(async {
        let recorder = Recorder::default();
        let service = GreeterServiceServer::new(recorder.clone())
            .accept_compressed(CompressionEncoding::Gzip)
            .send_compressed(CompressionEncoding::Gzip);
        let server = support::serve(Server::builder().add_service(service)).await;
        let mut client = greeter_client(support::connect(&server).await);
        let reply = client.say_hello(hello("Ann")).await.expect("SayHello");
        assert_eq!(reply.into_inner().message, "Hello, Ann!");
        let seen = recorder.seen.lock().unwrap().clone();
        let [(encoding, accepted)] = seen.as_slice() else {
            panic!("one call expected, saw {seen:?}");
        };
        assert_eq!(
            encoding.as_deref(),
            Some("gzip"),
            "the request should be compressed"
        );
        assert!(
            accepted.as_deref().is_some_and(|a| a.contains("gzip")),
            "the client should accept gzip answers: grpc-accept-encoding was {accepted:?}"
        );
    })
    .await
}
