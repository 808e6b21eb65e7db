//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`);
//! an allowed finding is a `::notice` saying who approved it. Every part
//! from the repository or a pack goes through [`super::escape`].

use std::fmt::Write;

use super::LintReport;
use super::escape::{github_data, github_property};
use crate::findings::{Finding, Severity};

/// Renders one annotation per finding (allowed ones as notices); `col` and
/// `endColumn` only when the finding is on one line.
pub fn render(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let command = match (&f.allowed, f.severity) {
            (Some(_), _) | (None, Severity::Note) => "notice",
            (None, Severity::Error) => "error",
            (None, Severity::Warning) => "warning",
        };
        let mut props = format!(
            "file={},line={}",
            github_property(&f.file),
            f.span.start.line
        );
        if f.span.start.line == f.span.end.line {
            let _ = write!(
                props,
                ",col={},endColumn={}",
                f.span.start.col,
                f.span.end.col.max(f.span.start.col)
            );
        }
        let _ = write!(props, ",endLine={}", f.span.end.line.max(f.span.start.line));
        let allowed = if f.allowed.is_some() {
            " (allowed)"
        } else {
            ""
        };
        let title = match &f.area {
            Some(a) => format!("demarcate {}{allowed}: {} ({})", f.code, a.title, a.owner),
            None => format!("demarcate {}{allowed}", f.code),
        };
        let _ = write!(props, ",title={}", github_property(&title));
        let ask = if f.contacts.is_empty() {
            String::new()
        } else {
            format!(" (ask: {})", f.contacts.join(", "))
        };
        let _ = writeln!(
            out,
            "::{command} {props}::{}",
            github_data(&format!("{}{ask}", message(f)))
        );
    }
    let s = &report.summary;
    let _ = writeln!(out, "demarcate: {}", super::totals_text(s));
    if let Some(notice) = s.notice {
        let _ = writeln!(out, "::warning title=demarcate::{}", github_data(notice));
    }
    out
}

/// The message, and for an allowed finding who approved it and until when.
fn message(f: &Finding) -> String {
    let Some(a) = &f.allowed else {
        return f.message.clone();
    };
    let mut text = format!("{}\nAllowed by {}", f.message, a.by);
    if let Some(r) = &a.r#ref {
        let _ = write!(text, ", ref {r}");
    }
    if let Some(u) = &a.until {
        let _ = write!(text, ", until {u}");
    }
    let _ = write!(text, ": {}", a.reason);
    text
}
