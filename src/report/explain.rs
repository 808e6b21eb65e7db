//! Output of `explain`: a setting with its area, the RACI of the deployment,
//! the duties, the vendor's row, and the rule that decided.

use std::fmt::Write;

use serde::Serialize;

use super::escape::human as esc;
use super::format::TextFormat;
use super::json::JsonFinding;
use crate::explain::Explanation;
use crate::findings::{Code, Finding};
use crate::models::{Model, Models};
use crate::packs::{Role, Support};

mod explained;

pub use explained::{AreaExplained, Explained, RuleRef};

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

/// Renders what `explain` found in a file, under the file's model.
pub fn render_explanation(found: &Explanation, models: &Models<'_>, format: TextFormat) -> String {
    let file = &found.file;
    let model = file.model.and_then(|m| models.model(m));
    let explained: Vec<Explained<'_>> = found
        .shown
        .iter()
        .map(|&i| Explained::new(&file.settings[i], file.matches[i], model))
        .collect();
    let shown = match found.absent {
        Some(line) => Shown::Nothing {
            file: &file.rel,
            line,
            nearest: &explained,
        },
        None => Shown::Settings(&explained),
    };
    render(&shown, &found.problems, model, format)
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
        return json(
            items,
            absent.map(|(_, line)| line),
            nearest,
            problems,
            model,
        );
    }
    let mut out = String::new();
    model_line(&mut out, model);
    if let Some((file, line)) = absent {
        no_setting(&mut out, file, line, nearest);
    }
    for e in items {
        setting(&mut out, e, model);
    }
    for p in problems {
        let _ = writeln!(out, "{}: {}", super::human::heading(p), esc(&p.message));
    }
    out
}

/// `--format json`: the settings (or the line asked for and the nearest ones) and the problems.
fn json(
    items: &[Explained<'_>],
    no_setting_at: Option<u32>,
    nearest: &[Explained<'_>],
    problems: &[Finding],
    model: Option<&Model<'_>>,
) -> String {
    let out = JsonExplain {
        vendor: model.map(|m| m.pack.id.as_str()),
        deployment: model.map(|m| m.deployment.as_str()),
        settings: items,
        no_setting_at,
        nearest,
        problems: problems.iter().map(JsonFinding::new).collect(),
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

/// The model the settings are explained under.
fn model_line(out: &mut String, model: Option<&Model<'_>>) {
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
}

/// No setting on the line asked for, and the nearest ones.
fn no_setting(out: &mut String, file: &str, line: u32, nearest: &[Explained<'_>]) {
    let _ = writeln!(out, "\nno setting at {}:{line}", esc(file));
    if !nearest.is_empty() {
        out.push_str("nearest settings:\n");
    }
    for e in nearest {
        let _ = writeln!(
            out,
            "  {}:{}:{}  {}  {}",
            esc(e.file),
            e.line,
            e.column,
            e.format,
            esc(e.setting)
        );
    }
}

/// One setting: its place and value, its area, and the rule that decided.
fn setting(out: &mut String, e: &Explained<'_>, model: Option<&Model<'_>>) {
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
        return;
    };
    area(out, a, model);
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

/// An area: title, owner, the vendor's row, the RACI and each party's duties.
fn area(out: &mut String, a: &AreaExplained<'_>, model: Option<&Model<'_>>) {
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
