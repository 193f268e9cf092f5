//! Chapter 4, security ("安全认证"): channel credentials (TLS) and call credentials
//! (a token, a signature). Each mode's listings are `src/<mode>/{server,client}.rs`;
//! [`mode`] is the glue that runs them.

pub mod certs;
pub mod digest;
pub mod gen_certs;
pub mod mode;
pub mod signature;
pub mod signing;

/// Declares each mode's pair of listings, `src/<mode>/server.rs` and `client.rs`.
macro_rules! listings {
    ($($mode:ident),*) => { $(pub mod $mode { pub mod client; pub mod server; })* };
}
listings!(tls, mtls, token_mode, combined, custom);
