//! YOUR PART 2 of 2: both ends of the wire. Fill in every `todo!()`.
//!
//! A server with TLS, a token check and health; a client
//! with TLS, the token and a deadline.

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{
    Certificate, Channel, ClientTlsConfig, Endpoint, Identity, Server, ServerTlsConfig,
};
use tonic::{Code, Request, Status};
use tonic_health::ServingStatus;

use crate::pb::weather_service_client::WeatherServiceClient;
use crate::pb::weather_service_server::{SERVICE_NAME, WeatherServiceServer};
use crate::pb::{GetLatestRequest, Reading};
use crate::service::Weather;
use crate::store::Store;

/// Any error, for setup code that only reports it.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What the server needs: its identity, the token clients must present, and the
/// service's data and pace.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The server's certificate (PEM), issued for [`crate::SERVER_NAME`].
    pub cert_pem: String,
    /// The certificate's private key (PEM).
    pub key_pem: String,
    /// Clients must send `authorization: Bearer <token>`.
    pub token: String,
    /// The stations' data.
    pub store: Store,
    /// How long serving one reading takes.
    pub pace: Duration,
    /// How long a client may take over the TLS handshake before it is dropped
    /// (without it, a peer that connects and never speaks holds its socket forever).
    pub handshake_timeout: Duration,
}

/// Serves `WeatherService` (token required) and the standard health service (no
/// token: load balancers ask it), over TLS only, on `listener` until `shutdown`.
pub async fn serve(
    listener: TcpListener,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BoxError> {
    // Health first (WeatherService SERVING), then a token check in front of the weather
    // service only (exactly one value, compared in constant time: subtle::ConstantTimeEq),
    // then TLS with the given identity and handshake timeout, then serve until `shutdown`.
    todo!("serve: health, the token check, TLS")
}

/// Adds `authorization: Bearer <token>` to every call.
#[derive(Debug, Clone)]
pub struct BearerToken {
    header: MetadataValue<Ascii>,
}

impl BearerToken {
    /// The interceptor for `token`; fails if the token cannot be a header value.
    pub fn new(token: &str) -> Result<Self, BoxError> {
        // The header value is `Bearer <token>`.
        todo!("BearerToken::new")
    }
}

impl Interceptor for BearerToken {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        // Add the header to the outgoing request's metadata.
        todo!("BearerToken: add the authorization header")
    }
}

/// A client whose every call carries the token.
pub type WeatherClient = WeatherServiceClient<InterceptedService<Channel, BearerToken>>;

/// Connects to `url` (`https://…`) over TLS, trusting the CA `ca_pem` and checking
/// the server's name is [`crate::SERVER_NAME`], and sends `token` with every call.
pub async fn connect(url: &str, ca_pem: &str, token: &str) -> Result<WeatherClient, BoxError> {
    // Refuse any address that is not https:// (the token must never go in plaintext);
    // TLS trusting `ca_pem`, checking the name crate::SERVER_NAME; then a client with
    // a BearerToken interceptor (its header marked sensitive).
    todo!("connect: TLS and the token")
}

/// The latest reading of `station`, or DEADLINE_EXCEEDED if it takes longer than
/// `deadline` (tonic reports its expired timer as CANCELLED: named here as the
/// gRPC spec does).
pub async fn latest_within(
    client: &mut WeatherClient,
    station: &str,
    deadline: Duration,
) -> Result<Reading, Status> {
    // Set the request's deadline; report an expired one as DEADLINE_EXCEEDED.
    todo!("latest_within: a deadline")
}
