//! The tuning server with mimalloc instead of the system allocator: the whole
//! step is the two lines below (`mimalloc` in `[dependencies]`).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tuning::cli::main()
}
