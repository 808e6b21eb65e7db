//! Tree mode (no base revision): notes for settings in areas only the vendor
//! is responsible for. Shared by `lint` and `report` (which settles
//! allowances the way `lint` does).

use super::{Finding, judge};
use crate::classify::Match;
use crate::models::AreaRefs;
use crate::models::Models;
use crate::packs::Role;
use crate::setting::Setting;

/// Notes for the settings of one file (with their matches, under the model
/// at `model`) that are in areas only the vendor is responsible for.
pub fn notes(
    settings: &[Setting],
    matches: &[Option<Match>],
    model: Option<usize>,
    models: &Models<'_>,
    areas: &AreaRefs,
) -> Vec<Finding> {
    let Some(m_model) = model.and_then(|m| models.model(m)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, (s, m)) in settings.iter().zip(matches).enumerate() {
        let Some(m) = m else { continue };
        // Only areas the vendor alone is responsible for (resolved once per run).
        if areas
            .get(model, Some(*m))
            .is_none_or(|a| a.responsible != [Role::Vendor])
        {
            continue;
        }
        // Report leaves, and blocks only when empty (their leaves stand for them).
        let has_child = settings
            .get(i + 1)
            .is_some_and(|next| is_child(&s.path, &next.path));
        if s.is_block() && has_child {
            continue;
        }
        out.extend(judge::tree_finding(m_model, &m_model.pack.areas[m.area], s));
    }
    out
}

/// Whether `child` is a key path below `parent`.
fn is_child(parent: &str, child: &str) -> bool {
    child
        .strip_prefix(parent)
        .is_some_and(|rest| rest.starts_with(['.', '[', ':']))
}
