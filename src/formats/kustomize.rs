//! Kustomizations (`kustomize.config.k8s.io`): the entries of `images`,
//! `helmCharts` and `patches`, each read with what it is about as context (the
//! image it names, the chart and repository it inflates, the object a patch
//! targets), and a chart's `valuesInline` as that chart's Helm values.

use std::sync::Arc;

use super::chart::chart_from_ref;
use super::gitops::{Deploys, text};
use super::helm;
use super::reader::Reader;
use super::tree::{Node, Visit};
use crate::setting::{Context, Format};

/// The context of one kustomize `images` entry: its image (`name`).
fn image(entry: &Node) -> Deploys {
    Deploys {
        image: text(entry.get("name")).or_else(|| text(entry.get("newName"))),
        ..Deploys::default()
    }
}

/// The context of one kustomize `helmCharts` entry: its chart and repository.
fn chart(entry: &Node) -> Deploys {
    Deploys {
        chart: text(entry.get("name")).as_deref().and_then(chart_from_ref),
        repository: text(entry.get("repo")),
        image: None,
    }
}

/// The context of one kustomize `patches` entry: none of its own (the
/// object it targets is given by name; see the reader).
fn patch(_: &Node) -> Deploys {
    Deploys::default()
}

/// Whether a file is a kustomization by its name.
pub fn is_kustomization_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

/// Emits a kustomization's `images`, `helmCharts` and `patches` entries, each
/// with the image or chart it names (a patch: the name and namespace of the
/// object it targets) as context (and a chart's `valuesInline` as its
/// Helm values).
pub(super) fn entries(r: &mut Reader<'_>, doc: &Node, prefix: &str, base: &Arc<Context>) {
    for (list, per_entry) in [
        ("images", image as fn(&Node) -> Deploys),
        ("helmCharts", chart),
        ("patches", patch),
        ("patchesJson6902", patch),
    ] {
        for (i, entry) in doc
            .get(list)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let d = per_entry(entry);
            // A patch is about the object it targets: its name and namespace.
            let target = |key: &str| {
                entry
                    .get_path(&["target", key])
                    .and_then(Node::as_str)
                    .map(str::to_string)
            };
            let (name, namespace) = if list.starts_with("patches") {
                (target("name"), target("namespace"))
            } else {
                (base.name.clone(), base.namespace.clone())
            };
            let context = Arc::new(Context {
                chart: d.chart.clone(),
                repository: d.repository.clone(),
                image: d.image,
                name,
                namespace,
                ..(**base).clone()
            });
            let mut path = format!("{prefix}:{list}");
            crate::keypath::push_index(&mut path, i);
            let at = path.clone();
            let inline = entry.get("valuesInline");
            let mut f = r.flattener(Format::Kubernetes, context);
            let base_len = path.len();
            let mut hook = |rel: &str, _: &Node| {
                if inline.is_some() && rel == "valuesInline" {
                    Visit::Carrier
                } else {
                    Visit::Descend
                }
            };
            f.node(entry, entry.span, &mut path, base_len, &mut hook);
            if let Some(values) = inline {
                let release = entry
                    .get("releaseName")
                    .and_then(Node::as_str)
                    .map(str::to_string);
                let ctx = Arc::new(Context {
                    repository: d.repository,
                    ..(*helm::values_context(d.chart, release, Some(format!("{at}.valuesInline"))))
                        .clone()
                });
                helm::read_values(r, values, ctx);
            }
        }
    }
}
