//! `config-change`: what a change does to `.demarcate.yaml` and the packs it
//! names, listed item by item. An error when it weakens the check (a lowered
//! severity, a widened `ignore`, a removed or changed scope or model or
//! values entry, a pack that replaces a built-in one or is removed, lowered
//! limits, a deleted configuration); a warning otherwise.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::Snapshot;
use crate::config::{Config, ModelChoice, Scope};
use crate::findings::{Code, Finding, Severity};
use crate::limits::Limits;
use crate::setting::{Pos, Span};

/// One item of a configuration change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    weakens: bool,
    text: String,
}

/// The `config-change` finding for a configuration at the base (`base`)
/// and now (`new`), if anything changed. `builtin` lists the built-in pack ids.
pub fn config_change(
    base: Option<&Snapshot>,
    new: Option<&Snapshot>,
    builtin: &[String],
) -> Option<Finding> {
    let items = match (base, new) {
        (None, None) => return None,
        (Some(_), None) => vec![weak("the configuration was deleted".to_string())],
        (None, Some(n)) => vec![Item {
            weakens: false,
            text: format!(
                "a configuration was added (model {})",
                model_text(&n.config.model)
            ),
        }],
        (Some(b), Some(n)) => {
            if b.text == n.text && b.packs == n.packs && b.file == strip(&n.file) {
                return None;
            }
            let mut items = compare(&b.config, &n.config);
            items.extend(packs(b, n, builtin));
            if items.is_empty() {
                items.push(Item {
                    weakens: false,
                    text: "comments or layout changed".to_string(),
                });
            }
            items
        }
    };
    let file = new
        .or(base)
        .map_or(String::new(), |s| strip(&s.file).to_string());
    let weakens = items.iter().any(|i| i.weakens);
    let list: Vec<String> = items
        .iter()
        .map(|i| {
            if i.weakens {
                format!("{} (weakens the check)", i.text)
            } else {
                i.text.clone()
            }
        })
        .collect();
    let message = format!(
        "The configuration changed: {}. The base revision's configuration judges this change; \
         the edit applies once merged, so have it reviewed on its own.",
        list.join("; ")
    );
    let mut f = Finding::at(
        Code::ConfigChange,
        Arc::from(file.as_str()),
        Span::at(Pos::new(1, 1)),
        message,
    );
    f.severity = if weakens {
        Severity::Error
    } else {
        Severity::Warning
    };
    Some(f)
}

/// A file name without the "(at the base revision)" note.
fn strip(file: &str) -> &str {
    file.split(" (").next().unwrap_or(file)
}

fn weak(text: String) -> Item {
    Item {
        weakens: true,
        text,
    }
}

fn strong(text: String) -> Item {
    Item {
        weakens: false,
        text,
    }
}

fn model_text(m: &ModelChoice) -> String {
    let mut text = format!(
        "{}/{}",
        m.vendor.as_deref().unwrap_or("none"),
        m.deployment.as_deref().unwrap_or("none")
    );
    for (k, v) in &m.options {
        text.push_str(&format!(" {k}={v}"));
    }
    text
}

fn scope_text(s: &Scope) -> String {
    format!("[{}] → {}", s.paths.join(", "), model_text(&s.model))
}

/// The items of a change between two loaded configurations.
fn compare(b: &Config, n: &Config) -> Vec<Item> {
    let mut out = Vec::new();
    let (mb, mn) = (model_text(&b.model), model_text(&n.model));
    if mb != mn {
        let text = format!("the model changed from {mb} to {mn}");
        // Choosing a model where there was none only adds to the check.
        out.push(
            if b.model.vendor.is_none() && b.model.deployment.is_none() {
                strong(text)
            } else {
                weak(text)
            },
        );
    }
    let sb: BTreeSet<String> = b.scopes.iter().map(scope_text).collect();
    let sn: BTreeSet<String> = n.scopes.iter().map(scope_text).collect();
    for s in sb.difference(&sn) {
        out.push(weak(format!("scope {s} removed or changed")));
    }
    for s in sn.difference(&sb) {
        out.push(strong(format!("scope {s} added")));
    }
    let order_b: Vec<String> = b.scopes.iter().map(scope_text).collect();
    let order_n: Vec<String> = n.scopes.iter().map(scope_text).collect();
    if sb == sn && order_b != order_n {
        out.push(weak(
            "the scopes were reordered (first match wins)".to_string(),
        ));
    }
    let values = |c: &Config| -> BTreeSet<String> {
        c.values
            .iter()
            .map(|(p, chart)| {
                format!(
                    "[{}] → chart {}",
                    p.join(", "),
                    chart.as_deref().unwrap_or("(nearest)")
                )
            })
            .collect()
    };
    let (vb, vn) = (values(b), values(n));
    for v in vb.difference(&vn) {
        out.push(weak(format!("values entry {v} removed or changed")));
    }
    for v in vn.difference(&vb) {
        out.push(strong(format!("values entry {v} added")));
    }
    let ib: BTreeSet<&String> = b.ignore.iter().collect();
    let inn: BTreeSet<&String> = n.ignore.iter().collect();
    for g in inn.difference(&ib) {
        out.push(weak(format!("`ignore` widened by `{g}`")));
    }
    for g in ib.difference(&inn) {
        out.push(strong(format!("`ignore` no longer has `{g}`")));
    }
    for code in Code::ALL {
        let sev_b = b
            .severity
            .get(&code)
            .copied()
            .unwrap_or(code.default_severity());
        let sev_n = n
            .severity
            .get(&code)
            .copied()
            .unwrap_or(code.default_severity());
        if sev_n < sev_b {
            out.push(weak(format!(
                "severity of {code} lowered from {sev_b} to {sev_n}"
            )));
        } else if sev_n > sev_b {
            out.push(strong(format!(
                "severity of {code} raised from {sev_b} to {sev_n}"
            )));
        }
    }
    out.extend(limits(&b.limits, &n.limits));
    if b.waivers != n.waivers {
        out.push(strong(format!(
            "waivers changed ({} → {}); the ones it adds apply and show as allowed findings",
            b.waivers.len(),
            n.waivers.len()
        )));
    }
    out
}

