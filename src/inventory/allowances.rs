//! The allowance and waiver inventory: every inline `demarcate:allow` and
//! every waiver of `.demarcate.yaml`, settled the way `lint` settles them in
//! tree mode (invalid, expired, unused), and `expiring` when its `until` is
//! near.

use std::collections::HashSet;

use serde::Serialize;

use crate::allow::{self, Allowance};
use crate::config::Config;
use crate::findings::{Code, Finding};
use crate::models::AreaRefs;
use crate::models::Models;
use crate::scan::FileScan;

/// Where an allowance stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Accepts findings and is far from its `until`.
    Active,
    /// Its `until` is within the expiring window.
    Expiring,
    /// Past its `until`: it accepts nothing any more.
    Expired,
    /// It matches no setting or finding.
    Unused,
    /// Malformed, or naming an unknown area or code.
    Invalid,
}

impl Status {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Expiring => "expiring",
            Status::Expired => "expired",
            Status::Unused => "unused",
            Status::Invalid => "invalid",
        }
    }
}

/// One allowance or waiver.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AllowanceRow {
    /// File it is written in.
    pub file: String,
    /// Line it is written on.
    pub line: u32,
    /// Area ids or finding codes it accepts.
    pub targets: Vec<String>,
    /// Ticket or change reference.
    #[serde(rename = "ref")]
    pub r#ref: Option<String>,
    /// Last valid day.
    pub until: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// `inline`, or `FILE:LINE` of the waiver in the configuration.
    pub by: String,
    /// Where it stands.
    pub status: Status,
    /// What is wrong with it (invalid, expired, unused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// A waiver's file globs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
}

/// What allowances are settled with.
pub struct Context<'a, 'p> {
    /// The models of the run.
    pub models: &'a Models<'p>,
    /// Their area references.
    pub refs: &'a AreaRefs,
    /// Area ids of the models in use.
    pub areas: &'a HashSet<&'a str>,
    /// Valid waivers of the configuration.
    pub waivers: &'a [Allowance],
    /// Today and the allowance policy.
    pub terms: &'a allow::Terms,
    /// The expiring window in days.
    pub expiring_days: u32,
}

/// One file's allowances settled, and what the waivers need from it.
pub struct Settled {
    /// The file's inline allowances.
    pub rows: Vec<AllowanceRow>,
    /// For each waiver, whether a setting of this file is in its area and reach.
    pub evidence: Vec<bool>,
    /// The file's findings some waiver names and reaches.
    pub for_waivers: Vec<Finding>,
    /// Whether a file problem kept settings from being read.
    pub unread: bool,
}

/// Settles the inline allowances of a file against its findings in tree mode.
pub fn settle_file(file: &FileScan, ctx: &Context<'_, '_>) -> Settled {
    let mut findings = file.problems.clone();
    findings.extend(crate::findings::tree::notes(
        &file.settings,
        &file.matches,
        file.model,
        ctx.models,
        ctx.refs,
    ));
    let located = if file.allowances.is_empty() && ctx.waivers.is_empty() {
        Vec::new()
    } else {
        file.located(ctx.models)
    };
    let about = allow::apply_inline(
        &mut findings,
        &file.allowances,
        &located,
        ctx.areas,
        ctx.terms,
    );
    let mut rows: Vec<AllowanceRow> = file
        .allowances
        .iter()
        .map(|a| row(a, "inline".to_string(), &about, ctx))
        .collect();
    // Malformed comments never became allowances: list them as invalid.
    for p in file
        .problems
        .iter()
        .filter(|p| p.code == Code::AllowanceInvalid)
    {
        rows.push(AllowanceRow {
            file: p.file.to_string(),
            line: p.span.start.line,
            targets: Vec::new(),
            r#ref: None,
            until: None,
            reason: None,
            by: "inline".to_string(),
            status: Status::Invalid,
            problem: Some(p.message.clone()),
            paths: Vec::new(),
        });
    }
    findings.extend(about);
    let for_waivers = findings
        .into_iter()
        .filter(|f| ctx.waivers.iter().any(|w| names(w, f)))
        .collect();
    Settled {
        rows,
        evidence: allow::waiver_evidence(ctx.waivers, &located),
        for_waivers,
        unread: file
            .problems
            .iter()
            .any(|p| matches!(p.code, Code::ParseError | Code::FileSkipped)),
    }
}

