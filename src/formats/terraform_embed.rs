//! Documents carried by Terraform resources, read where they are literal:
//! `helm_release` values and `set` blocks as Helm settings, Talos
//! `config_patches` and schematics as Talos settings, Kubernetes manifests.

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;

use super::detect::{self, DocKind};
use super::embed::PosMap;
use super::helm::{self, SetValue};
use super::reader::Reader;
use super::tree::{Node, YamlSchema};
use super::{hcl, route};
use crate::setting::{Pos, Span, Value};

/// What a block's body carries, by attribute or nested block name.
#[derive(Default)]
pub(super) struct Carriers {
    /// Attribute → the format its elements hold.
    pub(super) attributes: Vec<(String, Embedded)>,
    /// Follow an attribute only when every document it holds is of a known
    /// format (`locals`: a Talos patch built with `yamlencode` is read as Talos;
    /// any other local stays a Terraform value).
    pub(super) known_only: bool,
    /// Nested blocks that are Helm `--set` values.
    pub(super) set_blocks: Vec<&'static str>,
    /// Helm chart for Helm carriers.
    pub(super) chart: Option<String>,
    /// Helm release for Helm carriers.
    pub(super) release: Option<String>,
    /// Chart repository for Helm carriers.
    pub(super) repository: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Embedded {
    HelmValues,
    HelmSet,
    Talos,
    Schematic,
    Kubernetes,
}

/// A carried document read from an attribute element.
pub(super) struct Followed {
    /// Path of the element relative to the block (`config_patches[1]`).
    pub(super) rel: String,
    /// What the element holds.
    pub(super) what: Embedded,
    /// The documents read from it.
    pub(super) docs: Vec<Node>,
}

/// Reads the documents in a block's carrier attributes, element by element.
pub(super) fn carried(
    r: &mut Reader<'_>,
    body: &Body,
    path: &str,
    carriers: &Carriers,
) -> Vec<Followed> {
    let mut out = Vec::new();
    for (key, what) in &carriers.attributes {
        let Some(attr) = body.get_attribute(key) else {
            continue;
        };
        let (elements, indexed): (Vec<&Expression>, bool) = match &attr.value {
            Expression::Array(items) => (items.iter().collect(), true),
            single => (vec![single], false),
        };
        for (i, element) in elements.into_iter().enumerate() {
            let rel = if indexed {
                format!("{key}[{i}]")
            } else {
                key.clone()
            };
            let docs = if *what == Embedded::HelmSet {
                matches!(element, Expression::Object(_)).then(|| vec![hcl::node(r.src, element)])
            } else if carriers.known_only {
                known_documents(r, element)
            } else {
                documents(r, element, &format!("{path}.{rel}"))
            };
            if let Some(docs) = docs {
                out.push(Followed {
                    rel,
                    what: *what,
                    docs,
                });
            }
        }
    }
    out
}

/// Emits the settings of the documents a block carries.
pub(super) fn emit_followed(
    r: &mut Reader<'_>,
    body: &Body,
    path: &str,
    carriers: &Carriers,
    followed: Vec<Followed>,
) {
    let helm_ctx = || {
        let ctx = helm::values_context(
            carriers.chart.clone(),
            carriers.release.clone(),
            Some(path.to_string()),
        );
        match &carriers.repository {
            None => ctx,
            Some(repo) => std::sync::Arc::new(crate::setting::Context {
                repository: Some(repo.clone()),
                ..(*ctx).clone()
            }),
        }
    };
    let mut sets: Vec<SetValue> = Vec::new();
    for block in body
        .blocks()
        .filter(|b| carriers.set_blocks.contains(&b.ident.value().as_str()))
    {
        sets.extend(set_value(r, &block.body, hcl::span_of(r.src, block.span())));
    }
    for f in followed {
        let at = format!("{path}.{}", f.rel);
        for (n, doc) in f.docs.iter().enumerate() {
            match (f.what, detect::doc_kind(doc)) {
                (Embedded::HelmSet, _) => sets.extend(set_from_node(doc)),
                (Embedded::HelmValues, _) => helm::read_values(r, doc, helm_ctx()),
                (Embedded::Schematic, _) => {
                    route::embedded(r, doc, DocKind::Schematic, n, at.clone());
                }
                (_, kind) => route::embedded(r, doc, kind, n, at.clone()),
            }
        }
    }
    if !sets.is_empty() {
        helm::read_set_values(r, sets, helm_ctx());
    }
}

/// One `set { name = … value = … }` block.
fn set_value(r: &Reader<'_>, body: &Body, span: Span) -> Option<SetValue> {
    let Expression::String(name) = &body.get_attribute("name")?.value else {
        return None;
    };
    let value = body
        .get_attribute("value")
        .map_or(Value::Null, |a| hcl::value(r.src, &a.value));
    Some(SetValue {
        name: name.value().clone(),
        value,
        span,
    })
}

/// `set = [{ name = …, value = … }]` (Helm provider 3.x).
fn set_from_node(node: &Node) -> Option<SetValue> {
    let name = node.get("name").and_then(Node::as_str)?.to_string();
    let value = node
        .get("value")
        .map_or(Value::Null, |v| v.value(YamlSchema::Core));
    Some(SetValue {
        name,
        value,
        span: node.span,
    })
}

/// The documents of an expression that may hold none (a `locals` value):
/// `yamlencode`/`jsonencode` calls only, and only when
/// each is a document of a known format; nothing is recorded otherwise.
fn known_documents(r: &mut Reader<'_>, expr: &Expression) -> Option<Vec<Node>> {
    let node = match expr {
        Expression::FuncCall(call)
            if matches!(call.name.name.value().as_str(), "yamlencode" | "jsonencode") =>
        {
            hcl::node(r.src, call.args.iter().next()?)
        }
        _ => return None,
    };
    (detect::doc_kind(&node) != DocKind::Unknown).then(|| vec![node])
}

/// The documents an expression holds: `yamlencode({…})` / `jsonencode({…})`
/// objects, YAML strings, and heredocs (interpolations kept as text, read
/// only if the YAML around them is well-formed). `None` when the expression
/// is not a document we can read (a `file()` call, a reference).
fn documents(r: &mut Reader<'_>, expr: &Expression, what: &str) -> Option<Vec<Node>> {
    let span = hcl::span_of(r.src, expr.span());
    match expr {
        Expression::FuncCall(call)
            if matches!(call.name.name.value().as_str(), "yamlencode" | "jsonencode") =>
        {
            call.args
                .iter()
                .next()
                .map(|arg| vec![hcl::node(r.src, arg)])
        }
        Expression::Object(_) => Some(vec![hcl::node(r.src, expr)]),
        Expression::String(s) => {
            let map = PosMap::embedded(
                r.src,
                Pos::new(span.start.line, span.start.col + 1),
                s.value(),
                true,
            );
            Some(r.yaml_text(s.value(), &map, what))
        }
        Expression::HeredocTemplate(h) => {
            if let Some(text) = hcl::literal(&h.template) {
                let map = PosMap::embedded(r.src, Pos::new(span.start.line + 1, 1), &text, false);
                return Some(r.yaml_text(&text, &map, what));
            }
            // With interpolation: read the lines as written, `${…}` as text.
            let lines: Vec<&str> = (span.start.line + 1..span.end.line)
                .map(|l| r.src.line(l))
                .collect();
            let text = lines.join("\n");
            let map = PosMap::embedded(r.src, Pos::new(span.start.line + 1, 1), &text, false);
            r.yaml_text_quiet(&text, &map)
        }
        _ => None,
    }
}
