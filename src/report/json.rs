//! `--format json` for `lint`: one object, field for field as the stable JSON
//! contract in `ARCHITECTURE.md` ("Stable contracts", `lint --format json`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{LintReport, Summary};
use crate::findings::{Allowed, AreaRef, ChangeKind, Finding, Severity};
use crate::packs::Role;
use crate::setting::Format;

/// The `tool` object every JSON output starts with.
#[derive(Serialize)]
pub(super) struct Tool {
    name: &'static str,
    version: &'static str,
}

impl Tool {
    /// This program: `demarcate` and its version.
    pub(super) fn this() -> Tool {
        Tool {
            name: "demarcate",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Serialize)]
struct Report<'a> {
    tool: Tool,
    vendor: Option<&'a str>,
    deployment: Option<&'a str>,
    options: &'a BTreeMap<String, String>,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

/// The area of a finding or setting as the JSON contract spells it
/// (`area`, `area_title`, RACI lists, `owner`; nulls and empty lists without one).
#[derive(Serialize)]
pub struct AreaFields<'a> {
    area: Option<&'a str>,
    area_title: Option<&'a str>,
    responsible: &'a [Role],
    accountable: &'a [Role],
    consulted: &'a [Role],
    informed: &'a [Role],
    owner: Option<&'a str>,
}

impl<'a> AreaFields<'a> {
    /// The fields of an area reference, if any.
    pub fn new(a: Option<&'a AreaRef>) -> AreaFields<'a> {
        AreaFields {
            area: a.map(|a| a.id.as_str()),
            area_title: a.map(|a| a.title.as_str()),
            responsible: a.map_or(&[], |a| &a.responsible),
            accountable: a.map_or(&[], |a| &a.accountable),
            consulted: a.map_or(&[], |a| &a.consulted),
            informed: a.map_or(&[], |a| &a.informed),
            owner: a.map(|a| a.owner.as_str()),
        }
    }
}

/// One finding as JSON.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    code: &'static str,
    severity: Severity,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    setting: Option<&'a str>,
    format: Option<Format>,
    change: Option<ChangeKind>,
    before: Option<&'a str>,
    after: Option<&'a str>,
    #[serde(flatten)]
    area: AreaFields<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    area_before: Option<Option<&'a str>>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed: Option<&'a Allowed>,
    contacts: &'a [String],
}

impl<'a> JsonFinding<'a> {
    /// The JSON view of a finding.
    pub fn new(f: &'a Finding) -> JsonFinding<'a> {
        let area = f.area.as_deref();
        JsonFinding {
            code: f.code.as_str(),
            severity: f.severity,
            file: &f.file,
            line: f.span.start.line,
            column: f.span.start.col,
            end_line: f.span.end.line,
            end_column: f.span.end.col,
            setting: f.setting.as_deref(),
            format: f.format,
            change: f.change,
            before: f.before.as_deref(),
            after: f.after.as_deref(),
            area: AreaFields::new(area),
            area_before: f.area_before.as_ref().map(Option::as_deref),
            message: &f.message,
            allowed: f.allowed.as_ref(),
            contacts: &f.contacts,
        }
    }
}

/// Renders the report as pretty JSON with a trailing newline.
pub fn render(report: &LintReport) -> anyhow::Result<String> {
    let value = Report {
        tool: Tool::this(),
        vendor: report.vendor.as_deref(),
        deployment: report.deployment.as_deref(),
        options: &report.options,
        findings: report.findings.iter().map(JsonFinding::new).collect(),
        summary: report.summary,
    };
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
}
