//! Default addresses, the tutorial's, and how a client address becomes a URL.

use std::net::SocketAddr;

/// Where servers listen by default: every interface, port 50051, as the tutorial's
/// `add_insecure_port("0.0.0.0:50051")`.
pub const DEFAULT_SERVER_ADDR: &str = "0.0.0.0:50051";

/// Where clients connect by default, as the tutorial's `insecure_channel("localhost:50051")`.
///
/// No scheme: [`client_url`] adds `http://` or `https://` to suit the lesson, so a
/// TLS lesson's default never dials plaintext.
pub const DEFAULT_CLIENT_ADDR: &str = "localhost:50051";

/// Turns what a user typed into a URL tonic can dial.
///
/// Python's grpcio takes `host:port`; tonic wants a URI with a scheme. Accept both,
/// adding `http://` (or `https://` for TLS lessons) when the scheme is missing.
pub fn client_url(addr: &str, tls: bool) -> String {
    if addr.contains("://") {
        addr.to_owned()
    } else if tls {
        format!("https://{addr}")
    } else {
        format!("http://{addr}")
    }
}

/// The URL a client on this machine uses to reach a server bound to `local`.
///
/// A server bound to `0.0.0.0` (every interface) is reached through loopback.
pub fn url_for_local(local: SocketAddr, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    let host = if local.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        local.ip().to_string()
    };
    match local {
        SocketAddr::V6(_) if !local.ip().is_unspecified() => {
            format!("{scheme}://[{host}]:{}", local.port())
        }
        _ => format!("{scheme}://{host}:{}", local.port()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_scheme_only_when_missing() {
        assert_eq!(
            client_url("localhost:50051", false),
            "http://localhost:50051"
        );
        assert_eq!(
            client_url("localhost:50051", true),
            "https://localhost:50051"
        );
        assert_eq!(client_url("http://[::1]:1", true), "http://[::1]:1");
        assert_eq!(
            client_url(DEFAULT_CLIENT_ADDR, true),
            "https://localhost:50051"
        );
    }

    #[test]
    fn local_urls_use_loopback_for_unspecified_binds() {
        assert_eq!(
            url_for_local("0.0.0.0:7".parse().unwrap(), false),
            "http://127.0.0.1:7"
        );
        assert_eq!(
            url_for_local("[::1]:7".parse().unwrap(), true),
            "https://[::1]:7"
        );
    }
}
