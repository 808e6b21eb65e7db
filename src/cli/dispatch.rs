//! The dispatch of a parsed command line to its command's module. Apart
//! from `mod.rs` (the clap types every command module reads), so that the
//! command modules and the types do not import each other.

use super::{Cli, Command, Status};
use super::{classify, explain, init, lint, packs, report, vendors};

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Classify(args) => classify::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Vendors(args) => vendors::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Packs(args) => packs::run(&args),
        Command::Report(args) => report::run(&args),
    }
}