/// Whether a waiver names a finding (by area or code) and reaches it.
fn names(w: &Allowance, f: &Finding) -> bool {
    let area = f.area.as_ref().map(|a| a.id.as_str());
    w.targets
        .iter()
        .any(|t| Some(t.as_str()) == area || t == f.code.as_str())
        && w.reaches(&f.file, f.span.start.line, f.setting.as_deref())
}

/// Settles the waivers of the configuration over what every file gave.
pub fn waiver_rows(
    config: &Config,
    ctx: &Context<'_, '_>,
    problems: &[Finding],
    findings: &mut [Finding],
    evidence: &[bool],
) -> Vec<AllowanceRow> {
    let about = allow::apply_waivers(findings, ctx.waivers, Some(evidence), ctx.areas, ctx.terms);
    let mut rows = Vec::new();
    for w in &config.waivers {
        let by = format!("{}:{}", config.file, w.line);
        let invalid = problems.iter().find(|p| p.span.start.line == w.line);
        let valid = ctx.waivers.iter().find(|a| a.at.start.line == w.line);
        let mut r = match (invalid, valid) {
            (None, Some(a)) => row(a, by, &about, ctx),
            (p, _) => AllowanceRow {
                file: config.file.clone(),
                line: w.line,
                targets: w.area.iter().chain(&w.code).cloned().collect(),
                r#ref: w.r#ref.clone(),
                until: w.until.clone(),
                reason: w.reason.clone(),
                by,
                status: Status::Invalid,
                problem: p.map(|p| p.message.clone()),
                paths: Vec::new(),
            },
        };
        r.paths = w.paths.clone();
        rows.push(r);
    }
    rows
}

/// The row of a parsed allowance, its status from the findings `about` allowances.
fn row(a: &Allowance, by: String, about: &[Finding], ctx: &Context<'_, '_>) -> AllowanceRow {
    let said = about
        .iter()
        .find(|f| f.file == a.file && f.span.start == a.at.start);
    let (status, problem) = match said.map(|f| (f.code, f.message.clone())) {
        Some((Code::AllowanceInvalid, m)) => (Status::Invalid, Some(m)),
        Some((Code::AllowanceExpired, m)) => (Status::Expired, Some(m)),
        Some((Code::AllowanceUnused, m)) => (Status::Unused, Some(m)),
        _ if expiring(a.until.as_deref(), &ctx.terms.today, ctx.expiring_days) => {
            (Status::Expiring, None)
        }
        _ => (Status::Active, None),
    };
    AllowanceRow {
        file: a.file.to_string(),
        line: a.at.start.line,
        targets: a.targets.clone(),
        r#ref: a.r#ref.clone(),
        until: a.until.clone(),
        reason: Some(a.reason.clone()),
        by,
        status,
        problem,
        paths: Vec::new(),
    }
}

/// Whether `until` is today or within `days` days after it.
pub fn expiring(until: Option<&str>, today: &str, days: u32) -> bool {
    match (until.and_then(allow::day_number), allow::day_number(today)) {
        (Some(u), Some(t)) => u >= t && u - t <= i64::from(days),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expiring_window() {
        assert!(expiring(Some("2026-01-31"), "2026-01-01", 30));
        assert!(!expiring(Some("2026-02-01"), "2026-01-01", 30));
        assert!(!expiring(Some("2025-12-31"), "2026-01-01", 30));
        assert!(expiring(Some("2026-01-01"), "2026-01-01", 0));
        assert!(!expiring(None, "2026-01-01", 30));
    }
}
