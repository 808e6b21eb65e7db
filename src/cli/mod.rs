//! Command-line interface: arguments (clap) and the dispatch to one module
//! per command. Each command builds on [`crate::scan`] and hands its results
//! to [`crate::report`]. The only module that knows clap (ARCHITECTURE.md
//! section 2).

pub mod classify;
mod dispatch;
mod edge;
pub mod explain;
pub mod init;
pub mod lint;
pub mod packs;
pub mod report;
pub mod vendors;

pub use dispatch::run;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit status of a run: 0 clean, 1 findings at or above `--fail-on`, 2 usage,
/// configuration or git errors (returned as `Err`).
pub type Status = u8;

/// demarcate: checks infrastructure changes against vendors' shared-responsibility models.
#[derive(Debug, Parser)]
#[command(name = "demarcate", version, about, max_term_width = 100)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the tree, or the changes since a base revision or in the index.
    Lint(LintArgs),
    /// List every setting with its area and responsible parties.
    Classify(ClassifyArgs),
    /// Explain the setting(s) at FILE[:LINE], or a finding code.
    Explain(ExplainArgs),
    /// Show the built-in responsibility models.
    Vendors(VendorsArgs),
    /// Write a .demarcate.yaml after looking at the repository.
    Init(InitArgs),
    /// Work with rule packs: `packs test` runs their examples.
    Packs(PacksArgs),
    /// Report who owns what in the whole repository (HTML, Markdown or JSON).
    Report(ReportArgs),
}

/// Which responsibility model applies (overrides .demarcate.yaml).
#[derive(Debug, Clone, Default, Args)]
pub struct ModelArgs {
    /// Configuration file (default: the nearest .demarcate.yaml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Vendor id, e.g. stackit-edge-cloud.
    #[arg(long, value_name = "ID")]
    pub vendor: Option<String>,
    /// Deployment id, e.g. onprem-vm.
    #[arg(long, value_name = "ID")]
    pub deployment: Option<String>,
    /// Model option, e.g. extended-support=true or tier=premium (repeatable).
    #[arg(long = "option", value_name = "K=V")]
    pub options: Vec<String>,
}

/// Output formats of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// Readable report with snippets.
    Human,
    /// One JSON object (the documented contract).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub workflow commands (annotations).
    Github,
    /// Markdown summary for a pull request or job summary.
    Markdown,
}

/// The lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Errors fail.
    Error,
    /// Warnings and errors fail.
    Warning,
    /// Any finding fails.
    Note,
    /// Nothing fails.
    Never,
}

/// Arguments of `lint`.
#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Files or folders to check (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Report changes since the merge-base of REV and HEAD.
    #[arg(long, value_name = "REV", conflicts_with = "staged")]
    pub base: Option<String>,
    /// Compare the merge-base with the commit REV2 instead of the work tree
    /// (no work tree or index is read; for pull requests).
    #[arg(
        long,
        value_name = "REV2",
        requires = "base",
        conflicts_with = "staged"
    )]
    pub head: Option<String>,
    /// Report changes staged in the index (for pre-commit hooks).
    #[arg(long)]
    pub staged: bool,
    /// Vendor, deployment, options and configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: LintFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
}

/// Output formats of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClassifyFormat {
    /// Aligned text, one setting a line.
    Human,
    /// One JSON object (the documented contract).
    Json,
    /// Comma-separated values with a header.
    Csv,
}

/// Arguments of `classify`.
#[derive(Debug, Clone, Args)]
pub struct ClassifyArgs {
    /// Files or folders to classify (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Show only settings changed since the merge-base of REV and HEAD.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Compare the merge-base with the commit REV2 instead of the work tree.
    #[arg(long, value_name = "REV2", requires = "base")]
    pub head: Option<String>,
    /// Vendor, deployment, options and configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ClassifyFormat,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest severity of a problem (parse error, file not read) that makes the exit status 1.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
}

/// Output formats of `vendors` and `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    /// Readable text.
    Human,
    /// JSON.
    Json,
}

/// Arguments of `explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// FILE or FILE:LINE.
    #[arg(required_unless_present = "code")]
    pub target: Option<String>,
    /// Explain a finding code instead (e.g. vendor-owned-change).
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
    /// Vendor, deployment, options and configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: TextFormat,
}

/// Arguments of `vendors`.
#[derive(Debug, Clone, Args)]
pub struct VendorsArgs {
    /// Show one vendor only.
    pub id: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: TextFormat,
}

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page (works offline, prints well).
    Html,
    /// Markdown for a wiki page or a pull request comment.
    Markdown,
    /// One JSON object (the documented contract).
    Json,
}

/// Arguments of `report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Files or folders to report on (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Vendor, deployment, options and configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Repository to look at (default: the current directory).
    pub path: Option<PathBuf>,
    /// Overwrite an existing .demarcate.yaml.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `packs`.
#[derive(Debug, Clone, Args)]
pub struct PacksArgs {
    /// What to do with the packs.
    #[command(subcommand)]
    pub command: PacksCommand,
}

/// The `packs` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum PacksCommand {
    /// Run the examples of packs: built-in ids or pack files (default: every built-in pack).
    Test(PacksTestArgs),
}

/// Arguments of `packs test`.
#[derive(Debug, Clone, Args)]
pub struct PacksTestArgs {
    /// Built-in pack ids or pack files.
    #[arg(value_name = "PACK")]
    pub packs: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: TextFormat,
}
