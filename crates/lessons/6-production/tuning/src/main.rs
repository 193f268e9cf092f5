//! `cargo run -p tuning [-- server|client] [flags]`: see [`tuning::cli`].

fn main() -> std::process::ExitCode {
    tuning::cli::main()
}
