//! Reading the matcher groups of a pack into rules, and the check that no
//! two equally specific rules of different areas can match the same setting.

use std::collections::HashSet;

use super::Area;
use super::example_read;
use super::examples::Example;
use super::glob::{PathGlob, TextGlob};
use super::rule::{ContextGlobs, Rule, Specificity};
use crate::formats::tree::Node;
use crate::setting::Format;
use crate::typed::{self, Problems};

/// Keys of a matcher group.
pub const GROUP_KEYS: &[&str] = &["group", "source", "evidence", "rules", "examples"];
/// Keys of a matcher rule.
pub const RULE_KEYS: &[&str] = &[
    "area",
    "format",
    "path",
    "value",
    "chart",
    "resource",
    "block",
    "api_version",
    "kind",
    "namespace",
    "name",
    "document",
    "file",
    "image",
    "repository",
];

/// Reads the matcher groups: their rules, and the examples they carry.
pub(super) fn read_matchers(
    node: &Node,
    ctx: &example_read::Ctx<'_>,
    p: &mut Problems,
) -> (Vec<Rule>, Vec<Example>) {
    let areas = ctx.areas;
    let mut out = Vec::new();
    let mut examples_out = Vec::new();
    for group in typed::list(node, "matchers", p) {
        let Some(f) = typed::fields(group, "a matcher group", GROUP_KEYS, p) else {
            continue;
        };
        let name = f.need_text("group", p).unwrap_or_default();
        let source = f.need_text("source", p).unwrap_or_default();
        let evidence = match f.get("evidence") {
            None => true,
            Some(n) => match n.value(crate::formats::tree::YamlSchema::Core) {
                crate::setting::Value::Bool(b) => b,
                _ => {
                    p.at(n.span.start, "`evidence` must be true or false");
                    true
                }
            },
        };
        for rule in f
            .need("rules", p)
            .map(|n| typed::list(n, "rules", p))
            .unwrap_or_default()
        {
            if let Some(r) = read_rule(rule, &name, &source, evidence, areas, p) {
                out.push(r);
            }
        }
        if let Some(n) = f.get("examples") {
            examples_out.extend(example_read::read(n, &name, ctx, p));
        }
    }
    (out, examples_out)
}

fn read_rule(
    node: &Node,
    group: &str,
    source: &str,
    evidence: bool,
    areas: &[Area],
    p: &mut Problems,
) -> Option<Rule> {
    let f = typed::fields(node, "a rule", RULE_KEYS, p)?;
    let area_id = f.need_text("area", p)?;
    let Some(area) = areas.iter().position(|a| a.id == area_id) else {
        p.at(f.pos(), format!("rule names unknown area `{area_id}`"));
        return None;
    };
    let format = f.opt_text("format", p).and_then(|t| {
        let parsed = Format::parse(&t);
        if parsed.is_none() {
            p.at(
                f.pos(),
                format!("unknown format `{t}`; formats are helm, talos, kubernetes, terraform"),
            );
        }
        parsed
    });
    let path = match f.opt_text("path", p) {
        None => PathGlob::any(),
        Some(text) => PathGlob::parse(&text).unwrap_or_else(|e| {
            p.at(f.pos(), format!("path `{text}`: {e}"));
            PathGlob::any()
        }),
    };
    let glob =
        |key: &str, ci: bool, p: &mut Problems| f.opt_text(key, p).map(|t| TextGlob::new(&t, ci));
    let context = ContextGlobs {
        chart: glob("chart", false, p),
        resource: glob("resource", false, p),
        block: glob("block", false, p),
        api_version: glob("api_version", false, p),
        kind: glob("kind", false, p),
        namespace: glob("namespace", false, p),
        name: glob("name", false, p),
        document: glob("document", false, p),
        file: glob("file", false, p),
        image: glob("image", true, p),
        repository: glob("repository", true, p),
    };
    let mut rule = Rule {
        area,
        group: group.to_string(),
        source: source.to_string(),
        format,
        path,
        value: glob("value", true, p),
        context,
        evidence,
        line: f.pos().line,
        spec: Specificity::default(),
    };
    rule.spec = rule.specificity();
    Some(rule)
}

/// Two rules with equal specificity, different areas and overlapping
/// constraints make the pack ambiguous.
pub(super) fn check_conflicts(rules: &[Rule], areas: &[Area], p: &mut Problems) {
    let mut reported = HashSet::new();
    for (i, a) in rules.iter().enumerate() {
        for b in &rules[i + 1..] {
            if a.area != b.area && a.spec == b.spec && a.overlaps(b) && reported.insert(b.line) {
                p.at(
                    crate::setting::Pos::new(b.line, 1),
                    format!(
                        "rule (area `{}`, path `{}`) conflicts with the rule at line {} (area `{}`, path `{}`): \
                         equally specific and both can match the same setting; make one more specific",
                        areas[b.area].id,
                        b.path.as_str(),
                        a.line,
                        areas[a.area].id,
                        a.path.as_str()
                    ),
                );
            }
        }
    }
}
