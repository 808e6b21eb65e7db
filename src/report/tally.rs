//! The per-owner tally shown by the human and Markdown reports: for each
//! responsible party, how many findings are errors, warnings, notes, or
//! allowed.

use std::collections::BTreeMap;

use crate::findings::{Finding, Severity};

/// The findings of one owner, by outcome (allowed findings count only as allowed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OwnerCounts {
    /// Unallowed errors.
    pub errors: usize,
    /// Unallowed warnings.
    pub warnings: usize,
    /// Unallowed notes.
    pub notes: usize,
    /// Findings an allowance accepted.
    pub allowed: usize,
}

/// The counts per owner of the findings' areas, in the order of the owner
/// labels; findings without an area count under `no_area` (each report
/// words it its own way).
pub fn by_owner<'a>(findings: &'a [Finding], no_area: &'a str) -> Vec<(&'a str, OwnerCounts)> {
    let mut owners: BTreeMap<&str, OwnerCounts> = BTreeMap::new();
    for f in findings {
        let owner = f.area.as_ref().map_or(no_area, |a| a.owner.as_str());
        let counts = owners.entry(owner).or_default();
        match (f.allowed.is_some(), f.severity) {
            (true, _) => counts.allowed += 1,
            (false, Severity::Error) => counts.errors += 1,
            (false, Severity::Warning) => counts.warnings += 1,
            (false, Severity::Note) => counts.notes += 1,
        }
    }
    owners.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Allowed, AreaRef, Code};
    use crate::setting::{Pos, Span};

    fn finding(code: Code, owner: Option<&str>, allowed: bool) -> Finding {
        let pos = Pos::new(1, 1);
        let mut f = Finding::at(code, "a.yaml".into(), Span::new(pos, pos), "m");
        f.area = owner.map(|o| {
            std::sync::Arc::new(AreaRef {
                id: "area".into(),
                title: "Area".into(),
                responsible: Vec::new(),
                accountable: Vec::new(),
                consulted: Vec::new(),
                informed: Vec::new(),
                owner: o.into(),
            })
        });
        f.allowed = allowed.then(|| Allowed {
            by: "a.yaml:1".into(),
            reason: "ok".into(),
            r#ref: None,
            until: None,
            waiver: false,
        });
        f
    }

    #[test]
    fn counts_each_owner_by_outcome_and_allowed_apart() {
        let findings = [
            finding(Code::VendorOwnedChange, Some("vendor"), false),
            finding(Code::VendorOwnedChange, Some("vendor"), true),
            finding(Code::SharedChange, Some("vendor"), false),
            finding(Code::UnclassifiedChange, None, false),
            finding(Code::ProviderOwnedChange, Some("provider"), false),
        ];
        let counts = |errors, warnings, notes, allowed| OwnerCounts {
            errors,
            warnings,
            notes,
            allowed,
        };
        assert_eq!(
            by_owner(&findings, "(none)"),
            [
                ("(none)", counts(0, 0, 1, 0)),
                ("provider", counts(0, 1, 0, 0)),
                ("vendor", counts(1, 1, 0, 1)),
            ]
        );
    }
}
