//! Everything the lessons have in common, so each lesson's code is only its lesson.
//!
//! A lesson implements [`Lesson`] (how to serve, how to be a client) and its
//! `main.rs` calls [`run`]. That gives every lesson the same command line:
//!
//! ```text
//! cargo run -p <lesson>                              # demo: server + client in one process
//! cargo run -p <lesson> -- server [--addr 0.0.0.0:50051] [lesson flags]
//! cargo run -p <lesson> -- client [--addr localhost:50051] [lesson flags]
//! ```
//!
//! Modules, one concept each: [`cli`] (that command line), [`addr`] (default
//! addresses and URL rules), [`clock`] (the tutorial's `HH:MM:SS.ffffff` stamps),
//! [`console`] (where lesson output goes: stdout, or captured by tests),
//! [`logging`] (tracing to stderr), [`shutdown`] (Ctrl-C / SIGTERM and test triggers),
//! [`server`] (binding, announcing and serving), [`gauge`] (counting calls in
//! progress), [`layer`] (the tower layer that counts them from outside a service), [`lesson`] (the trait and runner), [`testing`] (running a lesson's binary in tests).

pub mod addr;
pub mod cli;
pub mod clock;
pub mod console;
pub mod gauge;
pub mod layer;
pub mod lesson;
pub mod logging;
pub mod server;
pub mod shutdown;
pub mod testing;

pub use console::Console;
pub use gauge::InFlight;
pub use layer::InFlightLayer;
pub use lesson::{Lesson, run};
pub use server::RunningServer;
pub use shutdown::ShutdownSignal;
