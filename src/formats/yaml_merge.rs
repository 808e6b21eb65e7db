//! Mapping keys and YAML merge keys (`<<`): which entries a merge brings in,
//! and how explicit and merged entries combine (explicit keys win, the last
//! duplicate wins), with linear work for large mappings.

use std::collections::{HashMap, HashSet};

use super::tree::{Entry, Node, NodeKind, Scalar};
use crate::setting::Span;

/// Mappings up to this size are searched linearly; larger ones get a hash index.
pub(super) const LINEAR_LIMIT: usize = 16;

/// A mapping item in source order: an explicit entry, or entries merged in by `<<`.
pub(super) enum MapItem {
    /// An explicit entry.
    Entry(Entry),
    /// Entries brought in by one `<<`.
    Merge(Vec<Entry>),
}

/// The text of a mapping key (complex keys are summarized).
pub(super) fn key_text(node: Node) -> String {
    match node.kind {
        NodeKind::Scalar(Scalar::Yaml { text, .. }) => text,
        NodeKind::Scalar(Scalar::Value(v)) => v.to_string(),
        NodeKind::Map(_) => "{complex key}".to_string(),
        NodeKind::Seq(_) => "[complex key]".to_string(),
    }
}

/// The entries a `<<` value brings in: a mapping, or a sequence of mappings
/// (earlier ones win), located at the place of the merge.
pub(super) fn merge_sources(node: Node, place: Span) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let sources = match node.kind {
        NodeKind::Map(entries) => vec![entries],
        NodeKind::Seq(items) => items
            .into_iter()
            .filter_map(|n| match n.kind {
                NodeKind::Map(e) => Some(e),
                _ => None,
            })
            .collect(),
        NodeKind::Scalar(_) => Vec::new(),
    };
    for entries in sources {
        for mut e in entries {
            if seen.insert(e.key.clone()) {
                e.key_span = place;
                e.value.relocate(place);
                out.push(e);
            }
        }
    }
    out
}

/// Explicit entries and merged ones back in source order.
pub(super) fn interleave(entries: Vec<Entry>, merges: Vec<(usize, Vec<Entry>)>) -> Vec<MapItem> {
    let mut items = Vec::with_capacity(entries.len() + merges.len());
    let mut merges = merges.into_iter().peekable();
    for (i, e) in entries.into_iter().enumerate() {
        while let Some((_, m)) = merges.next_if(|(at, _)| *at == i) {
            items.push(MapItem::Merge(m));
        }
        items.push(MapItem::Entry(e));
    }
    items.extend(merges.map(|(_, m)| MapItem::Merge(m)));
    items
}

/// Resolves merge keys: explicit keys win over merged ones; duplicates keep the last.
pub(super) fn merge(items: Vec<MapItem>) -> Vec<Entry> {
    let has_merge = items.iter().any(|i| matches!(i, MapItem::Merge(_)));
    let mut out: Vec<Entry> = Vec::with_capacity(items.len());
    if !has_merge && items.len() <= LINEAR_LIMIT {
        for item in items {
            if let MapItem::Entry(e) = item {
                match out.iter_mut().find(|o| o.key == e.key) {
                    Some(existing) => *existing = e,
                    None => out.push(e),
                }
            }
        }
        return out;
    }
    let explicit: HashSet<String> = items
        .iter()
        .filter_map(|i| match i {
            MapItem::Entry(e) => Some(e.key.clone()),
            MapItem::Merge(_) => None,
        })
        .collect();
    let mut position: HashMap<String, usize> = HashMap::with_capacity(items.len());
    for item in items {
        let entries = match item {
            MapItem::Entry(e) => vec![e],
            MapItem::Merge(entries) => entries
                .into_iter()
                .filter(|e| !explicit.contains(&e.key))
                .collect(),
        };
        for e in entries {
            match position.get(&e.key) {
                Some(&i) => out[i] = e,
                None => {
                    position.insert(e.key.clone(), out.len());
                    out.push(e);
                }
            }
        }
    }
    out
}
