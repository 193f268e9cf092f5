//! Exercise 8: the server holds a client to [`WINDOW`] bytes per stream and
//! [`WINDOW`] bytes for the whole connection while it reads nothing.
//!
//! A hand-driven HTTP/2 peer ([`RawH2`]) reads the windows the server announces,
//! then sends exactly as much as they allow, then one byte more, to a handler
//! that never reads. A server whose window is larger takes the extra byte; one
//! holding to its window answers FLOW_CONTROL_ERROR. Each step ends at a PING
//! barrier, so no step waits for a quiet spell.

use std::sync::Arc;

use grpc_exercises::ex08_flow_control::{WINDOW, server_builder};
use grpc_exercises::support::raw_h2::{FLOW_CONTROL_ERROR, RawH2, SETTINGS};
use grpc_exercises::support::{self, within};
use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use tokio::sync::Notify;
use tonic::{Request, Response, Status, Streaming};

const PATH: &str = "/tutorial.helloworld.v3.GreeterService/SayHello";

/// Reads nothing, ever: nothing it is sent gives the window back.
struct Busy {
    never: Arc<Notify>,
}

#[tonic::async_trait]
impl GreeterService for Busy {
    type SayHelloStream = tokio_stream::Once<Result<SayHelloResponse, Status>>;

    async fn say_hello(
        &self,
        _request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        self.never.notified().await;
        Err(Status::internal("unreachable"))
    }
}

/// The learner's server and a raw peer that has read its SETTINGS and every
/// window update that came with them.
async fn connected() -> (support::TestServer, RawH2) {
    let busy = Busy {
        never: Arc::new(Notify::new()),
    };
    let server =
        support::serve(server_builder().add_service(GreeterServiceServer::new(busy))).await;
    let mut peer = RawH2::connect(server.addr()).await.expect("connect");
    loop {
        let frame = peer
            .read()
            .await
            .expect("read")
            .expect("the server's SETTINGS");
        if frame.kind == SETTINGS && frame.flags == 0 {
            break;
        }
    }
    peer.ack_settings().await.expect("ack the SETTINGS");
    assert!(peer.barrier().await.expect("a PING round trip"));
    (server, peer)
}

#[tokio::test]
async fn the_server_announces_both_windows() {
    within(async {
        let (_server, peer) = connected().await;
        assert_eq!(
            peer.announced_stream_window(),
            WINDOW,
            "the stream window the server announced (SETTINGS_INITIAL_WINDOW_SIZE)"
        );
        assert_eq!(
            peer.announced_connection_window(),
            u64::from(WINDOW),
            "the connection window the server opened (65 535 + its WINDOW_UPDATEs on stream 0)"
        );
    })
    .await
}

#[tokio::test]
async fn one_stream_gets_its_window_and_not_a_byte_more() {
    within(async {
        let (_server, mut peer) = connected().await;
        peer.open(1, PATH).await.expect("HEADERS");
        peer.send_data(1, WINDOW as usize).await.expect("DATA");
        assert!(peer.barrier().await.expect("a PING round trip"));
        assert_eq!(
            peer.refusal(FLOW_CONTROL_ERROR),
            None,
            "refused before {WINDOW} bytes: the window is smaller than {WINDOW}"
        );
        peer.send_data(1, 1).await.expect("DATA");
        let _ = peer.barrier().await.expect("a PING round trip (or the end)");
        assert!(
            peer.refusal(FLOW_CONTROL_ERROR).is_some(),
            "the server took {} bytes on one stream it never read: nothing held the client to {WINDOW}",
            WINDOW + 1
        );
    })
    .await
}

#[tokio::test]
async fn two_streams_share_one_connection_window() {
    within(async {
        let (_server, mut peer) = connected().await;
        let first = WINDOW as usize / 2 + 1;
        peer.open(1, PATH).await.expect("HEADERS");
        peer.open(3, PATH).await.expect("HEADERS");
        peer.send_data(1, first).await.expect("DATA");
        peer.send_data(3, WINDOW as usize - first)
            .await
            .expect("DATA");
        assert!(peer.barrier().await.expect("a PING round trip"));
        assert_eq!(
            peer.refusal(FLOW_CONTROL_ERROR),
            None,
            "refused before {WINDOW} bytes in all"
        );
        // Both streams are far below their own window: only the connection's can refuse.
        peer.send_data(3, 1).await.expect("DATA");
        let _ = peer
            .barrier()
            .await
            .expect("a PING round trip (or the end)");
        assert!(
            peer.refusal(FLOW_CONTROL_ERROR).is_some(),
            "the server took {} bytes over two streams it never read: the connection window \
             is larger than {WINDOW}",
            WINDOW + 1
        );
    })
    .await
}
