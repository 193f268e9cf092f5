//! The capstone's contract: what a weather-station service must do, checked over
//! real TLS sockets on 127.0.0.1. Every test runs under a time limit, so a hung
//! handler fails with a message instead of blocking `verify`.
//!
//! Most tests talk through your client (`serve::connect`); the auth, TLS and health
//! tests dial the server with plain tonic, so they check the server on its own.

use std::future::Future;
use std::time::{Duration, Instant};

use grpc_capstone::pb::weather_service_client::WeatherServiceClient;
use grpc_capstone::pb::weather_service_server::SERVICE_NAME;
use grpc_capstone::pb::{GetLatestRequest, ListReadingsRequest, Reading};
use grpc_capstone::serve::{self, ServerConfig, WeatherClient};
use grpc_capstone::store::{MAX_LIVE_STATIONS, Store};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio::sync::{mpsc, oneshot};
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Request, Status};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_types::StatusExt;

const TOKEN: &str = "capstone-secret";

/// Runs `test`, failing it if it takes longer than 20 s.
async fn within<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("the test did not finish within 20 s: is a stream never closed?")
}

/// A throw-away CA and a server certificate for `localhost`, made per test:
/// no key is ever committed, and none can expire under CI.
struct Pki {
    ca: String,
    cert: String,
    key: String,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(vec![grpc_capstone::SERVER_NAME.to_owned()]).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    Pki {
        ca: ca.pem(),
        cert: cert.pem(),
        key: key.serialize_pem(),
    }
}

/// Your server on a free port, stopped when dropped.
struct Running {
    url: String,
    ca: String,
    _stop: oneshot::Sender<()>,
}

async fn start(pace: Duration) -> Running {
    start_with(pace, Duration::from_secs(10)).await
}

async fn start_with(pace: Duration, handshake_timeout: Duration) -> Running {
    let pki = pki();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let config = ServerConfig {
        cert_pem: pki.cert,
        key_pem: pki.key,
        token: TOKEN.to_owned(),
        store: Store::sample(),
        pace,
        handshake_timeout,
    };
    tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        if let Err(error) = serve::serve(listener, config, shutdown).await {
            eprintln!("serve failed: {error}");
        }
    });
    Running {
        url,
        ca: pki.ca,
        _stop: stop,
    }
}

impl Running {
    /// Your client, with the right token.
    async fn client(&self) -> WeatherClient {
        serve::connect(&self.url, &self.ca, TOKEN)
            .await
            .expect("serve::connect to the test server")
    }

    /// A plain tonic TLS channel, no token.
    async fn channel(&self) -> Channel {
        let tls = ClientTlsConfig::new()
            .ca_certificate(Certificate::from_pem(&self.ca))
            .domain_name(grpc_capstone::SERVER_NAME);
        Endpoint::from_shared(self.url.clone())
            .unwrap()
            .tls_config(tls)
            .unwrap()
            .connect()
            .await
            .expect("a TLS connection to the test server")
    }
}

fn latest(station: &str) -> GetLatestRequest {
    GetLatestRequest {
        station: station.to_owned(),
    }
}

fn list(station: &str, limit: u32) -> ListReadingsRequest {
    ListReadingsRequest {
        station: station.to_owned(),
        limit,
    }
}

fn reading(station: &str, celsius: f64) -> Reading {
    Reading {
        station: station.to_owned(),
        sequence: 0,
        celsius,
    }
}

/// The field a status's `BadRequest` detail names, if any.
fn bad_field(status: &Status) -> Option<String> {
    let details = status.get_error_details();
    let violation = details.bad_request()?.field_violations.first()?.clone();
    Some(violation.field)
}

/// Collects a server stream, or the status it failed with.
async fn collect(
    client: &mut WeatherClient,
    request: ListReadingsRequest,
) -> Result<Vec<u64>, Status> {
    let mut stream = client.list_readings(request).await?.into_inner();
    let mut sequences = Vec::new();
    while let Some(reading) = stream.message().await? {
        sequences.push(reading.sequence);
    }
    Ok(sequences)
}

#[tokio::test]
async fn unary_get_latest_answers_the_newest_reading() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut client = server.client().await;
        let oslo = client
            .get_latest(latest("oslo"))
            .await
            .expect("GetLatest oslo");
        let oslo = oslo.into_inner();
        assert_eq!((oslo.station.as_str(), oslo.sequence), ("oslo", 20));
        assert_eq!(oslo.celsius, 4.5);
    })
    .await
}

