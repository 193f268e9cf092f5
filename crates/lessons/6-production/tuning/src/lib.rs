//! Running it for real: the async-unary listing made faster, one measured step at a
//! time. [`server`] is the listing the tuning page shows; [`cli`] is the glue that
//! turns each step into a flag, so `scripts/bench --only steps` can measure every
//! step against the others in one run.

pub mod cli;
pub mod server;
