//! Output of `explain`: a setting with its area, the RACI of the deployment,
//! the duties, the vendor's row, and the rule that decided.

use std::fmt::Write;

use serde::Serialize;

use super::escape::human as esc;
use super::format::TextFormat;
use super::json::JsonFinding;
use crate::classify::Match;
use crate::findings::{Code, Finding};
use crate::models::Model;
use crate::packs::{Duties, Raci, Role, Support};
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

#[derive(Serialize)]
struct JsonExplain<'a> {
    vendor: Option<&'a str>,
    deployment: Option<&'a str>,
    settings: &'a [Explained<'a>],
    /// The line asked for, when no setting is written on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    no_setting_at: Option<u32>,
    /// The settings nearest to that line.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    nearest: &'a [Explained<'a>],
    problems: Vec<JsonFinding<'a>>,
}

/// What `explain` shows: the settings at the place asked for, or, when no
/// setting is written on the line asked for, that line and the nearest settings.
pub enum Shown<'a> {
    /// The settings found.
    Settings(&'a [Explained<'a>]),
    /// No setting on this line of this file; the nearest ones.
    Nothing {
        /// The file asked for.
        file: &'a str,
        /// The line asked for.
        line: u32,
        /// The nearest settings, in line order.
        nearest: &'a [Explained<'a>],
    },
}

/// Renders explained settings.
pub fn render(
    shown: &Shown<'_>,
    problems: &[Finding],
    model: Option<&Model<'_>>,
    format: TextFormat,
) -> String {
    let (items, absent, nearest): (&[Explained<'_>], _, &[Explained<'_>]) = match shown {
        Shown::Settings(items) => (items, None, &[]),
        Shown::Nothing {
            file,
            line,
            nearest,
        } => (&[], Some((*file, *line)), nearest),
    };
    if format == TextFormat::Json {
        let out = JsonExplain {
            vendor: model.map(|m| m.pack.id.as_str()),
            deployment: model.map(|m| m.deployment.as_str()),
            settings: items,
            no_setting_at: absent.map(|(_, line)| line),
            nearest,
            problems: problems.iter().map(JsonFinding::new).collect(),
        };
        let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let mut out = String::new();
    match model {
        Some(m) => {
            let _ = writeln!(
                out,
                "model: {} ({}), deployment {}",
                esc(&m.pack.name),
                esc(&m.pack.id),
                esc(&m.deployment)
            );
        }
        None => out.push_str("model: none (set vendor and deployment in .demarcate.yaml or with --vendor/--deployment)\n"),
    }
    if let Some((file, line)) = absent {
        let _ = writeln!(out, "\nno setting at {file}:{line}");
        if !nearest.is_empty() {
            out.push_str("nearest settings:\n");
        }
        for e in nearest {
            let _ = writeln!(
                out,
                "  {}:{}:{}  {}  {}",
                e.file, e.line, e.column, e.format, e.setting
            );
        }
    }
    for e in items {
        let _ = writeln!(
            out,
            "\n{}:{}:{}  {}  {}",
            esc(e.file),
            e.line,
            e.column,
            e.format,
            esc(e.setting)
        );
        if let Some(v) = e.value {
            let _ = writeln!(out, "  value: {}", esc(v));
        }
        let Some(a) = &e.area else {
            out.push_str("  area: none (no rule of the pack matches this setting)\n");
            continue;
        };
        let best = if a.support == Support::BestEffort {
            ", vendor support: best effort"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  area: {} [{}] — owner: {}{best}",
            esc(a.title),
            esc(a.id),
            esc(&a.owner)
        );
        let _ = writeln!(out, "  row: {}", esc(a.row));
        let roles = |rs: &[Role]| rs.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
        let _ = writeln!(
            out,
            "  RACI: responsible [{}], accountable [{}], consulted [{}], informed [{}]",
            roles(&a.raci.responsible),
            roles(&a.raci.accountable),
            roles(&a.raci.consulted),
            roles(&a.raci.informed)
        );
        for (role, duties) in &a.duties {
            let held = a.raci.held_by(*role);
            if held.is_empty() {
                continue;
            }
            let party = m_names(model, *role);
            for d in duties {
                let _ = writeln!(
                    out,
                    "  duty of {} ({}): {}",
                    esc(&party),
                    held.join(", "),
                    esc(d)
                );
            }
        }
        if let Some(r) = &e.rule {
            let _ = writeln!(
                out,
                "  decided by: {} (group {}, path {}; source: {})",
                esc(&r.at),
                esc(r.group),
                esc(r.path),
                esc(r.source)
            );
        }
    }
    for p in problems {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            esc(&p.file),
            p.span.start.line,
            p.span.start.col,
            p.severity,
            p.code,
            esc(&p.message)
        );
    }
    out
}

/// The name of the party playing a role (the role itself without a model).
fn m_names(model: Option<&Model<'_>>, role: Role) -> String {
    model.map_or_else(
        || role.as_str().to_string(),
        |m| m.pack.owner_names(&[role]),
    )
}

/// Renders the explanation of a finding code.
pub fn code(code: Code, format: TextFormat) -> String {
    match format {
        TextFormat::Json => {
            let value = serde_json::json!({
                "code": code.as_str(),
                "severity": code.default_severity().as_str(),
                "explanation": code.explanation(),
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )
        }
        TextFormat::Human => {
            format!(
                "{} (default severity: {})\n\n{}\n",
                code,
                code.default_severity(),
                code.explanation()
            )
        }
    }
}