#[tokio::test]
async fn bad_input_gets_a_status_with_details_a_client_can_read() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut client = server.client().await;
        let empty = client.get_latest(latest("")).await.unwrap_err();
        assert_eq!(empty.code(), Code::InvalidArgument, "{empty:?}");
        assert_eq!(
            bad_field(&empty).as_deref(),
            Some("station"),
            "a BadRequest detail: {empty:?}"
        );

        let unknown = client.get_latest(latest("atlantis")).await.unwrap_err();
        assert_eq!(unknown.code(), Code::NotFound, "{unknown:?}");
        let info = unknown.get_error_details().resource_info().cloned();
        let info = info.expect("a ResourceInfo detail naming the station");
        assert_eq!(
            (info.resource_type.as_str(), info.resource_name.as_str()),
            ("station", "atlantis")
        );

        let too_many = collect(&mut client, list("oslo", 5000)).await.unwrap_err();
        assert_eq!(too_many.code(), Code::InvalidArgument, "{too_many:?}");
        assert_eq!(bad_field(&too_many).as_deref(), Some("limit"));
        let unknown = collect(&mut client, list("atlantis", 0)).await.unwrap_err();
        assert_eq!(unknown.code(), Code::NotFound, "{unknown:?}");
    })
    .await
}

#[tokio::test]
async fn server_streaming_lists_oldest_first_up_to_the_limit() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut client = server.client().await;
        assert_eq!(
            collect(&mut client, list("oslo", 5)).await.unwrap(),
            [1, 2, 3, 4, 5]
        );
        let all = collect(&mut client, list("oslo", 0)).await.unwrap();
        assert_eq!(all, (1..=20).collect::<Vec<u64>>(), "limit 0 means all");
        assert_eq!(
            collect(&mut client, list("lima", 50)).await.unwrap().len(),
            5
        );
    })
    .await
}

#[tokio::test]
async fn client_streaming_records_plausible_readings_and_counts_the_rest() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut client = server.client().await;
        let upload = vec![
            reading("quito", 12.0),
            reading("quito", 500.0), // a sensor fault
            reading("quito", 13.5),
            reading("", 10.0), // no station
            reading("quito", 14.0),
        ];
        let summary = client
            .record(tokio_stream::iter(upload))
            .await
            .expect("Record")
            .into_inner();
        assert_eq!((summary.accepted, summary.rejected), (3, 2), "{summary:?}");
        let quito = client.get_latest(latest("quito")).await.expect("recorded");
        let quito = quito.into_inner();
        assert_eq!((quito.sequence, quito.celsius), (3, 14.0), "{quito:?}");
    })
    .await
}

#[tokio::test]
async fn bidi_live_average_answers_each_reading_as_it_arrives() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut client = server.client().await;
        let (send, requests) = mpsc::channel(1);
        let mut answers = client
            .live_average(ReceiverStream::new(requests))
            .await
            .expect("LiveAverage")
            .into_inner();
        // One reading at a time: an answer must come before the next is sent.
        for (celsius, average, count) in [(10.0, 10.0, 1), (20.0, 15.0, 2), (0.0, 10.0, 3)] {
            send.send(reading("oslo", celsius)).await.unwrap();
            let answer = answers
                .message()
                .await
                .expect("an answer")
                .expect("not the end");
            assert_eq!(
                (answer.station.as_str(), answer.celsius, answer.count),
                ("oslo", average, count)
            );
        }
        send.send(reading("lima", 7.0)).await.unwrap();
        let lima = answers.message().await.unwrap().unwrap();
        assert_eq!(
            (lima.celsius, lima.count),
            (7.0, 1),
            "averages are per station"
        );
        drop(send);
        assert!(
            answers.message().await.unwrap().is_none(),
            "the stream ends with the client's"
        );
    })
    .await
}

#[tokio::test]
async fn live_average_keeps_a_bounded_number_of_stations() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut client = server.client().await;
        let (send, requests) = mpsc::channel(1);
        let mut answers = client
            .live_average(ReceiverStream::new(requests))
            .await
            .expect("LiveAverage")
            .into_inner();
        for n in 0..MAX_LIVE_STATIONS {
            send.send(reading(&format!("station-{n}"), 1.0))
                .await
                .unwrap();
            let answer = answers.message().await.expect("an answer").expect("more");
            assert_eq!(answer.count, 1);
        }
        // A station already seen is still averaged; one more new name is refused.
        send.send(reading("station-0", 3.0)).await.unwrap();
        let again = answers.message().await.unwrap().unwrap();
        assert_eq!((again.celsius, again.count), (2.0, 2));
        send.send(reading("one-too-many", 1.0)).await.unwrap();
        let refused = answers.message().await.expect_err("a station past the cap");
        assert_eq!(refused.code(), Code::ResourceExhausted, "{refused:?}");
    })
    .await
}

#[tokio::test]
async fn a_listing_stops_at_the_callers_deadline() {
    within(async {
        // 20 readings, 100 ms apart: 2 s in all; the caller allows 350 ms.
        let server = start(Duration::from_millis(100)).await;
        let mut client = server.client().await;
        let mut request = Request::new(list("oslo", 0));
        request.set_timeout(Duration::from_millis(350));
        let began = Instant::now();
        let mut stream = client
            .list_readings(request)
            .await
            .expect("ListReadings")
            .into_inner();
        let mut received = 0;
        let status = loop {
            match stream.message().await {
                Ok(Some(_)) => received += 1,
                Ok(None) => panic!("all {received} readings arrived: the deadline was ignored"),
                Err(status) => break status,
            }
        };
        assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
        assert!(
            received < 20 && began.elapsed() < Duration::from_millis(1500),
            "{received} readings"
        );
    })
    .await
}

