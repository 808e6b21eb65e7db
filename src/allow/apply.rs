//! Applying allowances to findings: accepted findings get `allowed`; expired,
//! unknown-target and unused allowances become findings of their own.
//!
//! Inline allowances are settled file by file (their file's settings are at
//! hand while it is read); waivers from the configuration are settled once,
//! over every finding, with evidence gathered per file.

use std::collections::HashSet;
use std::sync::Arc;

use super::bind::{Terms, covers, policy_problem};
use super::{Allowance, allowed};
use crate::findings::{Code, Finding};

/// A setting known to this run, for deciding whether an allowance is unused.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    /// Repository-relative file.
    pub file: &'a str,
    /// Line the setting starts on.
    pub line: u32,
    /// Key path.
    pub path: &'a str,
    /// Area id, if classified.
    pub area: Option<&'a str>,
}

/// What an allowance may name: area ids of the packs in use and finding codes.
fn known(target: &str, areas: &HashSet<&str>) -> bool {
    Code::parse(target).is_some() || areas.contains(target)
}

/// Splits allowances into valid ones (with their index in `allowances`) and
/// `allowance-invalid` findings for unknown targets and broken policy.
fn validate<'a>(
    allowances: &'a [Allowance],
    areas: &HashSet<&str>,
    terms: &Terms,
    out: &mut Vec<Finding>,
) -> (Vec<&'a Allowance>, Vec<usize>) {
    let mut valid = Vec::new();
    let mut index = Vec::new();
    for (i, a) in allowances.iter().enumerate() {
        let problem = match a.targets.iter().find(|t| !known(t, areas)) {
            Some(t) => Some(format!(
                "`{t}` is neither an area of the vendor's model nor a finding code"
            )),
            None => policy_problem(a, terms),
        };
        match problem {
            Some(message) => out.push(Finding::at(
                Code::AllowanceInvalid,
                Arc::clone(&a.file),
                a.at,
                message,
            )),
            None => {
                valid.push(a);
                index.push(i);
            }
        }
    }
    (valid, index)
}

/// Marks the findings each allowance accepts; returns which allowances
/// reached a finding. A finding an allowance reaches but may not accept
/// (see [`covers`]) keeps a note saying so.
fn accept(findings: &mut [Finding], valid: &[&Allowance], today: &str) -> Vec<bool> {
    let mut used = vec![false; valid.len()];
    for f in findings.iter_mut() {
        if f.allowed.is_some()
            || matches!(
                f.code,
                Code::AllowanceExpired | Code::AllowanceInvalid | Code::AllowanceUnused
            )
        {
            continue;
        }
        let area = f.area.as_ref().map(|a| a.id.as_str());
        let mut refused = Vec::new();
        for (i, a) in valid.iter().enumerate() {
            let names = a
                .targets
                .iter()
                .any(|t| Some(t.as_str()) == area || t == f.code.as_str());
            if names && a.reaches(&f.file, f.span.start.line, f.setting.as_deref()) {
                used[i] = true;
                if a.expired(today) {
                    continue;
                }
                match covers(a, f) {
                    Ok(()) => {
                        f.allowed = Some(allowed(a));
                        break;
                    }
                    Err(note) => refused.push(note),
                }
            }
        }
        if f.allowed.is_none() && !refused.is_empty() {
            f.message = format!("{} ({})", f.message, refused.join("; "));
        }
    }
    used
}

/// Whether a setting is one an allowance names and reaches.
fn evidence(a: &Allowance, s: &Located<'_>) -> bool {
    a.targets.iter().any(|t| Some(t.as_str()) == s.area) && a.reaches(s.file, s.line, Some(s.path))
}

/// Findings for expired allowances, and for unused ones when `unused` says so.
fn settle(
    valid: &[&Allowance],
    used: &[bool],
    unused: impl Fn(usize) -> bool,
    today: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, a) in valid.iter().enumerate() {
        let targets = a.targets.join(",");
        if a.expired(today) {
            let until = a.until.as_deref().unwrap_or_default();
            out.push(Finding::at(
                Code::AllowanceExpired,
                Arc::clone(&a.file),
                a.at,
                format!(
                    "the allowance for `{targets}` expired on {until}; the findings it accepted are reported again. Renew the approval or remove it"
                ),
            ));
        } else if !used[i] && unused(i) {
            out.push(Finding::at(
                Code::AllowanceUnused,
                Arc::clone(&a.file),
                a.at,
                format!("the allowance for `{targets}` matches no setting or finding; remove it"),
            ));
        }
    }
    out
}

/// Settles the inline allowances of one file against that file's findings
/// and settings; returns the findings about the allowances.
pub fn apply_inline(
    findings: &mut [Finding],
    allowances: &[Allowance],
    settings: &[Located<'_>],
    areas: &HashSet<&str>,
    terms: &Terms,
) -> Vec<Finding> {
    let today = terms.today.as_str();
    let mut out = Vec::new();
    let (valid, _) = validate(allowances, areas, terms, &mut out);
    let used = accept(findings, &valid, today);
    let unused = |i: usize| {
        let a = valid[i];
        !settings.iter().any(|s| evidence(a, s))
            && !findings.iter().any(|f| {
                a.targets.iter().any(|t| t == f.code.as_str())
                    && a.reaches(&f.file, f.span.start.line, f.setting.as_deref())
            })
    };
    out.extend(settle(&valid, &used, unused, today));
    out
}

/// For each waiver, whether some of `settings` is in its area and reach
/// (collected per file, then combined with `or`).
pub fn waiver_evidence(waivers: &[Allowance], settings: &[Located<'_>]) -> Vec<bool> {
    waivers
        .iter()
        .map(|w| settings.iter().any(|s| evidence(w, s)))
        .collect()
}

/// Settles the configuration's waivers over every finding of the run.
/// `evidence` (from [`waiver_evidence`] over every file) is `None` when the
/// run did not read the whole repository: unused waivers are then not reported.
pub fn apply_waivers(
    findings: &mut [Finding],
    waivers: &[Allowance],
    evidence: Option<&[bool]>,
    areas: &HashSet<&str>,
    terms: &Terms,
) -> Vec<Finding> {
    let today = terms.today.as_str();
    let mut out = Vec::new();
    let (valid, index) = validate(waivers, areas, terms, &mut out);
    let used = accept(findings, &valid, today);
    let unused = |i: usize| {
        evidence.is_some_and(|e| !e.get(index[i]).copied().unwrap_or(false))
            && !findings.iter().any(|f| {
                valid[i].targets.iter().any(|t| t == f.code.as_str())
                    && valid[i].reaches(&f.file, f.span.start.line, f.setting.as_deref())
            })
    };
    out.extend(settle(&valid, &used, unused, today));
    out
}
