//! The `demarcate` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: measured faster than the system allocator for the many small
/// allocations of parsing, most of all with parallel parsing (see README).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = demarcate::cli::Cli::parse();
    match demarcate::cli::run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(err) => {
            demarcate::report::error(&err);
            ExitCode::from(2)
        }
    }
}