#[tokio::test]
async fn the_client_gives_up_at_its_deadline() {
    within(async {
        let slow = start(Duration::from_secs(5)).await;
        let mut client = slow.client().await;
        let began = Instant::now();
        let late = serve::latest_within(&mut client, "oslo", Duration::from_millis(100)).await;
        let status = late.expect_err("a 5 s answer cannot arrive within 100 ms");
        assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
        assert!(
            began.elapsed() < Duration::from_secs(2),
            "gave up after {:?}",
            began.elapsed()
        );

        let fast = start(Duration::ZERO).await;
        let mut client = fast.client().await;
        let reading = serve::latest_within(&mut client, "lima", Duration::from_secs(5)).await;
        assert_eq!(reading.expect("in time").sequence, 5);
    })
    .await
}

#[tokio::test]
async fn calls_without_the_right_token_are_unauthenticated() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut bare = WeatherServiceClient::new(server.channel().await);
        let none = bare.get_latest(latest("oslo")).await.unwrap_err();
        assert_eq!(none.code(), Code::Unauthenticated, "{none:?}");
        let mut wrong = Request::new(latest("oslo"));
        wrong
            .metadata_mut()
            .insert("authorization", "Bearer guess".parse().unwrap());
        let wrong = bare.get_latest(wrong).await.unwrap_err();
        assert_eq!(wrong.code(), Code::Unauthenticated, "{wrong:?}");
        let mut right = Request::new(latest("oslo"));
        right
            .metadata_mut()
            .insert("authorization", format!("Bearer {TOKEN}").parse().unwrap());
        assert!(
            bare.get_latest(right).await.is_ok(),
            "the token is `Bearer <token>`"
        );
    })
    .await
}

#[tokio::test]
async fn the_server_speaks_tls_only() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut tls = server.client().await;
        assert!(
            tls.get_latest(latest("lima")).await.is_ok(),
            "served over TLS"
        );
        let plain = server.url.replace("https://", "http://");
        let channel = Endpoint::from_shared(plain).unwrap().connect_lazy();
        let mut client = WeatherServiceClient::new(channel);
        let mut request = Request::new(latest("oslo"));
        request
            .metadata_mut()
            .insert("authorization", format!("Bearer {TOKEN}").parse().unwrap());
        let reply = client.get_latest(request).await;
        assert!(
            reply.is_err(),
            "a TLS server must not answer plaintext: {reply:?}"
        );
    })
    .await
}

#[tokio::test]
async fn the_client_refuses_to_send_the_token_without_tls() {
    within(async {
        let server = start(Duration::ZERO).await;
        let plain = server.url.replace("https://", "http://");
        let refused = serve::connect(&plain, &server.ca, TOKEN).await;
        let Err(error) = refused else {
            panic!("connect must refuse an http:// address");
        };
        assert!(error.to_string().contains("https://"), "{error}");
    })
    .await
}

#[tokio::test]
async fn a_peer_that_never_finishes_the_tls_handshake_is_dropped() {
    use tokio::io::AsyncReadExt;
    within(async {
        let timeout = Duration::from_millis(100);
        let server = start_with(Duration::ZERO, timeout).await;
        let addr = server.url.trim_start_matches("https://");
        let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
        let connected = Instant::now();
        // Never send a ClientHello: the server must hang up, not wait forever.
        let mut buf = [0u8; 1];
        let read = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buf))
            .await
            .expect("the server kept a silent connection open for 5 s");
        assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
        assert!(connected.elapsed() >= timeout - Duration::from_millis(20));
    })
    .await
}

#[tokio::test]
async fn two_authorization_values_are_unauthenticated() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut bare = WeatherServiceClient::new(server.channel().await);
        let mut twice = Request::new(latest("oslo"));
        let metadata = twice.metadata_mut();
        metadata.append("authorization", format!("Bearer {TOKEN}").parse().unwrap());
        metadata.append("authorization", "Bearer guess".parse().unwrap());
        let refused = bare.get_latest(twice).await.unwrap_err();
        assert_eq!(refused.code(), Code::Unauthenticated, "{refused:?}");
    })
    .await
}

#[tokio::test]
async fn health_says_serving_without_a_token() {
    within(async {
        let server = start(Duration::ZERO).await;
        let mut health = HealthClient::new(server.channel().await);
        for service in [SERVICE_NAME, ""] {
            let reply = health
                .check(HealthCheckRequest {
                    service: service.to_owned(),
                })
                .await
                .unwrap_or_else(|status| panic!("health of {service:?}: {status:?}"));
            assert_eq!(
                reply.into_inner().status(),
                ServingStatus::Serving,
                "{service:?}"
            );
        }
    })
    .await
}
