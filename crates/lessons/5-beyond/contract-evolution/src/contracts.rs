//! The contract's versions, compiled by `build.rs` from `proto/<version>/`.
//!
//! The tutorial's own v1 comes from `helloworld-proto` (`helloworld_proto::v1`);
//! these are what a later server might be built from. All but [`renamed`] keep the
//! package `tutorial.helloworld.v1`, so on the wire they answer v1's method paths.

/// v1 plus a field each way, the `Tone` enum and `SayGoodbye`: additions only.
pub mod v1_1 {
    include!(concat!(env!("OUT_DIR"), "/v1.1/tutorial.helloworld.v1.rs"));
}

/// v1.1 plus the enum value `TONE_CHEERFUL`.
pub mod v1_2 {
    include!(concat!(env!("OUT_DIR"), "/v1.2/tutorial.helloworld.v1.rs"));
}

/// Breaks v1: the request's `name` moved from field 1 to field 2.
pub mod renumbered {
    include!(concat!(
        env!("OUT_DIR"),
        "/renumbered/tutorial.helloworld.v1.rs"
    ));
}

/// Breaks v1: the response's `message` is a `Greeting` message, still field 1.
pub mod retyped {
    include!(concat!(
        env!("OUT_DIR"),
        "/retyped/tutorial.helloworld.v1.rs"
    ));
}

/// Breaks v1: `SayHello` streams its responses.
pub mod streaming {
    include!(concat!(
        env!("OUT_DIR"),
        "/streaming/tutorial.helloworld.v1.rs"
    ));
}

/// Breaks v1: the same service in the package `tutorial.greeter.v1`.
pub mod renamed {
    include!(concat!(env!("OUT_DIR"), "/renamed/tutorial.greeter.v1.rs"));
}
