//! Glue, not lesson: what wraps every lesson so it runs the same way, and
//! nothing a reader would write in their own project.
//!
//! The code a tutorial page shows (a lesson's `server.rs` and `client.rs`) is plain
//! tonic, prost, tokio and std, and never names this crate; `scripts/check-listings`
//! fails if a listed region does. Lesson-kit is used only by a lesson's thin
//! `main.rs` and by tests: a lesson implements [`Lesson`] there (how to serve, how
//! to be a client, usually by calling its listings) and calls [`run`]. That gives
//! every lesson the same command line:
//!
//! ```text
//! cargo run -p <lesson>                              # demo: server + client in one process
//! cargo run -p <lesson> -- server [--addr 0.0.0.0:50051] [lesson flags]
//! cargo run -p <lesson> -- client [--addr localhost:50051] [lesson flags]
//! ```
//!
//! Modules, one concept each: [`cli`] (that command line), [`addr`] (default
//! addresses and URL rules), [`clock`] (the tutorial's `HH:MM:SS.ffffff` stamps),
//! [`console`] (where output of lessons not yet converted goes: stdout, or
//! captured by tests), [`logging`] (tracing to stderr), [`shutdown`] (Ctrl-C /
//! SIGTERM and test triggers), [`server`] (binding, announcing, the demo's
//! background server), [`gauge`] (counting calls in progress), [`layer`] (the
//! tower layer that counts them from outside a service), [`lesson`] (the trait
//! and runner), [`testing`] (running a lesson's binary in tests).

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
