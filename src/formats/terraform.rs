//! Terraform: every block and attribute of `.tf` files under paths such as
//! `resource.azurerm_kubernetes_cluster.main.default_node_pool.vm_size`, and
//! `.tfvars` variables as `var.NAME`. Documents carried by resources are
//! followed where they are literal: `helm_release` values and `set` blocks
//! become Helm settings, Talos `config_patches` and schematics become Talos
//! settings, `kubernetes_manifest` / `kubectl_manifest` become Kubernetes settings.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use super::detect::{self, DocKind};
use super::embed::PosMap;
use super::hcl_guard::{self, Refusal};
use super::helm::{self, SetValue};
use super::tree::{Flattener, Node, Visit, YamlSchema};
use super::{Problem, Reader, hcl, kubernetes, talos};
use crate::findings::Code;
use crate::keypath;
use crate::setting::{Context, Format, Pos, Span, Value};

/// Reads a `.tf` file, or a `.tfvars` file when `tfvars` is set.
pub fn read(r: &mut Reader<'_>, tfvars: bool) {
    if let Err(refusal) = hcl_guard::check(r.src.text()) {
        refused(r, &refusal);
        return;
    }
    let body = match hcl_edit::parser::parse_body(r.src.text()) {
        Ok(body) => body,
        Err(err) => {
            let pos = r.src.pos_of_byte(err.location().offset());
            r.problem(Span::at(pos), format!("HCL: {}", err.message()));
            return;
        }
    };
    if tfvars {
        let context = Arc::new(Context {
            document: "tfvars".to_string(),
            ..Context::default()
        });
        let mut path = "var".to_string();
        walk(r, &body, &mut path, &context, &[], &[]);
        return;
    }
    for structure in body.iter() {
        match structure {
            Structure::Block(block) => top_block(r, block),
            Structure::Attribute(_) => {
                let context = Arc::new(Context {
                    document: "terraform".to_string(),
                    ..Context::default()
                });
                let single = Body::from_iter([structure.clone()]);
                walk(r, &single, &mut String::new(), &context, &[], &[]);
            }
        }
    }
}

/// Notes a file whose parse would take too long: it is not read.
fn refused(r: &mut Reader<'_>, refusal: &Refusal) {
    let (at, message) = match refusal {
        Refusal::Objects { at, entries } => (
            *at,
            format!(
                "an object with about {entries} entries (or too many large objects): over the limit for HCL objects; not read"
            ),
        ),
        Refusal::Heredocs { at } => (
            *at,
            "heredocs without their end line: over the limit for HCL heredocs; not read"
                .to_string(),
        ),
    };
    r.out.problems.push(Problem {
        code: Code::FileSkipped,
        span: Span::at(r.src.pos_of_byte(at)),
        message,
    });
}

