//! Applying allowances to findings: accepted findings get `allowed`; expired,
//! unknown-target and unused allowances become findings of their own.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{Allowance, Reach, allowed};
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

/// Applies allowances to `findings` and returns the findings about the
/// allowances. `settings` are the settings whose files were read in full
/// (`complete` when that is the whole repository), `areas` the area ids of
/// the packs in use, `today` a `YYYY-MM-DD` date.
pub fn apply(
    findings: &mut [Finding],
    allowances: &[Allowance],
    settings: &[Located<'_>],
    complete: bool,
    areas: &HashSet<&str>,
    today: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut valid: Vec<&Allowance> = Vec::new();
    for a in allowances {
        match a.targets.iter().find(|t| !known(t, areas)) {
            Some(t) => out.push(Finding::at(
                Code::AllowanceInvalid,
                Arc::clone(&a.file),
                a.at,
                format!("`{t}` is neither an area of the vendor's model nor a finding code"),
            )),
            None => valid.push(a),
        }
    }
    let mut used = vec![false; valid.len()];
    for f in findings.iter_mut() {
        if matches!(
            f.code,
            Code::AllowanceExpired | Code::AllowanceInvalid | Code::AllowanceUnused
        ) {
            continue;
        }
        let area = f.area.as_ref().map(|a| a.id.as_str());
        for (i, a) in valid.iter().enumerate() {
            let names = a
                .targets
                .iter()
                .any(|t| Some(t.as_str()) == area || t == f.code.as_str());
            if names && a.reaches(&f.file, f.span.start.line, f.setting.as_deref()) {
                used[i] = true;
                if !a.expired(today) {
                    f.allowed = Some(allowed(a));
                    break;
                }
            }
        }
    }
    let mut by_file: HashMap<&str, Vec<&Located<'_>>> = HashMap::new();
    for s in settings {
        by_file.entry(s.file).or_default().push(s);
    }
    for (i, a) in valid.iter().enumerate() {
        if a.expired(today) {
            let until = a.until.as_deref().unwrap_or_default();
            out.push(Finding::at(
                Code::AllowanceExpired,
                Arc::clone(&a.file),
                a.at,
                format!(
                    "the allowance for `{}` expired on {until}; the findings it accepted are reported again. Renew the approval or remove it",
                    a.targets.join(",")
                ),
            ));
            continue;
        }
        if used[i] {
            continue;
        }
        let evaluable =
            complete || matches!(a.reach, Reach::Line(_)) && by_file.contains_key(&*a.file);
        if !evaluable {
            continue;
        }
        let candidates: Vec<&Located<'_>> = match &a.reach {
            Reach::Line(_) => by_file
                .get(&*a.file)
                .map(|v| v.to_vec())
                .unwrap_or_default(),
            Reach::Waiver { .. } => settings.iter().collect(),
        };
        let matched = candidates.iter().any(|s| {
            a.reaches(s.file, s.line, Some(s.path))
                && a.targets.iter().any(|t| Some(t.as_str()) == s.area)
        }) || findings.iter().any(|f| {
            a.targets.iter().any(|t| t == f.code.as_str())
                && a.reaches(&f.file, f.span.start.line, f.setting.as_deref())
        });
        if !matched {
            out.push(Finding::at(
                Code::AllowanceUnused,
                Arc::clone(&a.file),
                a.at,
                format!(
                    "the allowance for `{}` matches no setting or finding; remove it",
                    a.targets.join(",")
                ),
            ));
        }
    }
    out
}
