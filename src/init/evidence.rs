//! What a vendor's detection rests on ([`VendorEvidence`]), and its wording,
//! shared by the proposed `.demarcate.yaml` ([`super::template`]) and the
//! summary `init` prints (`report::init`).

use std::collections::BTreeMap;

use crate::packs::Pack;

/// Evidence that the repository runs one vendor's product.
#[derive(Debug, Clone)]
pub struct VendorEvidence<'p> {
    /// The pack.
    pub pack: &'p Pack,
    /// Settings that matched a signal rule.
    pub settings: usize,
    /// Signal settings per repository-relative file.
    pub files: BTreeMap<String, usize>,
    /// Signal settings per mark (e.g. `edge.stackit.cloud` → 12).
    pub marks: BTreeMap<String, usize>,
    /// Files without any vendor's signals that the pack has areas for.
    pub coverage: usize,
}

/// `14 settings in 4 files (edge.stackit.cloud 12, edgehostlet 5)`.
pub fn evidence(v: &VendorEvidence<'_>) -> String {
    let mut marks: Vec<(&String, &usize)> = v.marks.iter().collect();
    marks.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let marks: Vec<String> = marks.iter().map(|(m, n)| format!("{m} {n}")).collect();
    format!(
        "{} in {} ({})",
        plural(v.settings, "setting"),
        plural(v.files.len(), "file"),
        marks.join(", ")
    )
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The deployment to propose (the first of the pack; the user confirms it).
pub fn proposed_deployment(pack: &Pack) -> &str {
    pack.deployments.first().map_or("", |d| d.id.as_str())
}
