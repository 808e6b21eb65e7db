//! `--format sarif`: SARIF 2.1.0 with one rule per finding code, character
//! columns, partial fingerprints from vendor, area, file and key path (so
//! results survive line moves), and the area and owner as properties.

use serde::Serialize;
use serde_json::{Value, json};

use super::LintReport;
use crate::findings::{Code, Finding, Severity};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Value,
    column_kind: &'static str,
    results: Vec<SarifResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invocations: Option<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Value,
    locations: Vec<Value>,
    partial_fingerprints: Value,
    properties: Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Value>,
}

/// The SARIF level of a severity: SARIF's `error`, `warning` and `note` are
/// the severities' own names.
pub fn level(s: Severity) -> &'static str {
    s.as_str()
}

/// FNV-1a, 64 bits: a stable hash for fingerprints (not for security).
fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn rule(code: Code) -> Value {
    let name: String = code
        .as_str()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    json!({
        "id": code.as_str(),
        "name": name,
        "shortDescription": { "text": code.summary() },
        "fullDescription": { "text": code.explanation() },
        "help": { "text": code.explanation(), "markdown": format!("**{}**: {}", code.as_str(), code.explanation()) },
        "defaultConfiguration": { "level": level(code.default_severity()) },
    })
}

/// The identity of a finding that survives line moves: vendor, area, file,
/// key path and code; for findings about no setting, the message with its
/// digits removed (messages may quote line numbers).
fn identity(vendor: Option<&str>, f: &Finding) -> String {
    let message: String;
    let key = match &f.setting {
        Some(s) => s.as_str(),
        None => {
            message = f.message.chars().filter(|c| !c.is_ascii_digit()).collect();
            message.as_str()
        }
    };
    fnv1a(&[
        vendor.unwrap_or_default(),
        f.area.as_ref().map_or("", |a| a.id.as_str()),
        &f.file,
        key,
        f.code.as_str(),
    ])
}

/// One fingerprint per finding: the identity, and for the n-th finding with
/// the same identity (in file order) the identity hashed with n.
fn fingerprints(vendor: Option<&str>, findings: &[Finding]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    findings
        .iter()
        .map(|f| {
            let id = identity(vendor, f);
            let n = seen.entry(id.clone()).or_default();
            *n += 1;
            if *n == 1 {
                id
            } else {
                fnv1a(&[&id, &n.to_string()])
            }
        })
        .collect()
}

fn result(f: &Finding, fingerprint: String) -> SarifResult {
    let index = Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0);
    let area = f.area.as_ref();
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": super::url_path(&f.file), "uriBaseId": "%SRCROOT%" },
            "region": {
                "startLine": f.span.start.line.max(1),
                "startColumn": f.span.start.col.max(1),
                "endLine": f.span.end.line.max(f.span.start.line).max(1),
                "endColumn": f.span.end.col.max(1),
            }
        }
    });
    if let Some(setting) = &f.setting {
        location["logicalLocations"] = json!([{ "fullyQualifiedName": setting, "kind": "member" }]);
    }
    let mut properties = json!({});
    if let Some(a) = area {
        properties = json!({
            "area": a.id, "areaTitle": a.title, "owner": a.owner,
            "responsible": a.responsible, "accountable": a.accountable,
            "consulted": a.consulted, "informed": a.informed,
        });
    }
    if !f.contacts.is_empty() {
        properties["contacts"] = json!(f.contacts);
    }
    if let Some(c) = f.change {
        properties["change"] = json!(c);
        properties["before"] = json!(f.before);
        properties["after"] = json!(f.after);
    }
    let suppressions = f
        .allowed
        .iter()
        .map(|a| {
            // A comment next to the setting is in the source; a waiver in the configuration is external.
            let kind = if a.waiver { "external" } else { "inSource" };
            json!({
                "kind": kind,
                "status": "accepted",
                "justification": a.reason,
                "properties": { "by": a.by, "ref": a.r#ref, "until": a.until },
            })
        })
        .collect();
    SarifResult {
        rule_id: f.code.as_str(),
        rule_index: index,
        level: level(f.severity),
        message: json!({ "text": f.message }),
        locations: vec![location],
        partial_fingerprints: json!({ "demarcate/v1": fingerprint }),
        properties,
        suppressions,
    }
}

/// Renders the report as a SARIF 2.1.0 log.
pub fn render(report: &LintReport) -> anyhow::Result<String> {
    let tool = json!({
        "driver": {
            "name": "demarcate",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": env!("CARGO_PKG_REPOSITORY"),
            "rules": Code::ALL.iter().map(|c| rule(*c)).collect::<Vec<_>>(),
        }
    });
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool,
            column_kind: "unicodeCodePoints",
            results: report
                .findings
                .iter()
                .zip(fingerprints(report.vendor.as_deref(), &report.findings))
                .map(|(f, fp)| result(f, fp))
                .collect(),
            // A run without a model says so, as every format's summary does.
            invocations: report.summary.notice.map(|notice| {
                json!([{
                    "executionSuccessful": true,
                    "toolExecutionNotifications": [
                        { "level": "warning", "message": { "text": notice } }
                    ],
                }])
            }),
        }],
    };
    let mut text = serde_json::to_string_pretty(&log)?;
    text.push('\n');
    Ok(text)
}
