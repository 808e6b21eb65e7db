//! `--format markdown`: a summary for a pull request or `$GITHUB_STEP_SUMMARY`:
//! counts by party and severity, the changed settings in vendor-owned or
//! shared areas with links, and what to do next.

use std::fmt::Write;

use super::LintReport;
use super::escape::{markdown_code as code, markdown_text as cell};
use crate::findings::{ChangeKind, Code, Finding, Severity};

/// Where file links point: `https://github.com/OWNER/REPO/blob/SHA/` or none.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Prefix for `file#Lline` links.
    pub base: Option<String>,
}

impl Links {
    /// Links from the environment GitHub Actions sets (`GITHUB_SERVER_URL`,
    /// `GITHUB_REPOSITORY`, and the pull request head or `GITHUB_SHA`).
    pub fn from_env() -> Links {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let base = match (
            get("GITHUB_REPOSITORY"),
            get("DEMARCATE_HEAD_SHA").or_else(|| get("GITHUB_SHA")),
        ) {
            (Some(repo), Some(sha)) => {
                let server =
                    get("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".to_string());
                Some(format!("{server}/{repo}/blob/{sha}/"))
            }
            _ => None,
        };
        Links { base }
    }

    fn link(&self, f: &Finding) -> String {
        let label = code(&format!("{}:{}", f.file, f.span.start.line));
        match &self.base {
            Some(base) => format!(
                "[{label}]({base}{}#L{})",
                super::url_path(&f.file),
                f.span.start.line
            ),
            None => label,
        }
    }
}

/// The contacts of a finding as code spans (no mention, link or markup is rendered).
fn ask(f: &Finding) -> String {
    f.contacts
        .iter()
        .map(|c| code(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows shown per table; a job summary is limited to 1 MiB.
pub const MAX_ROWS: usize = 200;

/// Most bytes of the summary before rows are left out (GitHub refuses a job
/// summary over 1 MiB; the closing sections fit in the rest).
pub const MAX_BYTES: usize = 900 * 1024;

/// A line about rows left out (over [`MAX_ROWS`] or [`MAX_BYTES`]).
fn more(out: &mut String, total: usize, shown: usize) {
    if total > shown {
        let _ = writeln!(
            out,
            "\n… and {} more findings left out of this summary; the annotations and the SARIF upload list them all.",
            total - shown
        );
    }
}

/// Renders the summary.
pub fn render(report: &LintReport, links: &Links) -> String {
    let mut out = String::from("## demarcate\n\n");
    model(&mut out, report);
    verdict(&mut out, report);
    owners(&mut out, report);
    let changes: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.code,
                Code::VendorOwnedChange | Code::SharedChange | Code::ProviderOwnedChange
            )
        })
        .collect();
    changed_settings(&mut out, &changes, links);
    other_problems(&mut out, report, &changes, links);
    next_steps(&mut out, report);
    out
}

/// The model and deployment the findings were judged by, or a notice that none is configured.
fn model(out: &mut String, report: &LintReport) {
    match (&report.vendor, &report.deployment) {
        (Some(v), Some(d)) => {
            let options: Vec<String> = report
                .options
                .iter()
                .map(|(k, v)| format!("{}={}", cell(k), cell(v)))
                .collect();
            let options = if options.is_empty() {
                String::new()
            } else {
                format!(", options {}", options.join(", "))
            };
            let _ = writeln!(
                out,
                "Model: **{}**, deployment **{}**{options}.\n",
                cell(v),
                cell(d)
            );
        }
        _ => {
            out.push_str("No responsibility model configured.\n\n");
            if let Some(notice) = report.summary.notice {
                let _ = writeln!(out, "> ⚠️ {notice}\n");
            }
        }
    }
}

/// The verdict and the totals.
fn verdict(out: &mut String, report: &LintReport) {
    let s = &report.summary;
    let verdict = if s.errors > 0 {
        "❌ changes need attention"
    } else {
        "✅ no blocking findings"
    };
    let _ = writeln!(
        out,
        "{verdict}: {} errors, {} warnings, {} notes, {} allowed ({} files, {} settings{}).\n",
        s.errors,
        s.warnings,
        s.notes,
        s.allowed,
        s.files,
        s.settings,
        super::unclassified_text(s)
    );
}

