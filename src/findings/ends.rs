//! A change judged at both ends: the setting as it was, classified with the
//! base's model, scope and chart, and the setting as it is, classified with
//! the new ones. The stricter of the two codes wins, and the message says
//! which end decided ("leaves …", "moves out of … scope", "the chart changed
//! from … to …"). A change that no area claims at either end is an
//! `unclassified-change` note, so nothing changed goes unjudged.

use std::sync::Arc;

use super::judge::{self, ChangeInput};
use super::{Code, Finding};
use crate::models::Model;
use crate::packs::Area;
use crate::setting::Setting;

/// Where one end of a change falls: the model that judges its file and the area.
#[derive(Debug, Clone, Copy)]
pub struct Verdict<'a, 'p> {
    /// The model.
    pub model: &'a Model<'p>,
    /// The area of the setting under that model.
    pub area: &'a Area,
}

impl Verdict<'_, '_> {
    /// The code a change in this area calls for.
    pub fn code(&self) -> Option<Code> {
        let (raci, _) = self
            .area
            .resolve(&self.model.deployment, &self.model.options);
        judge::change_code(&raci, self.area.support)
    }

    /// Whether two verdicts name the same area of the same model.
    pub fn same(&self, other: &Verdict<'_, '_>) -> bool {
        std::ptr::eq(self.model.pack, other.model.pack)
            && self.model.deployment == other.model.deployment
            && self.model.options == other.model.options
            && self.area.id == other.area.id
    }
}

/// How strict a code is: lower is stricter; no code is the least strict.
pub fn rank(code: Option<Code>) -> usize {
    const ORDER: [Code; 6] = [
        Code::VendorOwnedChange,
        Code::SharedChange,
        Code::ProviderOwnedChange,
        Code::ConsultVendor,
        Code::InformVendor,
        Code::BestEffortArea,
    ];
    code.and_then(|c| ORDER.iter().position(|o| *o == c))
        .unwrap_or(ORDER.len())
}

/// The stricter of two verdicts of the same end (the first on a tie).
pub fn stricter<'a, 'p>(
    a: Option<Verdict<'a, 'p>>,
    b: Option<Verdict<'a, 'p>>,
) -> Option<Verdict<'a, 'p>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if rank(y.code()) < rank(x.code()) {
            y
        } else {
            x
        }),
        (x, y) => x.or(y),
    }
}

/// A change with the verdicts of both ends.
#[derive(Debug, Clone, Copy)]
pub struct Ends<'a, 'p> {
    /// The change as reported.
    pub change: ChangeInput<'a>,
    /// The setting at the base, and where it was (its repository path).
    pub before: Option<(&'a Setting, &'a str)>,
    /// The setting now.
    pub after: Option<&'a Setting>,
    /// The base end's verdict (`None`: in no area, or absent).
    pub was: Option<Verdict<'a, 'p>>,
    /// The new end's verdict.
    pub is: Option<Verdict<'a, 'p>>,
    /// The model that judges the new end's file (`None`: no model, or deleted).
    pub new_model: Option<&'a Model<'p>>,
    /// Whether a model judges either end's file at all.
    pub modelled: bool,
}

/// The finding for a change judged at both ends, if any.
pub fn finding(e: &Ends<'_, '_>) -> Option<Finding> {
    let code_was = e.was.and_then(|v| v.code());
    let code_is = e.is.and_then(|v| v.code());
    let differ = match (e.was, e.is) {
        (Some(a), Some(b)) => !a.same(&b),
        (None, None) => false,
        _ => e.before.is_some() && e.after.is_some(),
    };
    let mut f = if code_is.is_some() && rank(code_is) <= rank(code_was) {
        let v = e.is?;
        judge::change_finding(v.model, v.area, &e.change)?
    } else if code_was.is_some() {
        let v = e.was?;
        let why = e.after.map(|_| why_before(e, v));
        judge::change_finding_why(v.model, v.area, &e.change, why.as_deref())?
    } else if e.was.is_none() && e.is.is_none() && e.modelled {
        return Some(unclassified(e));
    } else {
        return None;
    };
    if differ {
        f.area_before = Some(e.was.map(|v| v.area.id.clone()));
    }
    Some(f)
}

/// Why the base end decided: the file left the model's scope, the chart
/// changed, the file moved, or the value left the area's pattern.
fn why_before(e: &Ends<'_, '_>, was: Verdict<'_, '_>) -> String {
    let Some((before, base_file)) = e.before else {
        return String::new();
    };
    let new_file: &str = e.change.file;
    let moved = if base_file == new_file {
        String::new()
    } else {
        format!(" (moved from {base_file} to {new_file})")
    };
    let other_model = e.new_model.is_none_or(|m| {
        !std::ptr::eq(m.pack, was.model.pack)
            || m.deployment != was.model.deployment
            || m.options != was.model.options
    });
    let chart_before = before.context.chart.as_deref();
    let chart_after = e.after.and_then(|a| a.context.chart.as_deref());
    let leaves = format!(
        "leaves \"{}\" ({})",
        was.area.title,
        was.model.area_ref(was.area).owner
    );
    if other_model {
        format!(
            "moves out of the {} scope ({}){moved}",
            was.model.pack.name, was.model.deployment
        )
    } else if chart_before != chart_after {
        format!(
            "{leaves}: the chart changed from {} to {}",
            chart_before.unwrap_or("none"),
            chart_after.unwrap_or("none")
        )
    } else {
        format!("{leaves}{moved}")
    }
}

/// A changed setting that no area claims at either end.
fn unclassified(e: &Ends<'_, '_>) -> Finding {
    let c = &e.change;
    let what = match c.kind {
        super::ChangeKind::Added => "added",
        super::ChangeKind::Modified => "changed",
        super::ChangeKind::Removed => "removed",
    };
    let mut f = Finding::at(
        Code::UnclassifiedChange,
        Arc::clone(c.file),
        c.at,
        format!(
            "`{}` {what}, and no area of the model claims it at either end of the change: \
             nothing judged it. If it is the vendor's, add a matcher to the pack.",
            c.setting.path
        ),
    );
    f.setting = Some(c.setting.path.clone());
    f.format = Some(c.setting.format);
    f.change = Some(c.kind);
    f.before = c.before.map(ToString::to_string);
    f.after = c.after.map(ToString::to_string);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_the_documented_order() {
        let order = [
            Some(Code::VendorOwnedChange),
            Some(Code::SharedChange),
            Some(Code::ProviderOwnedChange),
            Some(Code::ConsultVendor),
            Some(Code::InformVendor),
            Some(Code::BestEffortArea),
            None,
        ];
        for w in order.windows(2) {
            assert!(rank(w[0]) < rank(w[1]), "{w:?}");
        }
    }
}