fn limits(b: &Limits, n: &Limits) -> Vec<Item> {
    let pairs: [(&str, u64, u64); 5] = [
        ("max_file_bytes", b.max_file_bytes, n.max_file_bytes),
        ("max_depth", b.max_depth as u64, n.max_depth as u64),
        ("max_nodes", b.max_nodes as u64, n.max_nodes as u64),
        (
            "max_documents",
            b.max_documents as u64,
            n.max_documents as u64,
        ),
        (
            "max_line_bytes",
            b.max_line_bytes as u64,
            n.max_line_bytes as u64,
        ),
    ];
    let mut out = Vec::new();
    for (key, was, is) in pairs {
        if is < was {
            out.push(weak(format!("limit {key} lowered from {was} to {is}")));
        } else if is > was {
            out.push(strong(format!("limit {key} raised from {was} to {is}")));
        }
    }
    out
}

/// The id a pack text declares (`None` when it does not load).
fn pack_id(text: &str) -> Option<String> {
    crate::packs::load::load(text, "pack").ok().map(|p| p.id)
}

fn packs(b: &Snapshot, n: &Snapshot, builtin: &[String]) -> Vec<Item> {
    let mut out = Vec::new();
    let replaces = |text: &str| -> Option<String> {
        pack_id(text).filter(|id| builtin.iter().any(|b| b == id))
    };
    for (path, text) in &n.packs {
        match b.packs.get(path) {
            None => match replaces(text) {
                Some(id) => out.push(weak(format!(
                    "pack {path} added; it replaces the built-in pack {id}"
                ))),
                None => out.push(strong(format!("pack {path} added"))),
            },
            Some(old) if old != text => match replaces(text) {
                Some(id) => out.push(weak(format!(
                    "pack {path} changed; it replaces the built-in pack {id}"
                ))),
                None => out.push(strong(format!("pack {path} changed"))),
            },
            Some(_) => {}
        }
    }
    for path in b.packs.keys().filter(|p| !n.packs.contains_key(*p)) {
        out.push(weak(format!("pack {path} removed")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(text: &str) -> Snapshot {
        let config = crate::config::load_text(
            text,
            std::path::Path::new("/r/.demarcate.yaml"),
            ".demarcate.yaml",
            "",
        )
        .unwrap();
        Snapshot {
            file: ".demarcate.yaml".to_string(),
            text: text.to_string(),
            config,
            packs: Default::default(),
        }
    }

    #[test]
    fn weakening_is_an_error_and_strengthening_a_warning() {
        let base = snap("vendor: glasswall-halo\ndeployment: onprem-vm\n");
        for weaker in [
            "vendor: glasswall-halo\ndeployment: onprem-vm\nseverity:\n  vendor-owned-change: note\n",
            "vendor: glasswall-halo\ndeployment: onprem-vm\nignore: [halo/**]\n",
            "vendor: glasswall-halo\ndeployment: onprem-vm\nlimits:\n  max_file_bytes: 100\n",
            "vendor: glasswall-halo\ndeployment: csp-kubernetes\n",
        ] {
            let f = config_change(Some(&base), Some(&snap(weaker)), &[]).unwrap();
            assert_eq!(f.severity, Severity::Error, "{weaker}: {}", f.message);
        }
        let f = config_change(Some(&base), None, &[]).unwrap();
        assert_eq!(f.severity, Severity::Error);
        assert!(f.message.contains("deleted"), "{}", f.message);
        let stricter = snap(
            "vendor: glasswall-halo\ndeployment: onprem-vm\nseverity:\n  shared-change: error\n",
        );
        let f = config_change(Some(&base), Some(&stricter), &[]).unwrap();
        assert_eq!(f.severity, Severity::Warning, "{}", f.message);
        let none = snap("ignore: [\"vendor/**\"]\n");
        let chosen =
            snap("ignore: [\"vendor/**\"]\nvendor: glasswall-halo\ndeployment: onprem-vm\n");
        let f = config_change(Some(&none), Some(&chosen), &[]).unwrap();
        assert_eq!(f.severity, Severity::Warning, "{}", f.message);
        assert!(config_change(Some(&base), Some(&base), &[]).is_none());
    }

    #[test]
    fn a_pack_replacing_a_built_in_one_is_an_error() {
        let base = snap("vendor: x\n");
        let mut new = snap("vendor: x\npacks: [mine.yaml]\n");
        let builtin = include_str!("../../rules/glasswall-halo.yaml");
        new.packs.insert("mine.yaml".into(), builtin.to_string());
        let f = config_change(Some(&base), Some(&new), &["glasswall-halo".to_string()]).unwrap();
        assert_eq!(f.severity, Severity::Error, "{}", f.message);
        assert!(
            f.message
                .contains("replaces the built-in pack glasswall-halo")
        );
    }
}
