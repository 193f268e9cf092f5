//! `reliability interop-client`: the cases of grpc's interop test descriptions
//! that need no cloud credentials, run against any `grpc.testing.TestService`.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use interop_proto::grpc_testing as pb;
use pb::test_service_client::TestServiceClient;
use pb::unimplemented_service_client::UnimplementedServiceClient;
use tonic::codec::CompressionEncoding;
use tonic::metadata::{MetadataMap, MetadataValue};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Request, Status};

/// Every case the client runs, in the descriptions' order.
pub const CASES: &[&str] = &[
    "empty_unary",
    "large_unary",
    "client_streaming",
    "server_streaming",
    "ping_pong",
    "empty_stream",
    "timeout_on_sleeping_server",
    "cancel_after_begin",
    "cancel_after_first_response",
    "status_code_and_message",
    "special_status_message",
    "custom_metadata",
    "unimplemented_method",
    "unimplemented_service",
    "client_compressed_unary",
    "client_compressed_streaming",
    "server_compressed_unary",
    "server_compressed_streaming",
    "rpc_soak",
    "channel_soak",
    "max_streams",
];

/// grpc's interop client flags (underscored, as every implementation spells them).
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    #[arg(long = "server_host", default_value = "localhost")]
    pub server_host: String,
    #[arg(long = "server_port")]
    pub server_port: u16,
    #[arg(long = "test_case")]
    pub test_case: String,
    #[arg(long = "use_tls", num_args = 0..=1, default_missing_value = "true", default_value = "false")]
    pub use_tls: bool,
    /// Trust `--ca_file` (grpc's test CA is not checked in here; it is generated per run).
    #[arg(long = "use_test_ca", num_args = 0..=1, default_missing_value = "true", default_value = "false")]
    pub use_test_ca: bool,
    #[arg(long = "ca_file")]
    pub ca_file: Option<std::path::PathBuf>,
    /// The name the server's certificate is checked against (grpc uses foo.test.google.fr).
    #[arg(long = "server_host_override")]
    pub server_host_override: Option<String>,
    #[arg(long = "soak_iterations", default_value_t = 10)]
    pub soak_iterations: u32,
    #[arg(long = "soak_max_failures", default_value_t = 0)]
    pub soak_max_failures: u32,
    #[arg(
        long = "soak_per_iteration_max_acceptable_latency_ms",
        default_value_t = 1000
    )]
    pub soak_per_iteration_max_acceptable_latency_ms: u64,
    #[arg(long = "soak_overall_timeout_seconds", default_value_t = 10)]
    pub soak_overall_timeout_seconds: u64,
}

impl ClientFlags {
    /// A new channel to the server, as the flags describe it.
    pub async fn connect(&self) -> anyhow::Result<Channel> {
        let scheme = if self.use_tls { "https" } else { "http" };
        let url = format!("{scheme}://{}:{}", self.server_host, self.server_port);
        let mut endpoint = Endpoint::from_shared(url.clone())?;
        if self.use_tls {
            ensure!(
                self.use_test_ca,
                "--use_tls needs --use_test_ca with --ca_file: this client trusts no system roots"
            );
            let ca_file = self
                .ca_file
                .as_ref()
                .context("--use_test_ca needs --ca_file")?;
            let ca =
                std::fs::read(ca_file).with_context(|| format!("reading {}", ca_file.display()))?;
            let mut tls = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(ca));
            if let Some(name) = &self.server_host_override {
                tls = tls.domain_name(name);
            }
            endpoint = endpoint.tls_config(tls)?;
        }
        endpoint
            .connect()
            .await
            .with_context(|| format!("connecting to {url}"))
    }
}

