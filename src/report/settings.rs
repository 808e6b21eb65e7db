//! Output of `classify`: every setting with its location, format, key path,
//! value, and (when a model applies) area and responsible parties.

use std::fmt::Write;

use serde::Serialize;

use super::json::JsonFinding;
use crate::cli::ClassifyFormat;
use crate::findings::{AreaRef, Finding};
use crate::packs::Role;
use crate::setting::{Context, Format, Setting};

/// One setting and its classification.
#[derive(Debug, Clone)]
pub struct SettingRow<'a> {
    /// The setting.
    pub setting: &'a Setting,
    /// Its area, if a matcher claimed it.
    pub area: Option<AreaRef>,
}

#[derive(Serialize)]
struct JsonSetting<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    setting: &'a str,
    format: Format,
    kind: &'static str,
    value: Option<&'a str>,
    context: &'a Context,
    area: Option<&'a str>,
    area_title: Option<&'a str>,
    responsible: &'a [Role],
    accountable: &'a [Role],
    consulted: &'a [Role],
    informed: &'a [Role],
    owner: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    settings: Vec<JsonSetting<'a>>,
    problems: Vec<JsonFinding<'a>>,
}

/// Renders rows (and the problems met while reading) in a format.
pub fn render(format: ClassifyFormat, rows: &[SettingRow<'_>], problems: &[Finding]) -> String {
    match format {
        ClassifyFormat::Human => human(rows, problems),
        ClassifyFormat::Json => json(rows, problems),
        ClassifyFormat::Csv => csv(rows),
    }
}

fn kind(s: &Setting) -> &'static str {
    if s.is_block() { "block" } else { "leaf" }
}

fn json(rows: &[SettingRow<'_>], problems: &[Finding]) -> String {
    let settings = rows
        .iter()
        .map(|r| {
            let s = r.setting;
            let a = r.area.as_ref();
            JsonSetting {
                file: &s.file,
                line: s.span.start.line,
                column: s.span.start.col,
                end_line: s.span.end.line,
                end_column: s.span.end.col,
                setting: &s.path,
                format: s.format,
                kind: kind(s),
                value: if s.is_block() {
                    None
                } else {
                    s.value.scalar_text()
                },
                context: &s.context,
                area: a.map(|a| a.id.as_str()),
                area_title: a.map(|a| a.title.as_str()),
                responsible: a.map_or(&[], |a| &a.responsible),
                accountable: a.map_or(&[], |a| &a.accountable),
                consulted: a.map_or(&[], |a| &a.consulted),
                informed: a.map_or(&[], |a| &a.informed),
                owner: a.map(|a| a.owner.as_str()),
            }
        })
        .collect();
    let out = JsonOutput {
        settings,
        problems: problems.iter().map(JsonFinding::new).collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// Shortens a value for one-line display.
fn short(value: &str, max: usize) -> String {
    let one_line = value.replace('\n', "\\n");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn human(rows: &[SettingRow<'_>], problems: &[Finding]) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    let mut unclassified = 0;
    for r in rows {
        let s = r.setting;
        if current != Some(&*s.file) {
            let _ = writeln!(out, "{}", s.file);
            current = Some(&s.file);
        }
        let loc = format!("{}:{}", s.span.start.line, s.span.start.col);
        let value = s.value.to_string();
        let _ = write!(
            out,
            "  {loc:<8} {:<10} {} = {}",
            s.format.as_str(),
            s.path,
            short(&value, 60)
        );
        match &r.area {
            Some(a) => {
                let _ = write!(out, "  → {} ({})", a.id, a.owner);
            }
            None => unclassified += 1,
        }
        out.push('\n');
    }
    for p in problems {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            p.file, p.span.start.line, p.span.start.col, p.severity, p.code, p.message
        );
    }
    let files = rows
        .iter()
        .map(|r| &r.setting.file)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let _ = writeln!(
        out,
        "{} settings in {} files, {} unclassified",
        rows.len(),
        files,
        unclassified
    );
    out
}

/// Quotes a CSV field when it needs it.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn roles(list: &[Role]) -> String {
    list.iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn csv(rows: &[SettingRow<'_>]) -> String {
    let mut out = String::from(
        "file,line,column,format,setting,value,area,area_title,owner,responsible,accountable,consulted,informed\n",
    );
    for r in rows {
        let s = r.setting;
        let a = r.area.as_ref();
        let value = if s.is_block() {
            String::new()
        } else {
            s.value.to_string()
        };
        let cells = [
            field(&s.file),
            s.span.start.line.to_string(),
            s.span.start.col.to_string(),
            s.format.as_str().to_string(),
            field(&s.path),
            field(&value),
            field(a.map_or("", |a| &a.id)),
            field(a.map_or("", |a| &a.title)),
            field(a.map_or("", |a| &a.owner)),
            a.map_or(String::new(), |a| roles(&a.responsible)),
            a.map_or(String::new(), |a| roles(&a.accountable)),
            a.map_or(String::new(), |a| roles(&a.consulted)),
            a.map_or(String::new(), |a| roles(&a.informed)),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}
