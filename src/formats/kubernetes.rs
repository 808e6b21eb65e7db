//! Kubernetes manifests: every object's fields under the key path prefix
//! `Kind/namespace/name:`, and the documents some objects carry, followed into
//! their own format (Flux `HelmRelease` and Argo CD `Application` values, k3s
//! `HelmChart`, STACKIT `EdgeImage` schematics, Cluster API Talos patches).

use std::collections::HashSet;
use std::sync::Arc;

use super::detect::DocKind;
use super::gitops;
use super::helm::{self, SetValue};
use super::reader::Reader;
use super::route;
use super::tree::{Node, NodeKind, Visit, YamlSchema, prefix_part};
use crate::setting::{Context, Format, Value};

mod carriers;

use carriers::{Carried, Carries, carried};

/// Reads one Kubernetes object (document `index` of its file).
pub fn read(r: &mut Reader<'_>, doc: &Node, index: usize, carrier: Option<String>) {
    read_as(r, doc, index, carrier, None);
}

/// Reads a kustomization that does not name its `apiVersion` and `kind`
/// (kustomize accepts that in a file named `kustomization.yaml`).
pub fn read_kustomization(r: &mut Reader<'_>, doc: &Node, index: usize) {
    read_as(
        r,
        doc,
        index,
        None,
        Some(("kustomize.config.k8s.io/v1beta1", "Kustomization")),
    );
}

fn read_as(
    r: &mut Reader<'_>,
    doc: &Node,
    index: usize,
    carrier: Option<String>,
    implied: Option<(&str, &str)>,
) {
    let text = |n: Option<&Node>| n.and_then(Node::as_str).map(str::to_string);
    let api = text(doc.get("apiVersion"))
        .or_else(|| implied.map(|(a, _)| a.to_string()))
        .unwrap_or_default();
    let kind = text(doc.get("kind"))
        .or_else(|| implied.map(|(_, k)| k.to_string()))
        .unwrap_or_default();
    let meta = doc.get("metadata");
    let namespace = text(meta.and_then(|m| m.get("namespace")));
    let name = text(meta.and_then(|m| m.get("name")))
        .or_else(|| text(meta.and_then(|m| m.get("generateName"))))
        .unwrap_or_else(|| format!("#{}", index + 1));
    let (k, n) = (prefix_part(&kind), prefix_part(&name));
    let prefix = match &namespace {
        Some(ns) => format!("{k}/{}/{n}", prefix_part(ns)),
        None => format!("{k}/{n}"),
    };
    let mut deploys = gitops::deploys(&api, &kind, doc, &r.sources);
    let mut carried = carried(&api, &kind, &name, doc, &deploys);
    if let Some((from, key)) = r.sources.values_for(&kind, &name) {
        // A ConfigMap or Secret that holds a release's values belongs to its chart.
        deploys.chart.clone_from(&from.chart);
        deploys.repository.clone_from(&from.repository);
        if let Some(node) = doc.get("data").and_then(|d| d.get(key)) {
            carried.push(Carried {
                path: {
                    let mut p = "data".to_string();
                    crate::keypath::push_key(&mut p, key);
                    p
                },
                node,
                what: Carries::ValuesText {
                    chart: from.chart.clone(),
                    release: None,
                },
                repository: from.repository.clone(),
            });
        }
    }
    let kustomize = kind == "Kustomization" && api.starts_with("kustomize.config.k8s.io/");
    let context = Arc::new(Context {
        document: "manifest".to_string(),
        api_version: Some(api),
        kind: Some(kind),
        namespace,
        name: Some(name),
        carrier,
        chart: deploys.chart,
        repository: deploys.repository,
        image: deploys.image,
        ..Context::default()
    });
    let mut f = r.flattener(Format::Kubernetes, context);
    f.emit(&prefix, doc.value(YamlSchema::Yaml11), doc.span);
    let mut path = format!("{prefix}:");
    let base = path.len();
    // A set: an object may carry many documents, and every node asks.
    let carrier_paths: HashSet<&str> = carried.iter().map(|c| c.path.as_str()).collect();
    let mut hook = |rel: &str, node: &Node| {
        // A kustomization's lists are read entry by entry (kustomize.rs); a
        // list key holding anything else is read as it is, so no value of
        // it goes unread.
        let entries = kustomize
            && matches!(rel, "images" | "helmCharts" | "patches" | "patchesJson6902")
            && matches!(node.kind, NodeKind::Seq(_));
        if rel == "apiVersion" || rel == "kind" {
            Visit::Skip
        } else if carrier_paths.contains(rel) || entries {
            Visit::Carrier
        } else {
            Visit::Descend
        }
    };
    f.children(doc, &mut path, base, &mut hook);
    if kustomize {
        let context = Arc::clone(&f.context);
        super::kustomize::entries(r, doc, &prefix, &context);
    }
    for c in &carried {
        let carrier = format!("{prefix}:{}", c.path);
        follow(r, c, carrier);
    }
}

/// Emits the settings of one carried document.
fn follow(r: &mut Reader<'_>, c: &Carried<'_>, carrier: String) {
    let values_ctx = |chart: &Option<String>, release: &Option<String>, carrier: String| {
        let ctx = helm::values_context(chart.clone(), release.clone(), Some(carrier));
        match &c.repository {
            None => ctx,
            Some(repo) => Arc::new(Context {
                repository: Some(repo.clone()),
                ..(*ctx).clone()
            }),
        }
    };
    match &c.what {
        Carries::Values { chart, release } => {
            let ctx = values_ctx(chart, release, carrier);
            helm::read_values(r, c.node, ctx);
        }
        Carries::ValuesText { chart, release } => {
            let ctx = values_ctx(chart, release, carrier.clone());
            for doc in r.embedded_yaml(c.node, &carrier) {
                helm::read_values(r, &doc, Arc::clone(&ctx));
            }
        }
        Carries::Parameters { chart, release } => {
            let ctx = values_ctx(chart, release, carrier);
            let values = c.node.items().iter().filter_map(|p| {
                Some(SetValue {
                    name: p.get("name")?.as_str()?.to_string(),
                    value: Value::Str(
                        p.get("value")
                            .and_then(Node::as_str)
                            .unwrap_or_default()
                            .to_string(),
                    ),
                    span: p.span,
                })
            });
            helm::read_set_values(r, values, ctx);
        }
        Carries::SetMap { chart, release } => {
            let ctx = values_ctx(chart, release, carrier);
            let values = c.node.entries().iter().map(|e| SetValue {
                name: e.key.clone(),
                value: e.value.value(YamlSchema::Yaml11),
                span: crate::setting::Span::new(e.key_span.start, e.value.span.end),
            });
            helm::read_set_values(r, values, ctx);
        }
        Carries::SchematicText => {
            for doc in r.embedded_yaml(c.node, &carrier) {
                route::embedded(r, &doc, DocKind::Schematic, 0, carrier.clone());
            }
        }
        Carries::TalosJsonPatches => {
            route::embedded(r, c.node, DocKind::TalosJsonPatch, 0, carrier);
        }
    }
}