/// Runs one case by name; `Err` says what the server got wrong.
pub async fn run(flags: &ClientFlags) -> anyhow::Result<()> {
    let channel = flags.connect().await?;
    let client = TestServiceClient::new(channel.clone());
    match flags.test_case.as_str() {
        "empty_unary" => empty_unary(client).await,
        "large_unary" => large_unary(client).await,
        "client_streaming" => client_streaming(client).await,
        "server_streaming" => server_streaming(client).await,
        "ping_pong" => ping_pong(client).await,
        "empty_stream" => empty_stream(client).await,
        "timeout_on_sleeping_server" => timeout_on_sleeping_server(client).await,
        "cancel_after_begin" => cancel_after_begin(client).await,
        "cancel_after_first_response" => cancel_after_first_response(client).await,
        "status_code_and_message" => status_code_and_message(client).await,
        "special_status_message" => special_status_message(client).await,
        "custom_metadata" => custom_metadata(client).await,
        "unimplemented_method" => unimplemented_method(client).await,
        "unimplemented_service" => unimplemented_service(channel).await,
        "client_compressed_unary" => client_compressed_unary(client).await,
        "client_compressed_streaming" => client_compressed_streaming(client).await,
        "server_compressed_unary" => server_compressed_unary(client).await,
        "server_compressed_streaming" => server_compressed_streaming(client).await,
        "rpc_soak" => soak(flags, Some(client)).await,
        "channel_soak" => soak(flags, None).await,
        "max_streams" => max_streams(client).await,
        other => bail!("unknown --test_case {other:?}; known: {}", CASES.join(", ")),
    }
}

type Client = TestServiceClient<Channel>;

fn zeros(size: usize) -> Option<pb::Payload> {
    Some(pb::Payload {
        r#type: 0,
        body: vec![0; size],
    })
}

fn check_payload(payload: &Option<pb::Payload>, size: usize) -> anyhow::Result<()> {
    let body = payload.as_ref().map_or(&[][..], |p| &p.body[..]);
    ensure!(
        body.len() == size,
        "payload of {} bytes, expected {size}",
        body.len()
    );
    ensure!(body.iter().all(|&b| b == 0), "payload is not all zeros");
    Ok(())
}

fn bool_value(value: bool) -> Option<pb::BoolValue> {
    Some(pb::BoolValue { value })
}

fn expect_code<T>(result: Result<T, Status>, code: Code) -> anyhow::Result<Status> {
    match result {
        Ok(_) => bail!("expected {code:?}, the call succeeded"),
        Err(status) if status.code() == code => Ok(status),
        Err(status) => bail!(
            "expected {code:?}, got {:?}: {}",
            status.code(),
            status.message()
        ),
    }
}

fn large_request() -> pb::SimpleRequest {
    pb::SimpleRequest {
        response_size: 314_159,
        payload: zeros(271_828),
        ..Default::default()
    }
}

fn streaming_request(sizes: &[i32], payload: usize) -> pb::StreamingOutputCallRequest {
    pb::StreamingOutputCallRequest {
        response_parameters: sizes
            .iter()
            .map(|&size| pb::ResponseParameters {
                size,
                ..Default::default()
            })
            .collect(),
        payload: if payload > 0 { zeros(payload) } else { None },
        ..Default::default()
    }
}

async fn empty_unary(mut client: Client) -> anyhow::Result<()> {
    let response = client.empty_call(pb::Empty {}).await?.into_inner();
    ensure!(response == pb::Empty {}, "the response is not empty");
    Ok(())
}

async fn large_unary(mut client: Client) -> anyhow::Result<()> {
    let response = client.unary_call(large_request()).await?.into_inner();
    check_payload(&response.payload, 314_159)
}

async fn client_streaming(mut client: Client) -> anyhow::Result<()> {
    let requests = [27_182, 8, 1_828, 45_904].map(|size| pb::StreamingInputCallRequest {
        payload: zeros(size),
        ..Default::default()
    });
    let response = client
        .streaming_input_call(futures::stream::iter(requests))
        .await?
        .into_inner();
    ensure!(
        response.aggregated_payload_size == 74_922,
        "aggregated_payload_size {}, expected 74922",
        response.aggregated_payload_size
    );
    Ok(())
}

const STREAM_SIZES: [i32; 4] = [31_415, 9, 2_653, 58_979];

async fn server_streaming(mut client: Client) -> anyhow::Result<()> {
    let mut stream = client
        .streaming_output_call(streaming_request(&STREAM_SIZES, 0))
        .await?
        .into_inner();
    for size in STREAM_SIZES {
        let response = stream.message().await?.context("the stream ended early")?;
        check_payload(&response.payload, size as usize)?;
    }
    ensure!(
        stream.message().await?.is_none(),
        "more responses than asked for"
    );
    Ok(())
}

async fn ping_pong(mut client: Client) -> anyhow::Result<()> {
    let pairs: Vec<_> = STREAM_SIZES
        .into_iter()
        .zip([27_182, 8, 1_828, 45_904])
        .collect();
    let (first_size, first_payload) = pairs[0];
    let (tx, mut responses) =
        open_duplex(&mut client, streaming_request(&[first_size], first_payload)).await?;
    for (index, &(size, payload)) in pairs.iter().enumerate() {
        if index > 0 {
            tx.send(streaming_request(&[size], payload)).await?;
        }
        let response = responses
            .message()
            .await?
            .context("the stream ended early")?;
        check_payload(&response.payload, size as usize)?;
    }
    drop(tx);
    ensure!(
        responses.message().await?.is_none(),
        "more responses than asked for"
    );
    Ok(())
}

