//! Readable report for a terminal: one line per finding and a summary.

use std::fmt::Write;

use super::LintReport;

/// Renders findings as `file:line:col: severity[code]: message` lines and a summary.
pub fn render(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let _ = write!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            f.file, f.span.start.line, f.span.start.col, f.severity, f.code, f.message
        );
        if let Some(setting) = &f.setting {
            let _ = write!(out, " ({setting})");
        }
        out.push('\n');
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{} files, {} settings: {} errors, {} warnings, {} notes",
        s.files, s.settings, s.errors, s.warnings, s.notes
    );
    out
}
