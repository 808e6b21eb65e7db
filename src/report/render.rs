//! The choice of reporter for a lint report. Apart from `mod.rs` (the
//! report types every reporter reads), so that the reporters and those
//! types do not import each other.

use super::{LintFormat, LintReport, SourceText};
use super::{github, human, json, markdown, sarif};

/// Renders a lint report.
pub fn render_lint(
    format: LintFormat,
    report: &LintReport,
    sources: &dyn SourceText,
    color: bool,
) -> anyhow::Result<String> {
    match format {
        LintFormat::Human => Ok(human::render(report, sources, color)),
        LintFormat::Json => json::render(report),
        LintFormat::Sarif => sarif::render(report),
        LintFormat::Github => Ok(github::render(report)),
        LintFormat::Markdown => Ok(markdown::render(report, &markdown::Links::from_env())),
    }
}
