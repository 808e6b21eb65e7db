//! The output formats each command can render. Plain enums owned by the
//! output layer; the command line maps its own choices onto them
//! (`src/cli/edge.rs`), so nothing below `cli` depends on clap.

/// Output formats of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Output formats of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassifyFormat {
    /// Aligned text, one setting a line.
    Human,
    /// One JSON object (the documented contract).
    Json,
    /// Comma-separated values with a header.
    Csv,
}

/// Output formats of `vendors`, `explain` and `packs test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// Readable text.
    Human,
    /// JSON.
    Json,
}

/// Output formats of `report` (the responsibility inventory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// One self-contained HTML page.
    Html,
    /// Markdown for a wiki page or a pull request comment.
    Markdown,
    /// One JSON object (the documented contract).
    Json,
}
