//! Who the caller is, from its mTLS client certificate, already verified by the
//! TLS handshake: the principal a policy's `source.principals` match.
//!
//! As in A43 and grpc-go, the certificate's URI SANs (SPIFFE IDs) come first, then
//! its DNS SANs, then its subject. This lesson names the caller by the first of
//! those the certificate has (grpc-go tries each); a TLS caller without a
//! certificate is the principal `""`, and a plaintext caller is anonymous.

use tonic::Status;
use tonic::transport::server::{TcpConnectInfo, TlsConnectInfo};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use crate::layer::Identify;

/// Names callers by their client certificate.
#[derive(Debug, Clone, Copy, Default)]
pub struct PeerCertificate;

impl Identify for PeerCertificate {
    fn identify<B>(&self, request: &http::Request<B>) -> Result<Option<String>, Status> {
        // tonic puts the connection's facts in every request's extensions.
        let Some(tls) = request.extensions().get::<TlsConnectInfo<TcpConnectInfo>>() else {
            return Ok(None);
        };
        let Some(leaf) = tls.peer_certs().and_then(|certs| certs.first().cloned()) else {
            return Ok(Some(String::new()));
        };
        let unreadable = || Status::unauthenticated("unreadable client certificate");
        let (_, cert) = X509Certificate::from_der(&leaf).map_err(|_| unreadable())?;
        let sans: Vec<GeneralName> = match cert.subject_alternative_name() {
            Ok(Some(extension)) => extension.value.general_names.clone(),
            Ok(None) => Vec::new(),
            Err(_) => return Err(unreadable()),
        };
        let uri = sans.iter().find_map(|name| match name {
            GeneralName::URI(uri) => Some(uri.to_string()),
            _ => None,
        });
        let dns = || {
            sans.iter().find_map(|name| match name {
                GeneralName::DNSName(dns) => Some(dns.to_string()),
                _ => None,
            })
        };
        Ok(Some(
            uri.or_else(dns)
                .unwrap_or_else(|| cert.subject().to_string()),
        ))
    }
}
