//! Format detection by content: which kind of document a YAML document is.

use super::tree::Node;

/// What a YAML document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// Talos v1alpha1 machine config (`version: v1alpha1` with `machine:`/`cluster:`).
    TalosMain,
    /// A Talos 1.5+ document (`apiVersion: v1alpha1` + `kind`).
    TalosDoc,
    /// A Talos strategic-merge patch (only `machine:`/`cluster:` at the top).
    TalosPatch,
    /// An RFC 6902 patch of a Talos config (`- op: … path: /machine/…`).
    TalosJsonPatch,
    /// A Talos Image Factory schematic (`customization:` / `overlay:`).
    Schematic,
    /// A talhelper `talconfig.yaml`.
    TalConfig,
    /// A Kubernetes object (`apiVersion` + `kind`).
    Kubernetes,
    /// None of the above.
    Unknown,
}

impl DocKind {
    /// The `document` context name of a Talos kind.
    pub fn talos_document(self) -> &'static str {
        match self {
            DocKind::TalosMain => "v1alpha1",
            DocKind::TalosDoc => "document",
            DocKind::TalosPatch => "patch",
            DocKind::TalosJsonPatch => "json-patch",
            DocKind::Schematic => "schematic",
            DocKind::TalConfig => "talconfig",
            DocKind::Kubernetes => "manifest",
            DocKind::Unknown => "unknown",
        }
    }
}

/// Top-level keys a Talos patch may hold besides `machine` and `cluster`.
const TALOS_PATCH_KEYS: [&str; 5] = ["machine", "cluster", "version", "debug", "persist"];

/// Classifies one document by its content.
pub fn doc_kind(doc: &Node) -> DocKind {
    if is_json_patch(doc) {
        return DocKind::TalosJsonPatch;
    }
    if !doc.is_map() {
        return DocKind::Unknown;
    }
    let has = |k: &str| doc.get(k).is_some();
    let api = doc.get("apiVersion").and_then(Node::as_str);
    let kind = doc.get("kind").and_then(Node::as_str);
    if doc.get("version").and_then(Node::as_str) == Some("v1alpha1")
        && (has("machine") || has("cluster"))
    {
        return DocKind::TalosMain;
    }
    if let (Some(api), Some(_)) = (api, kind) {
        // Talos documents use a bare `v1alpha1`; Kubernetes core is `v1`, groups have a '/'.
        return if api == "v1alpha1" {
            DocKind::TalosDoc
        } else {
            DocKind::Kubernetes
        };
    }
    let keys = doc.entries();
    if (has("machine") || has("cluster"))
        && keys
            .iter()
            .all(|e| TALOS_PATCH_KEYS.contains(&e.key.as_str()))
    {
        return DocKind::TalosPatch;
    }
    if (has("customization") || has("overlay"))
        && keys
            .iter()
            .all(|e| matches!(e.key.as_str(), "customization" | "overlay"))
    {
        return DocKind::Schematic;
    }
    if has("clusterName") && has("nodes") && (has("talosVersion") || has("endpoint")) {
        return DocKind::TalConfig;
    }
    DocKind::Unknown
}

/// Whether a document is a list of RFC 6902 operations on a Talos config.
fn is_json_patch(doc: &Node) -> bool {
    let items = doc.items();
    !items.is_empty()
        && items.iter().all(|op| {
            op.get("op").and_then(Node::as_str).is_some()
                && op
                    .get("path")
                    .and_then(Node::as_str)
                    .is_some_and(|p| p.starts_with("/machine") || p.starts_with("/cluster"))
        })
}