/// What a block's body carries, by attribute or nested block name.
#[derive(Default)]
struct Carriers {
    /// Attribute → the format its elements hold.
    attributes: Vec<(&'static str, Embedded)>,
    /// Nested blocks that are Helm `--set` values.
    set_blocks: Vec<&'static str>,
    /// Helm chart and release for Helm carriers.
    chart: Option<String>,
    release: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Embedded {
    HelmValues,
    HelmSet,
    Talos,
    Schematic,
    Kubernetes,
}

fn literal_attr(body: &Body, key: &str) -> Option<String> {
    match &body.get_attribute(key)?.value {
        Expression::String(s) => Some(s.value().clone()),
        _ => None,
    }
}

fn carriers(ident: &str, labels: &[&str], body: &Body) -> Carriers {
    let ty = if matches!(ident, "resource" | "data") {
        labels.first().copied()
    } else {
        None
    };
    match ty {
        Some("helm_release") => Carriers {
            attributes: vec![
                ("values", Embedded::HelmValues),
                ("set", Embedded::HelmSet),
                ("set_sensitive", Embedded::HelmSet),
                ("set_list", Embedded::HelmSet),
            ],
            set_blocks: vec!["set", "set_sensitive", "set_list"],
            chart: literal_attr(body, "chart").map(|c| {
                c.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            }),
            release: literal_attr(body, "name"),
        },
        Some("talos_machine_configuration_apply" | "talos_machine_configuration") => Carriers {
            attributes: vec![("config_patches", Embedded::Talos)],
            ..Carriers::default()
        },
        Some("talos_image_factory_schematic") => Carriers {
            attributes: vec![("schematic", Embedded::Schematic)],
            ..Carriers::default()
        },
        Some("kubernetes_manifest") => Carriers {
            attributes: vec![("manifest", Embedded::Kubernetes)],
            ..Carriers::default()
        },
        Some("kubectl_manifest") => Carriers {
            attributes: vec![("yaml_body", Embedded::Kubernetes)],
            ..Carriers::default()
        },
        _ => Carriers::default(),
    }
}

fn top_block(r: &mut Reader<'_>, block: &Block) {
    let ident = block.ident.value().as_str();
    let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
    let mut path = String::new();
    keypath::push_key(&mut path, ident);
    for label in &labels {
        keypath::push_key(&mut path, label);
    }
    if ident == "provider" {
        if let Some(alias) = literal_attr(&block.body, "alias") {
            keypath::push_key(&mut path, &alias);
        }
    }
    let carriers = carriers(ident, &labels, &block.body);
    let context = Arc::new(Context {
        document: "terraform".to_string(),
        block: Some(ident.to_string()),
        resource_type: matches!(ident, "resource" | "data")
            .then(|| labels.first().map(|s| s.to_string()))
            .flatten(),
        name: labels.last().map(|s| s.to_string()),
        // A helm_release's own settings (version, namespace, …) know their chart too.
        chart: carriers.chart.clone(),
        release: carriers.release.clone(),
        ..Context::default()
    });
    let span = hcl::span_of(r.src, block.span());
    flattener(r, &context).emit(&path, Value::Map(block.body.len()), span);
    let followed = carried(r, &block.body, &path, &carriers);
    let follow_paths: Vec<&str> = followed.iter().map(|f| f.rel.as_str()).collect();
    walk(
        r,
        &block.body,
        &mut path,
        &context,
        &carriers.set_blocks,
        &follow_paths,
    );
    emit_followed(r, &block.body, &path, &carriers, followed);
}

fn flattener<'a>(r: &'a mut Reader<'_>, context: &Arc<Context>) -> Flattener<'a> {
    Flattener {
        file: r.file,
        format: Format::Terraform,
        context: Arc::clone(context),
        schema: YamlSchema::Core,
        out: r.out,
    }
}

/// Emits the attributes and nested blocks of a body under `path`. Blocks
/// named in `set_blocks` and attribute elements at `follow` paths are
/// emitted without their contents (those are followed into another format).
fn walk(
    r: &mut Reader<'_>,
    body: &Body,
    path: &mut String,
    context: &Arc<Context>,
    set_blocks: &[&str],
    follow: &[&str],
) {
    // A set: a carrier attribute may hold many elements, and every node asks.
    let follow: HashSet<&str> = follow.iter().copied().collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for b in body.blocks() {
        *counts.entry(b.ident.value().as_str()).or_default() += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let len = path.len();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                keypath::push_key(path, attr.key.value().as_str());
                let node = hcl::node(r.src, &attr.value);
                let span = hcl::span_of(r.src, attr.span());
                let mut hook = |rel: &str, _: &Node| {
                    if follow.contains(rel) {
                        Visit::Carrier
                    } else {
                        Visit::Descend
                    }
                };
                flattener(r, context).node(&node, span, path, len, &mut hook);
            }
            Structure::Block(block) => {
                let ident = block.ident.value().as_str();
                keypath::push_key(path, ident);
                if counts.get(ident).copied().unwrap_or(0) > 1 {
                    let i = seen.entry(ident).or_default();
                    keypath::push_index(path, *i);
                    *i += 1;
                }
                for label in &block.labels {
                    keypath::push_key(path, label.as_str());
                }
                let span = hcl::span_of(r.src, block.span());
                flattener(r, context).emit(path, Value::Map(block.body.len()), span);
                if !set_blocks.contains(&ident) {
                    walk(r, &block.body, path, context, &[], &[]);
                }
            }
        }
        path.truncate(len);
    }
}

/// A carried document read from an attribute element.
struct Followed {
    /// Path of the element relative to the block (`config_patches[1]`).
    rel: String,
    /// What the element holds.
    what: Embedded,
    /// The documents read from it.
    docs: Vec<Node>,
}

/// Reads the documents in a block's carrier attributes, element by element.
fn carried(r: &mut Reader<'_>, body: &Body, path: &str, carriers: &Carriers) -> Vec<Followed> {
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
                (*key).to_string()
            };
            let docs = if *what == Embedded::HelmSet {
                matches!(element, Expression::Object(_)).then(|| vec![hcl::node(r.src, element)])
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
fn emit_followed(
    r: &mut Reader<'_>,
    body: &Body,
    path: &str,
    carriers: &Carriers,
    followed: Vec<Followed>,
) {
    let helm_ctx = || {
        helm::values_context(
            carriers.chart.clone(),
            carriers.release.clone(),
            Some(path.to_string()),
        )
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
                    talos::read(r, doc, DocKind::Schematic, Some(at.clone()))
                }
                (_, DocKind::Kubernetes) => kubernetes::read(r, doc, n, Some(at.clone())),
                (_, DocKind::Unknown) => {}
                (_, kind) => talos::read(r, doc, kind, Some(at.clone())),
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
