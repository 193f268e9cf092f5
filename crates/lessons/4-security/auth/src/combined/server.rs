//! The `combined` server: the `tls` server with the `token` check in front of the greeter.

use std::error::Error;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::server::Router;
use tonic::transport::{Identity, Server, ServerTlsConfig};

use crate::tls::server::Greeter;
use crate::token_mode::server::check_token;

/// The greeter over TLS (`certs/server.pem` and key), for callers holding `token`.
pub fn router(certs: &Path, token: String) -> Result<Router, Box<dyn Error>> {
    let cert = std::fs::read(certs.join("server.pem"))?;
    let key = std::fs::read(certs.join("server.key"))?;
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(cert, key))
        .timeout(Duration::from_secs(10));
    let greeter = GreeterServiceServer::with_interceptor(Greeter, check_token(token));
    Ok(Server::builder().tls_config(tls)?.add_service(greeter))
}
