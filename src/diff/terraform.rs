//! Terraform nested blocks are indexed only when repeated: one `ingress {}`
//! is `…ingress.from_port`, two are `…ingress[0].from_port` and
//! `…ingress[1].from_port`. When one side repeats a block the other writes
//! once, the single block is read as item 0 of the list, so that adding a
//! second block does not remove and re-add the first.

use std::collections::HashSet;

use super::doc::{Doc, raw_path};
use crate::keypath::{self, Segment};
use crate::setting::Format;

/// Terraform settings are never carried by another document: one head.
const HEAD: usize = 0;

/// Inserts `[0]` after single blocks whose name the other side repeats.
pub(super) fn align_repeated_blocks(base: &mut Doc<'_>, new: &mut Doc<'_>) {
    let base_groups = repeated_blocks(base);
    let new_groups = repeated_blocks(new);
    index_single_blocks(new, &base_groups);
    index_single_blocks(base, &new_groups);
}

/// The Terraform settings of a side, with their segments.
fn terraform<'d>(doc: &'d Doc<'_>) -> impl Iterator<Item = &'d [Segment]> {
    doc.settings
        .iter()
        .zip(&doc.segs)
        .filter(|(s, _)| s.format == Format::Terraform)
        .map(|(_, segs)| segs.as_slice())
}

/// Raw paths of repeated blocks: lists whose items have settings but which
/// have no setting of their own (an attribute list always has one).
fn repeated_blocks(doc: &Doc<'_>) -> HashSet<String> {
    let mut groups = HashSet::new();
    let indexed = |segs: &[Segment]| segs.iter().any(|s| matches!(s, Segment::Index(_)));
    if !terraform(doc).any(indexed) {
        return groups;
    }
    let own: HashSet<String> = terraform(doc).map(|segs| raw_path(HEAD, segs)).collect();
    for segs in terraform(doc).filter(|segs| indexed(segs)) {
        for (j, seg) in segs.iter().enumerate() {
            if matches!(seg, Segment::Index(_)) {
                let list = raw_path(HEAD, &segs[..j]);
                if !own.contains(&list) {
                    groups.insert(list);
                }
            }
        }
    }
    groups
}

/// Rewrites `…name.rest` to `…name[0].rest` where `name` is in `other`'s groups.
fn index_single_blocks(doc: &mut Doc<'_>, other: &HashSet<String>) {
    if other.is_empty() {
        return;
    }
    for (s, segs) in doc.settings.iter().zip(doc.segs.iter_mut()) {
        if s.format != Format::Terraform {
            continue;
        }
        let mut raw = raw_path(HEAD, &[]);
        let mut j = 0;
        while j < segs.len() {
            keypath::push_segment(&mut raw, &segs[j]);
            let single = matches!(segs[j], Segment::Key(_))
                && !matches!(segs.get(j + 1), Some(Segment::Index(_)))
                && other.contains(&raw);
            if single {
                segs.insert(j + 1, Segment::Index(0));
                keypath::push_segment(&mut raw, &Segment::Index(0));
                j += 1;
            }
            j += 1;
        }
    }
}
