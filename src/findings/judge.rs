//! From a classified setting (and, in base or staged mode, its change) to a
//! finding: which code the responsibility model calls for, and a message that
//! names the area, the owner, the deployment, each party's duties and how to
//! record an approval.

use std::sync::Arc;

use super::{AreaRef, ChangeKind, Code, Finding};
use crate::models::Model;
use crate::packs::{Area, Duties, Raci, Role, Support};
use crate::setting::{Setting, SettingRef, Span, Value};

/// What changed about a setting.
#[derive(Debug, Clone, Copy)]
pub struct ChangeInput<'a> {
    /// Added, modified or removed.
    pub kind: ChangeKind,
    /// The setting as it is now (added, modified), or as it was (removed).
    pub setting: &'a Setting,
    /// The value at the base revision.
    pub before: Option<&'a Value>,
    /// The value now.
    pub after: Option<&'a Value>,
    /// Where to report it (for removed settings, the nearest surviving parent).
    pub at: Span,
    /// The file it is reported in.
    pub file: &'a Arc<str>,
}

/// The code a change in an area calls for, if any: the vendor alone, the
/// vendor with others, the provider, then consulted/informed, then best effort.
pub fn change_code(raci: &Raci, support: Support) -> Option<Code> {
    let r = &raci.responsible;
    let vendor = r.contains(&Role::Vendor);
    if vendor && r.len() == 1 {
        Some(Code::VendorOwnedChange)
    } else if vendor {
        Some(Code::SharedChange)
    } else if r.contains(&Role::Provider) {
        Some(Code::ProviderOwnedChange)
    } else if raci.consulted.contains(&Role::Vendor) {
        Some(Code::ConsultVendor)
    } else if raci.informed.contains(&Role::Vendor) {
        Some(Code::InformVendor)
    } else if support == Support::BestEffort {
        Some(Code::BestEffortArea)
    } else {
        None
    }
}

/// The finding for a change in a classified area, if the model calls for one.
pub fn change_finding(model: &Model<'_>, area: &Area, c: &ChangeInput<'_>) -> Option<Finding> {
    change_finding_why(model, area, c, None)
}

/// As [`change_finding`], with what took the setting out of the area (or
/// into it) said after the subject: "leaves …", "moves out of …".
pub fn change_finding_why(
    model: &Model<'_>,
    area: &Area,
    c: &ChangeInput<'_>,
    why: Option<&str>,
) -> Option<Finding> {
    let (raci, duties) = area.resolve(&model.deployment, &model.options);
    let code = change_code(&raci, area.support)?;
    let same = c.kind == ChangeKind::Modified && c.before == c.after;
    let subject = match c.kind {
        ChangeKind::Modified if same => {
            format!("`{}` is unchanged ({})", c.setting.path, shown(c.after))
        }
        ChangeKind::Added => format!("`{}` added ({})", c.setting.path, shown(c.after)),
        ChangeKind::Modified => format!(
            "`{}` changed from {} to {}",
            c.setting.path,
            shown(c.before),
            shown(c.after)
        ),
        ChangeKind::Removed => format!("`{}` removed (was {})", c.setting.path, shown(c.before)),
    };
    let subject = match why {
        Some(why) if same => format!("{subject}, but {why}"),
        Some(why) => format!("{subject}; it {why}"),
        None => subject,
    };
    let message = format!("{subject}. {}", explain(model, area, &raci, &duties, code));
    let mut f = Finding::at(code, Arc::clone(c.file), c.at, message);
    f.setting = Some(c.setting.path.clone());
    f.format = Some(c.setting.format);
    f.change = Some(c.kind);
    f.before = c.before.map(ToString::to_string);
    f.after = c.after.map(ToString::to_string);
    f.area = Some(std::sync::Arc::new(model.area_ref(area)));
    Some(f)
}

/// Tree mode: what a note says after the key path of a setting in `area`,
/// or `None` when the area is not the vendor's alone (no note).
pub fn tree_note_text(model: &Model<'_>, area: &Area) -> Option<String> {
    let (raci, duties) = area.resolve(&model.deployment, &model.options);
    if change_code(&raci, area.support) != Some(Code::VendorOwnedChange) {
        return None;
    }
    let text = format!(
        "is in \"{}\", owned by {} under {} ({}). {}",
        area.title,
        model.pack.owner_names(&raci.responsible),
        deployment_name(model),
        model.deployment,
        duties_text(model, &raci, &duties)
    );
    Some(text.trim_end().to_string())
}

