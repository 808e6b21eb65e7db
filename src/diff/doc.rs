//! One side of a diff as identities are built from it: the settings, their
//! key paths split into segments, and the (format, carrier) each belongs to.
//! Shared by [`super::identity`], [`super::items`] and [`super::terraform`].

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use crate::keypath::{self, Segment};
use crate::setting::{Context, Format, Setting};

/// The settings of one side, split into segments.
pub(super) struct Doc<'a> {
    /// The settings.
    pub settings: &'a [Setting],
    /// The segments of each setting's path.
    pub segs: Vec<Vec<Segment>>,
    /// For each setting, a number shared by the settings of the same format
    /// and carrier: the start of its raw paths.
    pub heads: Vec<usize>,
}

impl<'a> Doc<'a> {
    pub(super) fn new(settings: &'a [Setting]) -> Doc<'a> {
        Doc {
            settings,
            segs: settings.iter().map(segments).collect(),
            heads: heads(settings),
        }
    }
}

/// The path segments of one setting (an object prefix becomes the first segment).
fn segments(s: &Setting) -> Vec<Segment> {
    let whole = || vec![Segment::Key(s.path.clone())];
    // A Kubernetes object or Talos document itself: `Kind/ns/name`, the
    // prefix its children carry before `:`.
    if matches!(s.format, Format::Kubernetes | Format::Talos)
        && s.context.kind.is_some()
        && !s.path.contains(':')
    {
        return whole();
    }
    match keypath::split(&s.path) {
        Some((Some(prefix), mut segs)) => {
            segs.insert(0, Segment::Key(prefix.to_string()));
            segs
        }
        Some((None, segs)) if !segs.is_empty() => segs,
        _ => whole(),
    }
}

/// Numbers the (format, carrier) pairs of one side.
fn heads(settings: &[Setting]) -> Vec<usize> {
    let mut ids: HashMap<(Format, Option<&str>), usize> = HashMap::new();
    let mut last: Option<(*const Context, Format, usize)> = None;
    settings
        .iter()
        .map(|s| {
            let ptr = Arc::as_ptr(&s.context);
            match last {
                Some((p, f, id)) if p == ptr && f == s.format => id,
                _ => {
                    let next = ids.len();
                    let key = (s.format, s.context.carrier.as_deref());
                    let id = *ids.entry(key).or_insert(next);
                    last = Some((ptr, s.format, id));
                    id
                }
            }
        })
        .collect()
}

/// A raw path: the head number, then the segments in key path syntax.
pub(super) fn raw_path(head: usize, segs: &[Segment]) -> String {
    let mut out = String::with_capacity(8 + segs.len() * 12);
    let _ = write!(out, "{head}\0");
    for seg in segs {
        keypath::push_segment(&mut out, seg);
    }
    out
}
