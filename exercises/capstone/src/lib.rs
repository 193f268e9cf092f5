//! The capstone: a weather-station service, RouteGuide-sized, that puts the whole
//! book to work: all four call shapes, deadlines, rich errors, token auth over TLS
//! and health checking.
//!
//! You write two files:
//! - `src/service.rs`: the four handlers of `WeatherService` (proto/weather.proto);
//! - `src/serve.rs`: the server (TLS, the token check, health) and the client
//!   (TLS, the token, a deadline).
//!
//! The rest is given: the generated code ([`pb`]), the stations' data ([`store`])
//! and reading a caller's deadline ([`deadline`]). `tests/capstone.rs` is the
//! contract; `cargo run -p workshop -- verify` runs it. The design is explained in
//! the book's "Capstone" page (docs/src/workshop/capstone.md).

// Unsolved holes leave parameters and imports unused; that is the point, not a bug.
#![cfg_attr(not(feature = "solutions"), allow(unused))]

pub mod deadline;
pub mod store;

#[cfg_attr(feature = "solutions", path = "../solution/service.rs")]
pub mod service;

#[cfg_attr(feature = "solutions", path = "../solution/serve.rs")]
pub mod serve;

/// The code generated from `proto/weather.proto`.
pub mod pb {
    tonic::include_proto!("workshop.capstone.v1");
}

/// The name the server's certificate is issued for: clients check it, whatever
/// address they dial.
pub const SERVER_NAME: &str = "localhost";
