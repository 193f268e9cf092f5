//! Chapter 4, security ("安全认证"): channel credentials (TLS) and call credentials
//! (a token, a signature). Each mode's listings are `src/<mode>/{server,client}.rs`;
//! [`mode`] is the glue that runs them.

pub mod certs;
pub mod digest;
pub mod gen_certs;
pub mod mode;
pub mod signature;
pub mod signing;

// Each mode's pair of listings, as plain modules so that `cargo fmt` reaches them.
pub mod tls {
    pub mod client;
    pub mod server;
}
pub mod mtls {
    pub mod client;
    pub mod server;
}
pub mod token_mode {
    pub mod client;
    pub mod server;
}
pub mod combined {
    pub mod client;
    pub mod server;
}
pub mod custom {
    pub mod client;
    pub mod server;
}
