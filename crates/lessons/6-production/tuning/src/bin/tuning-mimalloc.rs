//! The tuning server with mimalloc instead of the system allocator: the whole
//! step is the two lines of the `allocator` region (`mimalloc` in `[dependencies]`).

// ANCHOR: allocator
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
// ANCHOR_END: allocator

fn main() -> std::process::ExitCode {
    tuning::cli::main()
}
