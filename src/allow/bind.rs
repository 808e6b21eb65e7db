//! Approvals bound to what they approve. In a change (`--base`, `--staged`)
//! an inline allowance that was already in the base revision, unchanged,
//! approved the value it was written for, not whatever the line holds now:
//! it covers a change only when the allowance itself is added or changed in
//! the same change, or when it names the approved value (`value=…`, and
//! `value:` in a waiver), checked against the new value. An allowance also
//! holds for at most `allowances.max_days` days, and may be required to
//! name a reference (`allowances.require_ref`).

use std::collections::HashSet;

use super::dates::day_number;
use super::{Allowance, MARKER, Reach, comment_key};
use crate::config::AllowancePolicy;
use crate::findings::Finding;

/// The date and policy every allowance of a run is judged with.
#[derive(Debug, Clone)]
pub struct Terms {
    /// Today (UTC), `YYYY-MM-DD`.
    pub today: String,
    /// The configured rules.
    pub policy: AllowancePolicy,
}

impl Terms {
    /// Terms for today under `policy`.
    pub fn new(policy: AllowancePolicy) -> Terms {
        Terms {
            today: super::today(),
            policy,
        }
    }
}

/// The allowance comments of a file's base text (`None`: the file is new).
pub fn base_comments(base: Option<&[u8]>) -> HashSet<String> {
    let Some(base) = base.filter(|b| memchr::memmem::find(b, MARKER.as_bytes()).is_some()) else {
        return HashSet::new();
    };
    String::from_utf8_lossy(base)
        .lines()
        .filter_map(comment_key)
        .map(str::to_string)
        .collect()
}

/// Marks the inline allowances of a file's new text that are carried over
/// unchanged from its base text (`keys` from [`base_comments`]). Only these
/// are bound to the value they approved when they were written.
pub fn mark_carried(allowances: &mut [Allowance], keys: &HashSet<String>) {
    if keys.is_empty() {
        return;
    }
    for a in allowances.iter_mut() {
        if matches!(a.reach, Reach::Line(_)) && keys.contains(a.comment.as_str()) {
            a.carried = true;
        }
    }
}

/// Why an allowance breaks the policy, if it does.
pub(super) fn policy_problem(a: &Allowance, terms: &Terms) -> Option<String> {
    let targets = a.targets.join(",");
    if terms.policy.require_ref && a.r#ref.is_none() {
        return Some(format!(
            "the allowance for `{targets}` needs a reference (`ref=…`, or `ref:` in a waiver): the configuration sets allowances.require_ref"
        ));
    }
    let until = a.until.as_deref()?;
    let (Some(end), Some(now)) = (day_number(until), day_number(&terms.today)) else {
        return None;
    };
    let max = i64::from(terms.policy.max_days);
    (end - now > max).then(|| {
        format!(
            "the allowance for `{targets}` holds until {until}, more than {max} days ahead (allowances.max_days); approve for a shorter time and renew it"
        )
    })
}

/// Whether an allowance that names and reaches a finding may accept it;
/// `Err` holds the note for the finding when it may not.
pub(super) fn covers(a: &Allowance, f: &Finding) -> Result<(), String> {
    let by = a.by();
    if let Some(value) = &a.value {
        if f.after.is_none() && f.change.is_none() {
            return Ok(());
        }
        return if f.after.as_deref().is_some_and(|v| same_value(v, value)) {
            Ok(())
        } else {
            Err(format!(
                "the allowance at {by} approved the value `{value}`, not `{}`",
                f.after.as_deref().unwrap_or("nothing")
            ))
        };
    }
    if a.carried && f.change.is_some() {
        let approved = f.before.as_deref().unwrap_or("nothing");
        return Err(format!(
            "the allowance at {by} was not changed with this change: it approved `{approved}`; update it, or add `value=…` naming the new value, to approve this one"
        ));
    }
    Ok(())
}

/// Whether a value as reported equals the approved one (quotes aside).
fn same_value(shown: &str, approved: &str) -> bool {
    let bare = |s: &str| s.trim().trim_matches(|c| c == '"' || c == '\'').to_string();
    bare(shown) == bare(approved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_compare_without_quotes() {
        assert!(same_value("\"v1.8.0\"", "v1.8.0"));
        assert!(!same_value("v6.6.6", "v1.8.0"));
    }
}