/// A FullDuplexCall whose first request is queued before the call starts: tonic
/// waits for the response headers, which some servers send only with a response.
async fn open_duplex(
    client: &mut Client,
    first: pb::StreamingOutputCallRequest,
) -> anyhow::Result<(
    tokio::sync::mpsc::Sender<pb::StreamingOutputCallRequest>,
    tonic::Streaming<pb::StreamingOutputCallResponse>,
)> {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    tx.send(first).await?;
    let responses = client
        .full_duplex_call(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await?
        .into_inner();
    Ok((tx, responses))
}

async fn empty_stream(mut client: Client) -> anyhow::Result<()> {
    let mut responses = client
        .full_duplex_call(futures::stream::empty())
        .await?
        .into_inner();
    ensure!(
        responses.message().await?.is_none(),
        "a response to no request"
    );
    Ok(())
}

async fn timeout_on_sleeping_server(mut client: Client) -> anyhow::Result<()> {
    let deadline = Duration::from_millis(1);
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    tx.send(streaming_request(&[], 27_182)).await?;
    let mut request = Request::new(tokio_stream::wrappers::ReceiverStream::new(rx));
    request.set_timeout(deadline);
    // Like every gRPC client, ours enforces its own deadline, not only the server's.
    let call = async {
        let mut responses = client.full_duplex_call(request).await?.into_inner();
        responses.message().await
    };
    match tokio::time::timeout(deadline, call).await {
        Err(_elapsed) => Ok(()), // DEADLINE_EXCEEDED, seen by the client
        // tonic's channel reports its own expired deadline as CANCELLED "Timeout
        // expired" (tonic 0.14 status.rs, TimeoutExpired): that is this client's deadline.
        Ok(Err(status))
            if status.code() == Code::Cancelled && status.message() == "Timeout expired" =>
        {
            Ok(())
        }
        Ok(result) => expect_code(result, Code::DeadlineExceeded).map(drop),
    }
}

async fn cancel_after_begin(mut client: Client) -> anyhow::Result<()> {
    // tonic cancels a call by dropping it: the request stream never yields, the
    // call is started (headers sent), then dropped, which resets the stream (CANCEL).
    let call = client.streaming_input_call(futures::stream::pending());
    let finished = tokio::time::timeout(Duration::from_millis(50), call).await;
    ensure!(
        finished.is_err(),
        "the call finished before it was cancelled: {finished:?}"
    );
    // The server must take the cancellation and stay well.
    empty_unary(client)
        .await
        .context("after the cancelled call")
}

async fn cancel_after_first_response(client: Client) -> anyhow::Result<()> {
    let (tx, mut responses) =
        open_duplex(&mut client.clone(), streaming_request(&[31_415], 27_182)).await?;
    let first = responses.message().await?.context("no first response")?;
    check_payload(&first.payload, 31_415)?;
    drop(responses); // the cancellation: RST_STREAM(CANCEL)
    drop(tx);
    empty_unary(client)
        .await
        .context("after the cancelled call")
}

async fn echo_status_both_ways(mut client: Client, message: &str) -> anyhow::Result<()> {
    let echo = Some(pb::EchoStatus {
        code: 2,
        message: message.into(),
    });
    let unary = client
        .unary_call(pb::SimpleRequest {
            response_status: echo.clone(),
            ..Default::default()
        })
        .await;
    let status = expect_code(unary, Code::Unknown).context("UnaryCall")?;
    ensure!(
        status.message() == message,
        "UnaryCall message {:?}, expected {message:?}",
        status.message()
    );
    let request = pb::StreamingOutputCallRequest {
        response_status: echo,
        ..Default::default()
    };
    let duplex = async {
        let mut responses = client
            .full_duplex_call(futures::stream::iter([request]))
            .await?
            .into_inner();
        responses.message().await
    };
    let status = expect_code(duplex.await, Code::Unknown).context("FullDuplexCall")?;
    ensure!(
        status.message() == message,
        "FullDuplexCall message {:?}, expected {message:?}",
        status.message()
    );
    Ok(())
}

async fn status_code_and_message(client: Client) -> anyhow::Result<()> {
    echo_status_both_ways(client, "test status message").await
}

async fn special_status_message(client: Client) -> anyhow::Result<()> {
    echo_status_both_ways(
        client,
        "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n",
    )
    .await
}

const INITIAL_VALUE: &str = "test_initial_metadata_value";
const TRAILING_VALUE: &[u8] = b"\xab\xab\xab";

fn with_echo_metadata<T>(message: T) -> Request<T> {
    let mut request = Request::new(message);
    let metadata = request.metadata_mut();
    metadata.insert(
        "x-grpc-test-echo-initial",
        MetadataValue::from_static(INITIAL_VALUE),
    );
    metadata.insert_bin(
        "x-grpc-test-echo-trailing-bin",
        MetadataValue::from_bytes(TRAILING_VALUE),
    );
    request
}

fn check_initial(metadata: &MetadataMap) -> anyhow::Result<()> {
    let value = metadata
        .get("x-grpc-test-echo-initial")
        .context("no echoed initial metadata")?;
    ensure!(value == INITIAL_VALUE, "initial metadata {value:?}");
    Ok(())
}

fn check_trailing(metadata: &MetadataMap) -> anyhow::Result<()> {
    let value = metadata
        .get_bin("x-grpc-test-echo-trailing-bin")
        .context("no echoed trailing metadata")?
        .to_bytes()?;
    ensure!(
        value.as_ref() == TRAILING_VALUE,
        "trailing metadata {value:?}"
    );
    Ok(())
}

async fn custom_metadata(mut client: Client) -> anyhow::Result<()> {
    // tonic's unary response merges the trailers into the response's metadata.
    let response = client
        .unary_call(with_echo_metadata(large_request()))
        .await?;
    check_initial(response.metadata()).context("UnaryCall")?;
    check_trailing(response.metadata()).context("UnaryCall")?;
    check_payload(&response.get_ref().payload, 314_159)?;

    let request = streaming_request(&[314_159], 271_828);
    let response = client
        .full_duplex_call(with_echo_metadata(futures::stream::iter([request])))
        .await?;
    check_initial(response.metadata()).context("FullDuplexCall")?;
    let mut responses = response.into_inner();
    let first = responses.message().await?.context("no response")?;
    check_payload(&first.payload, 314_159)?;
    ensure!(
        responses.message().await?.is_none(),
        "more responses than asked for"
    );
    let trailers = responses.trailers().await?.context("no trailers")?;
    check_trailing(&trailers).context("FullDuplexCall")
}

async fn unimplemented_method(mut client: Client) -> anyhow::Result<()> {
    expect_code(
        client.unimplemented_call(pb::Empty {}).await,
        Code::Unimplemented,
    )
    .map(drop)
}

async fn unimplemented_service(channel: Channel) -> anyhow::Result<()> {
    let mut client = UnimplementedServiceClient::new(channel);
    expect_code(
        client.unimplemented_call(pb::Empty {}).await,
        Code::Unimplemented,
    )
    .map(drop)
}

fn compressed_unary_request(expect: bool) -> pb::SimpleRequest {
    pb::SimpleRequest {
        expect_compressed: bool_value(expect),
        ..large_request()
    }
}

async fn client_compressed_unary(client: Client) -> anyhow::Result<()> {
    // The probe: a server that cannot tell must refuse, not pretend.
    let probe = client
        .clone()
        .unary_call(compressed_unary_request(true))
        .await;
    expect_code(probe, Code::InvalidArgument)
        .context("uncompressed request expecting compression")?;
    // A client that sends gzip takes gzip back: grpc-go answers in the request's encoding.
    let mut gzip = client
        .clone()
        .send_compressed(CompressionEncoding::Gzip)
        .accept_compressed(CompressionEncoding::Gzip);
    let response = gzip
        .unary_call(compressed_unary_request(true))
        .await?
        .into_inner();
    check_payload(&response.payload, 314_159).context("compressed request")?;
    let response = client
        .clone()
        .unary_call(compressed_unary_request(false))
        .await?
        .into_inner();
    check_payload(&response.payload, 314_159).context("uncompressed request")
}

async fn client_compressed_streaming(client: Client) -> anyhow::Result<()> {
    let probe = client
        .clone()
        .streaming_input_call(futures::stream::iter([pb::StreamingInputCallRequest {
            payload: zeros(27_182),
            expect_compressed: bool_value(true),
        }]))
        .await;
    expect_code(probe, Code::InvalidArgument)
        .context("uncompressed stream expecting compression")?;
    // tonic compresses every message of a compressed call: the second request,
    // which the description sends uncompressed, goes compressed too (the server accepts both).
    let requests =
        [(27_182, true), (45_904, false)].map(|(size, expect)| pb::StreamingInputCallRequest {
            payload: zeros(size),
            expect_compressed: bool_value(expect),
        });
    let response = client
        .send_compressed(CompressionEncoding::Gzip)
        .accept_compressed(CompressionEncoding::Gzip)
        .streaming_input_call(futures::stream::iter(requests))
        .await?
        .into_inner();
    ensure!(
        response.aggregated_payload_size == 73_086,
        "aggregated_payload_size {}, expected 73086",
        response.aggregated_payload_size
    );
    Ok(())
}

async fn server_compressed_unary(client: Client) -> anyhow::Result<()> {
    let mut client = client.accept_compressed(CompressionEncoding::Gzip);
    for compressed in [true, false] {
        let request = pb::SimpleRequest {
            response_size: 314_159,
            payload: zeros(271_828),
            response_compressed: bool_value(compressed),
            ..Default::default()
        };
        let response = client.unary_call(request).await?.into_inner();
        check_payload(&response.payload, 314_159)
            .with_context(|| format!("response_compressed {compressed}"))?;
    }
    Ok(())
}

async fn server_compressed_streaming(client: Client) -> anyhow::Result<()> {
    let mut client = client.accept_compressed(CompressionEncoding::Gzip);
    let request = pb::StreamingOutputCallRequest {
        response_parameters: [(31_415, true), (92_653, false)]
            .map(|(size, compressed)| pb::ResponseParameters {
                size,
                compressed: bool_value(compressed),
                ..Default::default()
            })
            .to_vec(),
        ..Default::default()
    };
    let mut responses = client.streaming_output_call(request).await?.into_inner();
    for size in [31_415, 92_653] {
        let response = responses
            .message()
            .await?
            .context("the stream ended early")?;
        check_payload(&response.payload, size)?;
    }
    ensure!(
        responses.message().await?.is_none(),
        "more responses than asked for"
    );
    Ok(())
}

/// rpc_soak (one channel) or channel_soak (a new channel per call): bounded by the soak flags.
async fn soak(flags: &ClientFlags, shared: Option<Client>) -> anyhow::Result<()> {
    let started = Instant::now();
    let overall = Duration::from_secs(flags.soak_overall_timeout_seconds);
    let max_latency = Duration::from_millis(flags.soak_per_iteration_max_acceptable_latency_ms);
    let mut failures = Vec::new();
    for iteration in 0..flags.soak_iterations {
        ensure!(
            started.elapsed() < overall,
            "{iteration} of {} iterations in {overall:?}",
            flags.soak_iterations
        );
        let began = Instant::now();
        let outcome = async {
            let client = match &shared {
                Some(client) => client.clone(),
                None => TestServiceClient::new(flags.connect().await?),
            };
            large_unary(client).await
        }
        .await;
        let latency = began.elapsed();
        match outcome {
            Err(error) => failures.push(format!("iteration {iteration}: {error:#}")),
            Ok(()) if latency > max_latency => failures.push(format!(
                "iteration {iteration}: {latency:?} > {max_latency:?}"
            )),
            Ok(()) => {}
        }
    }
    ensure!(
        failures.len() <= flags.soak_max_failures as usize,
        "{} failures (at most {} allowed): {}",
        failures.len(),
        flags.soak_max_failures,
        failures.join("; ")
    );
    Ok(())
}

async fn max_streams(client: Client) -> anyhow::Result<()> {
    // The description: with the server's MAX_CONCURRENT_STREAMS at 1, a held
    // stream must not stop other calls from completing once it ends.
    let (tx, mut responses) =
        open_duplex(&mut client.clone(), streaming_request(&[31_415], 27_182)).await?;
    let first = responses
        .message()
        .await?
        .context("no response on the held stream")?;
    check_payload(&first.payload, 31_415)?;
    let others: Vec<_> = (0..4).map(|_| large_unary(client.clone())).collect();
    drop(tx);
    ensure!(
        responses.message().await?.is_none(),
        "more responses than asked for"
    );
    for outcome in futures::future::join_all(others).await {
        outcome?;
    }
    Ok(())
}
