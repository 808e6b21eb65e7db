//! What `explain` shows of one setting: its place, the area it is in with
//! the RACI and duties of the deployment, and the rule that decided.

use serde::Serialize;

use crate::classify::Match;
use crate::models::Model;
use crate::packs::{Duties, Raci, Support};
use crate::setting::Setting;

/// The rule that classified a setting.
#[derive(Debug, Serialize)]
pub struct RuleRef<'a> {
    /// Pack file and line of the rule.
    pub at: String,
    /// Matcher group.
    pub group: &'a str,
    /// Where the group's names come from.
    pub source: &'a str,
    /// The rule's path glob.
    pub path: &'a str,
}

/// An explained area.
#[derive(Debug, Serialize)]
pub struct AreaExplained<'a> {
    /// Area id.
    pub id: &'a str,
    /// Title as the vendor words it.
    pub title: &'a str,
    /// Row in the vendor's document.
    pub row: &'a str,
    /// Support level.
    pub support: Support,
    /// Responsible parties' names.
    pub owner: String,
    /// RACI for the deployment and options.
    pub raci: Raci,
    /// Duties per role.
    pub duties: Duties,
}

/// One setting, explained.
#[derive(Debug, Serialize)]
pub struct Explained<'a> {
    /// The setting's file.
    pub file: &'a str,
    /// Line.
    pub line: u32,
    /// Column.
    pub column: u32,
    /// Key path.
    pub setting: &'a str,
    /// Format.
    pub format: &'a str,
    /// Value (scalars).
    pub value: Option<&'a str>,
    /// Area, when classified.
    pub area: Option<AreaExplained<'a>>,
    /// Deciding rule.
    pub rule: Option<RuleRef<'a>>,
}

impl<'a> Explained<'a> {
    /// Explains a setting and its match under a model.
    pub fn new(s: &'a Setting, m: Option<Match>, model: Option<&'a Model<'a>>) -> Explained<'a> {
        let decided = model.zip(m);
        Explained {
            file: &s.file,
            line: s.span.start.line,
            column: s.span.start.col,
            setting: &s.path,
            format: s.format.as_str(),
            value: if s.is_block() {
                None
            } else {
                s.value.scalar_text()
            },
            area: decided.map(|(model, m)| {
                let area = &model.pack.areas[m.area];
                let (raci, mut duties) = area.resolve(&model.deployment, &model.options);
                // Duties of a party with no role in this cell are not theirs here.
                duties.retain(|role, _| !raci.held_by(*role).is_empty());
                AreaExplained {
                    id: &area.id,
                    title: &area.title,
                    row: &area.row,
                    support: area.support,
                    owner: model.pack.owner_names(&raci.responsible),
                    raci,
                    duties,
                }
            }),
            rule: decided.map(|(model, m)| {
                let rule = &model.pack.rules[m.rule];
                RuleRef {
                    at: format!("{}:{}", model.pack.origin, rule.line),
                    group: &rule.group,
                    source: &rule.source,
                    path: rule.path.as_str(),
                }
            }),
        }
    }
}
