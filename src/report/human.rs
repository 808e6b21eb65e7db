//! Readable report for a terminal: one miette block per finding with the
//! snippet, a label on the setting (`before → after` for changes), the
//! message and what to do; then a summary line per party and severity.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report};

use super::escape::human as esc;
use super::snippet::{SafeText, Snippet};
use super::{LintReport, SourceText};
use crate::findings::{ChangeKind, Code, Finding, Severity};
use crate::source::Source;

/// Lines longer than this (in bytes) are not shown in snippets.
const MAX_SNIPPET_LINE: usize = 1000;

/// `file:line:col: severity[code]`, the start of a finding's terminal line.
pub(super) fn heading(f: &Finding) -> String {
    format!(
        "{}:{}:{}: {}[{}]",
        esc(&f.file),
        f.span.start.line,
        f.span.start.col,
        f.severity,
        f.code
    )
}

/// Renders findings with snippets; vendor-owned settings (tree mode) and
/// allowed findings as one line each; `color` only for a terminal.
pub fn render(report: &LintReport, sources: &dyn SourceText, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    let mut cache: BTreeMap<String, Option<Arc<SafeText>>> = BTreeMap::new();
    for f in &report.findings {
        out.push_str(&heading(f));
        // Tree mode can list thousands of vendor-owned settings: one line each.
        if f.code == Code::VendorOwnedSetting || f.allowed.is_some() {
            one_line(f, &mut out);
            continue;
        }
        out.push('\n');
        let src = cache
            .entry(f.file.to_string())
            .or_insert_with(|| {
                sources
                    .text(&f.file)
                    .map(|t| Arc::new(SafeText::new(Source::new(t))))
            })
            .clone()
            // Very long lines make unreadable snippets (and miette's columns overflow).
            .filter(|src| {
                src.shown.line(f.span.start.line).len() <= MAX_SNIPPET_LINE
                    && src.shown.line(f.span.end.line).len() <= MAX_SNIPPET_LINE
            });
        let diag = diagnostic(f, src.as_deref());
        let report = match src {
            Some(src) => Report::new(diag)
                .with_source_code(Snippet::new(esc(&f.file), Arc::clone(&src.shown))),
            None => Report::new(diag),
        };
        let _ = handler.render_report(&mut out, report.as_ref());
        out.push('\n');
    }
    summary(report, &mut out);
    out
}

/// A note or an allowed finding: the setting, its area and owner, and who allowed it.
fn one_line(f: &Finding, out: &mut String) {
    if let Some(s) = &f.setting {
        let _ = write!(out, " {}", esc(s));
    }
    if let Some(a) = &f.area {
        let _ = write!(out, " — {} ({})", esc(&a.title), esc(&a.owner));
    }
    match &f.allowed {
        Some(a) => {
            let _ = write!(out, " — allowed by {}: {}", esc(&a.by), esc(&a.reason));
        }
        None if f.area.is_none() => {
            let _ = write!(out, " — {}", esc(&f.message));
        }
        None => {}
    }
    if !f.contacts.is_empty() {
        let _ = write!(out, " — ask: {}", ask(f));
    }
    out.push('\n');
}

/// The contacts of a finding, escaped for the terminal.
fn ask(f: &Finding) -> String {
    esc(&f.contacts.join(", ")).into_owned()
}

fn diagnostic(f: &Finding, src: Option<&SafeText>) -> MietteDiagnostic {
    let severity = match f.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    };
    // The code is in our own header line, with exact character columns.
    let mut d = MietteDiagnostic::new(esc(&f.message).into_owned()).with_severity(severity);
    if let Some(src) = src {
        let start = src.shown.byte_of_pos(src.pos(f.span.start));
        let end = src.shown.byte_of_pos(src.pos(f.span.end)).max(start);
        let p = |v: &str| esc(v).into_owned();
        let label = match (
            f.change,
            f.before.as_deref().map(p),
            f.after.as_deref().map(p),
        ) {
            (Some(ChangeKind::Modified), Some(b), Some(a)) => format!("{b} → {a}"),
            (Some(ChangeKind::Added), _, Some(a)) => format!("added: {a}"),
            (Some(ChangeKind::Removed), Some(b), _) => {
                format!(
                    "removed here: {} (was {b})",
                    esc(f.setting.as_deref().unwrap_or_default())
                )
            }
            _ => f
                .setting
                .as_deref()
                .map_or_else(|| f.code.to_string(), |s| esc(s).into_owned()),
        };
        d = d.with_label(LabeledSpan::at(start..end, label));
    }
    if let Some(a) = &f.allowed {
        let by_ref = a
            .r#ref
            .as_ref()
            .map(|r| format!(" ({})", esc(r)))
            .unwrap_or_default();
        d = d.with_help(format!(
            "allowed by {}{by_ref}: {}",
            esc(&a.by),
            esc(&a.reason)
        ));
    } else if !f.contacts.is_empty() {
        d = d.with_help(format!("ask: {}", ask(f)));
    }
    d
}

/// One line per party (owner) and a total line.
fn summary(report: &LintReport, out: &mut String) {
    for (owner, c) in super::tally::by_owner(&report.findings, "no area") {
        let _ = writeln!(
            out,
            "{}: {} errors, {} warnings, {} notes, {} allowed",
            esc(owner),
            c.errors,
            c.warnings,
            c.notes,
            c.allowed
        );
    }
    let s = &report.summary;
    let _ = writeln!(out, "{}", super::totals_text(s));
    if let Some(notice) = s.notice {
        let _ = writeln!(out, "{notice}");
    }
}
