//! Reading a matcher group's `examples:` ([`Example`]s) and checking them
//! against the pack's areas, deployments and options.

use std::collections::BTreeMap;

use super::examples::{EXAMPLE_KEYS, EXPECT_KEYS, Example, Expect};
use super::{Area, Deployment, OptionDef, Role};
use crate::formats::tree::{Node, NodeKind, Scalar, YamlSchema};
use crate::setting::Value;
use crate::typed::{self, Problems};

/// What examples are checked against.
pub(super) struct Ctx<'a> {
    pub(super) areas: &'a [Area],
    pub(super) deployments: &'a [Deployment],
    pub(super) options: &'a [OptionDef],
}

/// Reads a group's `examples:`.
pub(super) fn read(node: &Node, group: &str, ctx: &Ctx<'_>, p: &mut Problems) -> Vec<Example> {
    let mut out = Vec::new();
    for item in typed::list(node, "examples", p) {
        let Some(f) = typed::fields(item, "an example", EXAMPLE_KEYS, p) else {
            continue;
        };
        let (Some(file), Some(content)) = (f.need_text("file", p), f.need_text("content", p))
        else {
            continue;
        };
        let options = f
            .get("options")
            .map(|n| typed::text_map(n, "options", p))
            .unwrap_or_default();
        for (k, v) in &options {
            match ctx.options.iter().find(|o| &o.id == k) {
                None => p.at(f.pos(), format!("example: unknown option `{k}`")),
                Some(o) if !o.values.contains(v) => {
                    p.at(f.pos(), format!("example: option `{k}` has no value `{v}`"))
                }
                Some(_) => {}
            }
        }
        let expect = f
            .need("expect", p)
            .map(|n| typed::list(n, "expect", p))
            .unwrap_or_default()
            .iter()
            .filter_map(|e| read_expect(e, ctx, p))
            .collect::<Vec<_>>();
        if expect.is_empty() {
            p.at(f.pos(), "an example needs at least one expectation");
        }
        out.push(Example {
            group: group.to_string(),
            name: f.opt_text("name", p).unwrap_or_else(|| file.clone()),
            file,
            content,
            chart: f.opt_text("chart", p),
            chart_yaml: f.opt_text("chart_yaml", p),
            options,
            expect,
            line: f.pos().line,
        });
    }
    out
}

fn is_null(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Scalar(Scalar::Yaml { .. }) => node.value(YamlSchema::Core) == Value::Null,
        NodeKind::Scalar(Scalar::Value(v)) => *v == Value::Null,
        _ => false,
    }
}

fn read_expect(node: &Node, ctx: &Ctx<'_>, p: &mut Problems) -> Option<Expect> {
    let f = typed::fields(node, "an expectation", EXPECT_KEYS, p)?;
    let setting = f.need_text("setting", p)?;
    let area_node = f.need("area", p)?;
    let area = if is_null(area_node) {
        None
    } else {
        let id = typed::text(area_node, "area", p)?;
        if !ctx.areas.iter().any(|a| a.id == id) {
            p.at(
                area_node.span.start,
                format!("example names unknown area `{id}`"),
            );
            return None;
        }
        Some(id)
    };
    let mut responsible = BTreeMap::new();
    if let Some(n) = f.get("responsible") {
        let Some(rf) = n.is_map().then_some(n) else {
            p.at(n.span.start, "`responsible` must map deployments to roles");
            return None;
        };
        for e in rf.entries() {
            if !ctx.deployments.iter().any(|d| d.id == e.key) {
                p.at(e.key_span.start, format!("unknown deployment `{}`", e.key));
                continue;
            }
            let roles = typed::texts(&e.value, "roles", p)
                .iter()
                .filter_map(|t| {
                    let r = Role::parse(t);
                    if r.is_none() {
                        p.at(e.value.span.start, format!("unknown role `{t}`"));
                    }
                    r
                })
                .collect();
            responsible.insert(e.key.clone(), roles);
        }
    }
    Some(Expect {
        setting,
        area,
        responsible,
        line: f.pos().line,
    })
}
