//! Identities of settings: what makes a setting at the base "the same" as
//! one in the new revision. An identity is the format, the identity of the
//! carrier (for embedded documents) and the key path, with every list index
//! replaced by the item's natural key where it has one (see [`super::items`]).
//!
//! Identities are strings that can be hashed and whose prefixes are the
//! identities of the parents. Keys are written in key path syntax (quoted
//! where needed) and natural keys are length-prefixed, so two different
//! identities never encode alike.

use std::collections::HashMap;
use std::fmt::Write;

use super::doc::Doc;
use super::items::{self, ItemKeys};
use super::terraform;
use crate::keypath::{self, Segment};
use crate::setting::Setting;

/// Carrier chains deeper than this are not followed (input that names itself).
pub(super) const MAX_CARRIER_DEPTH: usize = 16;

/// The identity of one setting.
#[derive(Debug, Clone, Default)]
pub(super) struct Ident {
    /// The encoded identity.
    pub text: String,
    /// Where each segment ends in `text`; `text[..ends[k]]` is the identity
    /// of the ancestor with `k + 1` segments.
    pub ends: Vec<usize>,
}

impl Ident {
    /// The identities of the ancestors, nearest first.
    pub fn ancestors(&self) -> impl Iterator<Item = &str> {
        let n = self.ends.len().saturating_sub(1);
        self.ends[..n].iter().rev().map(|&end| &self.text[..end])
    }
}

/// The identities of one side of a diff.
pub(super) struct Side {
    /// One identity per setting, in order.
    pub ids: Vec<Ident>,
    /// The setting that carries each setting's document, if any.
    pub carrier_of: Vec<Option<usize>>,
}

/// Computes the identities of both sides.
pub(super) fn identify(base: &[Setting], new: &[Setting]) -> (Side, Side) {
    let mut base = Doc::new(base);
    let mut new = Doc::new(new);
    terraform::align_repeated_blocks(&mut base, &mut new);
    (side(&base), side(&new))
}

fn side(doc: &Doc<'_>) -> Side {
    let keys = items::item_keys(doc);
    let carrier_of = carriers(doc.settings);
    let mut ids: Vec<Option<Ident>> = vec![None; doc.settings.len()];
    for i in 0..doc.settings.len() {
        ensure(i, 0, doc, &keys, &carrier_of, &mut ids);
    }
    Side {
        ids: ids.into_iter().map(Option::unwrap_or_default).collect(),
        carrier_of,
    }
}

/// The setting each setting's carrier path names: one with that path in
/// another document (the first, if several).
fn carriers(settings: &[Setting]) -> Vec<Option<usize>> {
    if settings.iter().all(|s| s.context.carrier.is_none()) {
        return vec![None; settings.len()];
    }
    let mut by_path: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in settings.iter().enumerate() {
        by_path.entry(s.path.as_str()).or_default().push(i);
    }
    settings
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let carrier = s.context.carrier.as_deref()?;
            by_path
                .get(carrier)?
                .iter()
                .copied()
                .find(|&j| j != i && settings[j].context.carrier != s.context.carrier)
        })
        .collect()
}

/// Computes the identity of setting `i` (and first that of its carrier).
fn ensure<'a>(
    i: usize,
    depth: usize,
    doc: &'a Doc<'_>,
    keys: &ItemKeys<'a>,
    carrier_of: &[Option<usize>],
    ids: &mut [Option<Ident>],
) {
    if ids[i].is_some() {
        return;
    }
    let s = &doc.settings[i];
    let segs = &doc.segs[i];
    let mut text = String::with_capacity(2 * s.path.len() + 32);
    text.push_str(s.format.as_str());
    match carrier_of[i] {
        Some(j) if depth < MAX_CARRIER_DEPTH => {
            ensure(j, depth + 1, doc, keys, carrier_of, ids);
            let carrier = ids[j].as_ref().map_or("", |id| id.text.as_str());
            let _ = write!(text, "\0c{}:{carrier}\0", carrier.len());
        }
        _ => {
            let carrier = s.context.carrier.as_deref().unwrap_or_default();
            let _ = write!(text, "\0r{}:{carrier}\0", carrier.len());
        }
    }
    let mut ends = Vec::with_capacity(segs.len());
    for (k, seg) in segs.iter().enumerate() {
        let token = match seg {
            Segment::Index(n) => keys.token(doc.heads[i], &segs[..k], *n),
            _ => None,
        };
        match token {
            Some(token) => text.push_str(token),
            None => keypath::push_segment(&mut text, seg),
        }
        ends.push(text.len());
    }
    ids[i] = Some(Ident { text, ends });
}