/// The counts by responsible party, when there are findings.
fn owners(out: &mut String, report: &LintReport) {
    let owners = super::tally::by_owner(&report.findings, "(no area)");
    if owners.is_empty() {
        return;
    }
    out.push_str(
        "| responsible party | errors | warnings | notes | allowed |\n|---|---:|---:|---:|---:|\n",
    );
    for (owner, c) in &owners {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(owner),
            c.errors,
            c.warnings,
            c.notes,
            c.allowed
        );
    }
    out.push('\n');
}

/// The table of changed settings outside the customer's sole responsibility.
fn changed_settings(out: &mut String, changes: &[&Finding], links: &Links) {
    if changes.is_empty() {
        return;
    }
    out.push_str("### Changed settings outside the customer's sole responsibility\n\n");
    out.push_str(
        "| where | setting | change | area | owner | who to ask | status |\n|---|---|---|---|---|---|---|\n",
    );
    let mut shown = 0;
    for f in changes.iter().take(MAX_ROWS) {
        if out.len() > MAX_BYTES {
            break;
        }
        shown += 1;
        let area = f.area.as_ref();
        let status = match &f.allowed {
            Some(a) => format!("allowed by {} ({})", code(&a.by), cell(&a.reason)),
            None => f.severity.to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {status} |",
            links.link(f),
            code(f.setting.as_deref().unwrap_or_default()),
            change(f),
            cell(area.map_or("", |a| a.title.as_str())),
            cell(area.map_or("", |a| a.owner.as_str())),
            ask(f),
        );
    }
    more(out, changes.len(), shown);
    out.push('\n');
}

/// What a change did to a setting, its values as code spans.
fn change(f: &Finding) -> String {
    match (f.change, &f.before, &f.after) {
        (Some(ChangeKind::Modified), Some(b), Some(a)) => {
            format!("{} → {}", code(b), code(a))
        }
        (Some(ChangeKind::Added), _, Some(a)) => format!("added {}", code(a)),
        (Some(ChangeKind::Removed), Some(b), _) => format!("removed {}", code(b)),
        (Some(k), _, _) => format!("{k:?}").to_lowercase(),
        _ => String::new(),
    }
}

/// The list of other warnings and errors not allowed (not in the changes table).
fn other_problems(out: &mut String, report: &LintReport, changes: &[&Finding], links: &Links) {
    let others: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| {
            f.allowed.is_none()
                && f.severity > Severity::Note
                && !changes.iter().any(|c| std::ptr::eq(*c, *f))
        })
        .collect();
    if others.is_empty() {
        return;
    }
    out.push_str("### Other problems\n\n");
    let count = others.len();
    let mut shown = 0;
    for f in others.into_iter().take(MAX_ROWS) {
        if out.len() > MAX_BYTES {
            break;
        }
        shown += 1;
        let who = if f.contacts.is_empty() {
            String::new()
        } else {
            format!(" (ask: {})", ask(f))
        };
        let _ = writeln!(
            out,
            "- {} **{}**: {}{who}",
            links.link(f),
            f.code,
            cell(&f.message)
        );
    }
    more(out, count, shown);
    out.push('\n');
}

/// What to do next: nothing, or how to look into and settle the findings.
fn next_steps(out: &mut String, report: &LintReport) {
    let s = &report.summary;
    out.push_str("### What to do next\n\n");
    if s.errors + s.warnings == 0 {
        out.push_str("Nothing to do: no change touches an area another party owns.\n");
    } else {
        out.push_str(
            "- Run `demarcate explain FILE:LINE` for the area, each party's duties and the rule that decided.\n\
             - Coordinate changes to vendor-owned areas with the vendor before merging.\n\
             - Record an approval next to the setting: `# demarcate:allow AREA ref=TICKET until=YYYY-MM-DD -- reason`, or as a waiver in `.demarcate.yaml`.\n",
        );
    }
}
