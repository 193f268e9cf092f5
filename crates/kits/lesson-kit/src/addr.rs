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
///
/// A scheme the user typed is kept as typed, whatever it is (`HTTP://`, `unix:`),
/// even for a TLS lesson: a TLS client must check the result with [`require_https`]
/// before it dials, or tonic would speak plaintext to an `http` URL.
pub fn client_url(addr: &str, tls: bool) -> String {
    if has_scheme(addr) {
        addr.to_owned()
    } else if tls {
        format!("https://{addr}")
    } else {
        format!("http://{addr}")
    }
}

/// Whether `addr` starts with a URL scheme (`http://…`, `unix:/run/s`,
/// `dns:host:port`) rather than being `host:port`.
///
/// `localhost:50051` looks like scheme `localhost` followed by `50051`; a port is
/// all digits, a scheme's remainder is not, which tells the two apart.
pub fn has_scheme(addr: &str) -> bool {
    let Some((scheme, rest)) = addr.split_once(':') else {
        return false;
    };
    let scheme_like = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    scheme_like && !rest.bytes().all(|b| b.is_ascii_digit())
}

/// A URL a TLS client refuses to dial: its scheme is not `https`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotHttps {
    /// The URL as given.
    pub url: String,
}

impl std::fmt::Display for NotHttps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "refusing to dial {}: this client speaks TLS, so the address must be \
             https://host:port or host:port; any other scheme would send the call, and \
             its credentials, unencrypted",
            self.url
        )
    }
}

impl std::error::Error for NotHttps {}

/// Checks that a TLS client's `url` is `https://…` (the scheme compared
/// case-insensitively, as URLs are), before any connection is opened.
///
/// `HTTP://`, `grpc://`, `unix:` and a URL with no scheme at all are refused.
pub fn require_https(url: &str) -> Result<(), NotHttps> {
    match url.split_once("://") {
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => Ok(()),
        _ => Err(NotHttps {
            url: url.to_owned(),
        }),
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
    fn a_typed_scheme_is_kept_even_without_slashes() {
        assert_eq!(client_url("unix:/tmp/s", true), "unix:/tmp/s");
        assert_eq!(client_url("dns:host:1", true), "dns:host:1");
        assert_eq!(client_url("HTTP://h:1", true), "HTTP://h:1");
        assert_eq!(client_url("127.0.0.1:1", true), "https://127.0.0.1:1");
        assert_eq!(client_url("[::1]:1", false), "http://[::1]:1");
    }

    #[test]
    fn tls_clients_accept_only_https_in_any_case() {
        for url in ["https://h:1", "HTTPS://h:1", "Https://[::1]:1"] {
            assert_eq!(require_https(url), Ok(()), "{url}");
        }
        for url in [
            "http://h:1",
            "HTTP://h:1",
            "Http://h:1",
            "grpc://h:1",
            "unix:/tmp/s",
            "unix:///tmp/s",
            "h:1",
            "",
        ] {
            let refused = require_https(url).unwrap_err().to_string();
            assert!(refused.contains("speaks TLS"), "{url}: {refused}");
        }
        // What a TLS lesson builds from anything a user may type is checkable.
        assert!(require_https(&client_url("unix:/tmp/s", true)).is_err());
        assert!(require_https(&client_url("localhost:1", true)).is_ok());
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