/// Tree mode: the note for a setting in an area only the vendor is
/// responsible for, with the area's [`tree_note_text`] and reference.
pub fn tree_note(s: &SettingRef<'_>, text: &str, area: &Arc<AreaRef>) -> Finding {
    let mut f = Finding::at(
        Code::VendorOwnedSetting,
        Arc::clone(s.file),
        s.span,
        format!("`{}` {text}", s.path),
    );
    f.setting = Some(s.path.to_string());
    f.format = Some(s.format);
    f.after = (!s.is_block()).then(|| s.value.to_string());
    f.area = Some(Arc::clone(area));
    f
}

pub(crate) fn deployment_name<'m>(model: &'m Model<'_>) -> &'m str {
    model
        .pack
        .deployment(&model.deployment)
        .map_or(model.deployment.as_str(), |d| d.name.as_str())
}

/// A value for a message: quoted and shortened (as written: each reporter
/// escapes what its format cannot carry).
fn shown(v: Option<&Value>) -> String {
    match v {
        None => "nothing".to_string(),
        Some(v) if v.is_block() => v.to_string(),
        Some(v) => {
            let text = v.to_string();
            let cut: String = text.chars().take(60).collect();
            if cut.len() < text.len() {
                format!("`{cut}…`")
            } else {
                format!("`{text}`")
            }
        }
    }
}

/// What each party must do, in the pack's words: only parties with a RACI
/// role in this cell (a duty of a party the deployment gives no role is
/// not theirs here).
fn duties_text(model: &Model<'_>, raci: &Raci, duties: &Duties) -> String {
    let parts: Vec<String> = duties
        .iter()
        .filter(|(role, list)| !list.is_empty() && !raci.held_by(**role).is_empty())
        .map(|(role, list)| {
            format!(
                "{}: {}.",
                model.pack.owner_names(&[*role]),
                list.join("; ").trim_end_matches('.')
            )
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("Duties — {}", parts.join(" "))
    }
}

/// The sentence about ownership, duties and approval for a code.
fn explain(model: &Model<'_>, area: &Area, raci: &Raci, duties: &Duties, code: Code) -> String {
    let owner = model.pack.owner_names(&raci.responsible);
    let vendor = model.pack.owner_names(&[Role::Vendor]);
    let under = format!("under {} ({})", deployment_name(model), model.deployment);
    let title = &area.title;
    let lead = match code {
        Code::VendorOwnedChange => format!("\"{title}\" is owned by {owner} alone {under}."),
        Code::SharedChange => format!("\"{title}\" is shared by {owner} {under}."),
        Code::ProviderOwnedChange => {
            format!("\"{title}\" is the responsibility of {owner} {under}.")
        }
        Code::ConsultVendor => {
            format!("\"{title}\" is {owner}'s {under}, and {vendor} is to be consulted.")
        }
        Code::InformVendor => {
            format!("\"{title}\" is {owner}'s {under}, and {vendor} is to be informed.")
        }
        _ => format!(
            "\"{title}\" is {owner}'s {under}; {vendor} supports it on a best-effort basis only."
        ),
    };
    let approval = match code.default_severity() {
        super::Severity::Note => String::new(),
        _ => format!(
            " To accept the change, record the approval: `# demarcate:allow {} ref=<ticket> -- <reason>` on or above the line, or a waiver in .demarcate.yaml.",
            area.id
        ),
    };
    let duties = duties_text(model, raci, duties);
    let duties = if duties.is_empty() {
        duties
    } else {
        format!(" {duties}")
    };
    format!("{lead}{duties}{approval}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raci(r: &[Role], c: &[Role], i: &[Role]) -> Raci {
        Raci {
            responsible: r.to_vec(),
            accountable: r.to_vec(),
            consulted: c.to_vec(),
            informed: i.to_vec(),
        }
    }

    #[test]
    fn codes_follow_the_model() {
        use Role::*;
        let full = Support::Full;
        assert_eq!(
            change_code(&raci(&[Vendor], &[], &[]), full),
            Some(Code::VendorOwnedChange)
        );
        assert_eq!(
            change_code(&raci(&[Vendor, Customer], &[], &[]), full),
            Some(Code::SharedChange)
        );
        assert_eq!(
            change_code(&raci(&[Provider], &[], &[]), full),
            Some(Code::ProviderOwnedChange)
        );
        assert_eq!(
            change_code(&raci(&[Provider, Customer], &[], &[]), full),
            Some(Code::ProviderOwnedChange)
        );
        assert_eq!(
            change_code(&raci(&[Customer], &[Vendor], &[]), full),
            Some(Code::ConsultVendor)
        );
        assert_eq!(
            change_code(&raci(&[Customer], &[], &[Vendor]), full),
            Some(Code::InformVendor)
        );
        assert_eq!(
            change_code(&raci(&[Customer], &[], &[]), Support::BestEffort),
            Some(Code::BestEffortArea)
        );
        assert_eq!(change_code(&raci(&[Customer], &[], &[]), full), None);
    }
}
