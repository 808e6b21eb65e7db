//! Talos machine configuration: the v1alpha1 document (`machine.…`,
//! `cluster.…`), the typed documents of Talos 1.5+ (`Kind/name:…`),
//! strategic-merge and RFC 6902 patches, Image Factory schematics and
//! talhelper configs, with the documents they carry (inline manifests,
//! patches written as strings).

use std::collections::HashSet;
use std::sync::Arc;

use super::detect::DocKind;
use super::reader::Reader;
use super::route;
use super::tree::{Flattener, Node, Visit, YamlSchema, descend_all, prefix_part};
use crate::keypath;
use crate::setting::{Context, Format, Span, Value};

/// Reads one Talos document of the given kind.
pub fn read(r: &mut Reader<'_>, doc: &Node, kind: DocKind, carrier: Option<String>) {
    let context = Arc::new(Context {
        document: kind.talos_document().to_string(),
        carrier,
        ..Context::default()
    });
    match kind {
        DocKind::TalosDoc => typed_document(r, doc, context),
        DocKind::TalosJsonPatch => json_patch(r, doc, context),
        _ => plain_document(r, doc, kind, context),
    }
}

fn flattener<'a>(r: &'a mut Reader<'_>, context: Arc<Context>) -> Flattener<'a> {
    r.flattener(Format::Talos, context)
}

/// The v1alpha1 document, patches, schematics and talconfig: key paths from the root.
fn plain_document(r: &mut Reader<'_>, doc: &Node, kind: DocKind, context: Arc<Context>) {
    let carried = carried_strings(doc, kind);
    // A set: a document may carry many strings, and every node asks.
    let carrier_paths: HashSet<&str> = carried.iter().map(|(p, _)| p.as_str()).collect();
    let services = extension_services(doc, kind);
    let service_paths: HashSet<&str> = services.iter().map(|(p, _, _)| p.as_str()).collect();
    let mut path = String::new();
    let mut hook = |rel: &str, _: &Node| {
        if carrier_paths.contains(rel) || service_paths.contains(rel) {
            Visit::Carrier
        } else {
            Visit::Descend
        }
    };
    flattener(r, Arc::clone(&context)).children(doc, &mut path, 0, &mut hook);
    // A talhelper extension service's settings carry the service's name.
    for (at, node, name) in services {
        let ctx = Arc::new(Context {
            name,
            ..(*context).clone()
        });
        let mut path = at;
        let len = path.len();
        flattener(r, ctx).children(node, &mut path, len, &mut super::tree::descend_all);
    }
    for (at, node) in carried {
        for (i, inner) in r.embedded_yaml(node, &at).iter().enumerate() {
            route::embedded_by_content(r, inner, i, at.clone());
        }
    }
}

/// The `nodes[].extensionServices[]` entries of a talhelper config, with their names.
fn extension_services(doc: &Node, kind: DocKind) -> Vec<(String, &Node, Option<String>)> {
    if kind != DocKind::TalConfig {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, n) in doc.items_at("nodes").iter().enumerate() {
        let services = n
            .get("extensionServices")
            .map(Node::items)
            .unwrap_or_default();
        for (j, svc) in services.iter().enumerate() {
            let name = svc.get("name").and_then(Node::as_str).map(str::to_string);
            out.push((format!("nodes[{i}].extensionServices[{j}]"), svc, name));
        }
    }
    out
}

/// Strings in a Talos document that hold documents of their own:
/// `cluster.inlineManifests[].contents`, and talhelper patches written inline.
fn carried_strings(doc: &Node, kind: DocKind) -> Vec<(String, &Node)> {
    let mut out = Vec::new();
    let inline = doc
        .get_path(&["cluster", "inlineManifests"])
        .map(Node::items)
        .unwrap_or_default();
    for (i, m) in inline.iter().enumerate() {
        if let Some(c) = m.get("contents") {
            out.push((format!("cluster.inlineManifests[{i}].contents"), c));
        }
    }
    if kind == DocKind::TalConfig {
        let mut lists: Vec<(String, &Node)> = Vec::new();
        for at in ["patches", "controlPlane", "worker"] {
            let node = if at == "patches" {
                doc.get(at)
            } else {
                doc.get_path(&[at, "patches"])
            };
            if let Some(n) = node {
                let p = if at == "patches" {
                    at.to_string()
                } else {
                    format!("{at}.patches")
                };
                lists.push((p, n));
            }
        }
        for (i, n) in doc.items_at("nodes").iter().enumerate() {
            if let Some(p) = n.get("patches") {
                lists.push((format!("nodes[{i}].patches"), p));
            }
        }
        for (at, list) in lists {
            for (i, p) in list.items().iter().enumerate() {
                if p.as_str().is_some_and(|s| !s.trim_start().starts_with('@')) {
                    out.push((format!("{at}[{i}]"), p));
                }
            }
        }
    }
    out
}

/// A Talos 1.5+ document: `Kind/name:` prefix, `apiVersion` and `kind` left out.
fn typed_document(r: &mut Reader<'_>, doc: &Node, context: Arc<Context>) {
    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or_default();
    let name = doc.get("name").and_then(Node::as_str);
    let prefix = match name {
        Some(name) => format!("{}/{}", prefix_part(kind), prefix_part(name)),
        None => prefix_part(kind).into_owned(),
    };
    let context = Arc::new(Context {
        api_version: doc
            .get("apiVersion")
            .and_then(Node::as_str)
            .map(str::to_string),
        kind: Some(kind.to_string()),
        name: name.map(str::to_string),
        ..(*context).clone()
    });
    let mut f = flattener(r, context);
    f.emit(&prefix, doc.value(YamlSchema::Core), doc.span);
    let mut path = format!("{prefix}:");
    let base = path.len();
    let mut hook = |rel: &str, _: &Node| {
        if rel == "apiVersion" || rel == "kind" {
            Visit::Skip
        } else {
            Visit::Descend
        }
    };
    f.children(doc, &mut path, base, &mut hook);
}

/// RFC 6902 operations: each op's JSON pointer becomes the key path; the
/// value of `add`/`replace` is emitted under it; other ops are recorded as `(op)`.
fn json_patch(r: &mut Reader<'_>, doc: &Node, context: Arc<Context>) {
    let mut f = flattener(r, context);
    for op in doc.items() {
        let (Some(name), Some(pointer)) = (
            op.get("op").and_then(Node::as_str),
            op.get("path").and_then(Node::as_str),
        ) else {
            continue;
        };
        let Some(segments) = keypath::from_json_pointer(pointer) else {
            continue;
        };
        let mut path = keypath::join(&segments);
        match (name, op.entry("value")) {
            ("add" | "replace", Some(value)) => {
                let span = Span::new(value.key_span.start, value.value.span.end);
                f.node(&value.value, span, &mut path, 0, &mut descend_all);
            }
            _ => f.emit(&path, Value::Expr(format!("({name})")), op.span),
        }
    }
}
