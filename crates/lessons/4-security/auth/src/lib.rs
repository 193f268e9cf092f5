//! Chapter 4, security: the tutorial's "安全认证" chapter, written in full.
//!
//! gRPC has two kinds of credentials. *Channel credentials* secure the connection
//! (TLS: the server proves who it is, and with mutual TLS the client too) and are
//! checked once, in the handshake. *Call credentials* ride on every call as metadata
//! (a bearer token, a signature) and are checked per call. Each mode shows one:
//!
//! | mode | channel credentials | call credentials | module |
//! |---|---|---|---|
//! | `tls` | server certificate | none | [`tls`] |
//! | `mtls` | server and client certificates | none | [`mtls`] |
//! | `token` | none (plaintext) | bearer token | [`token_mode`] |
//! | `combined` | server certificate | bearer token | [`combined`] |
//! | `custom` | none, or TLS with `--certs` | HMAC signature | [`custom`] |
//!
//! The modules form one-way layers; each uses only those above it in this list
//! (`scripts/check-module-cycles` checks it, for every crate):
//!
//! 1. primitives: [`certs`] (generating a CA and certificates), [`pem`] (loading
//!    them with clear errors), [`greeter`] (the one v1 service), [`signing`] and
//!    [`replay`] (the custom scheme's parts);
//! 2. credentials: [`layer`] (the server's per-call check, for signatures), [`token`] (bearer
//!    tokens and their flags), [`signature`] (the signature check),
//!    [`credentials`] (the client's per-call metadata);
//! 3. [`transport`]: serving and calling with a set of credentials;
//! 4. modes: [`mode`] (what a mode is, its command line through lesson-kit's
//!    parser, and the demo), then [`tls`], [`mtls`], [`token_mode`], [`combined`]
//!    and [`custom`].

#![warn(missing_docs)]

pub mod certs;
pub mod combined;
pub mod credentials;
pub mod custom;
pub mod digest;
pub mod greeter;
pub mod layer;
pub mod mode;
pub mod mtls;
pub mod pem;
pub mod replay;
pub mod signature;
pub mod signing;
pub mod tls;
pub mod token;
pub mod token_mode;
pub mod transport;
