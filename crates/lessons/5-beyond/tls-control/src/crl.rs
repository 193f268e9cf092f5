//! Issuing a certificate revocation list (CRL) under a CA whose key you hold.
//!
//! A CRL is a list of serial numbers, signed by the CA that issued them, with
//! the date it was made and the date the next one is due. A server that checks
//! it refuses every client certificate whose serial is listed.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{
    CertificateRevocationListParams, Issuer, KeyIdMethod, KeyPair, RevocationReason,
    RevokedCertParams, SerialNumber,
};
use x509_parser::pem::parse_x509_pem;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// How long a CRL says it stays current (its `nextUpdate`).
pub const CRL_VALIDITY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The serial number of the PEM certificate `cert_pem`, as its bytes.
pub fn serial_of(cert_pem: &str) -> Result<Vec<u8>, Error> {
    let (_, pem) = parse_x509_pem(cert_pem.as_bytes())?;
    Ok(pem.parse_x509()?.raw_serial().to_vec())
}

/// A CRL, PEM-encoded, revoking `serials`, signed with the CA in `ca_cert_pem` /
/// `ca_key_pem`; `number` must grow with every CRL the CA issues.
pub fn issue_crl(
    ca_cert_pem: &str,
    ca_key_pem: &str,
    serials: &[Vec<u8>],
    number: u64,
) -> Result<String, Error> {
    let issuer = Issuer::from_ca_cert_pem(ca_cert_pem, KeyPair::from_pem(ca_key_pem)?)?;
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH)?;
    let now = rcgen::date_time_ymd(1970, 1, 1) + since_epoch;
    let revoked_certs = serials
        .iter()
        .map(|serial| RevokedCertParams {
            serial_number: SerialNumber::from_slice(serial),
            revocation_time: now,
            reason_code: Some(RevocationReason::KeyCompromise),
            invalidity_date: None,
        })
        .collect();
    let params = CertificateRevocationListParams {
        this_update: now,
        next_update: now + CRL_VALIDITY,
        crl_number: SerialNumber::from(number),
        issuing_distribution_point: None,
        revoked_certs,
        key_identifier_method: KeyIdMethod::Sha256,
    };
    Ok(params.signed_by(&issuer)?.pem()?)
}
