//! Both ends of the wire: a server with TLS, a token check and health; a client
//! with TLS, the token and a deadline.

use std::future::Future;
use std::time::Duration;

use subtle::ConstantTimeEq;
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
    let (reporter, health) = tonic_health::server::health_reporter();
    reporter
        .set_service_status(SERVICE_NAME, ServingStatus::Serving)
        .await;
    let expected = format!("Bearer {}", config.token).into_bytes();
    let check_token = move |request: Request<()>| {
        // Exactly one value, compared in constant time: timing tells nothing.
        let mut presented = request.metadata().get_all("authorization").iter();
        match (presented.next(), presented.next()) {
            (Some(token), None) if bool::from(token.as_bytes().ct_eq(&expected)) => Ok(request),
            _ => Err(Status::unauthenticated("missing or wrong bearer token")),
        }
    };
    let weather = Weather::new(config.store, config.pace);
    Server::builder()
        .tls_config(
            ServerTlsConfig::new()
                .identity(Identity::from_pem(config.cert_pem, config.key_pem))
                .timeout(config.handshake_timeout),
        )?
        .add_service(health)
        .add_service(WeatherServiceServer::with_interceptor(weather, check_token))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await?;
    Ok(())
}

/// Adds `authorization: Bearer <token>` to every call.
#[derive(Debug, Clone)]
pub struct BearerToken {
    header: MetadataValue<Ascii>,
}

impl BearerToken {
    /// The interceptor for `token`; fails if the token cannot be a header value.
    pub fn new(token: &str) -> Result<Self, BoxError> {
        let mut header: MetadataValue<Ascii> = format!("Bearer {token}").parse()?;
        // Never indexed by HPACK, hidden from debug output.
        header.set_sensitive(true);
        Ok(Self { header })
    }
}

impl Interceptor for BearerToken {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request
            .metadata_mut()
            .insert("authorization", self.header.clone());
        Ok(request)
    }
}

/// A client whose every call carries the token.
pub type WeatherClient = WeatherServiceClient<InterceptedService<Channel, BearerToken>>;

/// Connects to `url` (`https://…`) over TLS, trusting the CA `ca_pem` and checking
/// the server's name is [`crate::SERVER_NAME`], and sends `token` with every call.
pub async fn connect(url: &str, ca_pem: &str, token: &str) -> Result<WeatherClient, BoxError> {
    // The token must never travel in plaintext: tonic dials `http://` without TLS.
    if !url
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
    {
        return Err(
            format!("refusing to send the token to {url}: the address must be https://").into(),
        );
    }
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca_pem))
        .domain_name(crate::SERVER_NAME);
    let channel = Endpoint::from_shared(url.to_owned())?
        .tls_config(tls)?
        .connect()
        .await?;
    Ok(WeatherServiceClient::with_interceptor(
        channel,
        BearerToken::new(token)?,
    ))
}

/// The latest reading of `station`, or DEADLINE_EXCEEDED if it takes longer than
/// `deadline` (tonic reports its expired timer as CANCELLED: named here as the
/// gRPC spec does).
pub async fn latest_within(
    client: &mut WeatherClient,
    station: &str,
    deadline: Duration,
) -> Result<Reading, Status> {
    let mut request = Request::new(GetLatestRequest {
        station: station.to_owned(),
    });
    request.set_timeout(deadline);
    match client.get_latest(request).await {
        Ok(response) => Ok(response.into_inner()),
        Err(status)
            if status.code() == Code::Cancelled && status.message() == "Timeout expired" =>
        {
            Err(Status::deadline_exceeded("deadline exceeded"))
        }
        Err(status) => Err(status),
    }
}
