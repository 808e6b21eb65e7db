//! Semantic diff of the settings of one file between a base revision and
//! the new revision: which settings were [added](ChangeKind::Added),
//! [modified](ChangeKind::Modified) or [removed](ChangeKind::Removed).
//!
//! Settings are compared by identity, not by line: the format, the identity
//! of the setting carrying an embedded document, and the key path with list
//! indices replaced by the items' natural keys ([`items`]); a Terraform block
//! written once is item 0 of the same block repeated. Reformatting,
//! reordering keys or documents, comments and quoting style change nothing,
//! and inserting a list item adds only that item. Settings sharing an
//! identity are paired in order of occurrence. Values are
//! compared, spans ignored; a type change (`true` → `"true"`) is a
//! modification. Leaves (scalars) are reported; a block only when it is
//! added or removed with nothing inside (`{}`, `[]`), or when it turns into
//! a scalar or back. A removed setting is located at its nearest surviving
//! parent in the new file; with none (a whole document or top-level block
//! removed), where it stood: the start of the next surviving setting, or the
//! end of the file's last one (line 1 only if the new file has no settings).
//!
//! The cost is linear in the number of settings of the file (hash maps, no
//! pairwise comparison).

mod doc;
mod identity;
pub mod items;
mod terraform;

use std::collections::HashMap;

pub use crate::findings::ChangeKind;
use crate::setting::{Pos, Setting, Span, Value};
use identity::Side;

/// One changed setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Added, modified or removed.
    pub kind: ChangeKind,
    /// The setting at the base (`None` when added).
    pub before: Option<Setting>,
    /// The setting in the new revision (`None` when removed).
    pub after: Option<Setting>,
    /// Where to report it in the new file: the new setting's span, or for a
    /// removed setting the span of its nearest surviving parent, or where it
    /// stood (line 1, column 1 only when the new file has no settings, as
    /// when the file was deleted).
    pub span: Span,
}

impl Change {
    /// The setting the change is about: the new one, or the base one if removed.
    pub fn setting(&self) -> Option<&Setting> {
        self.after.as_ref().or(self.before.as_ref())
    }
}

/// Compares the settings of one file at the base (`base`) and in the new
/// revision (`new`), each in document order as the parser produces them.
/// Parse the base content under the new path (after a rename) so that the
/// settings name the file being reported. A deleted file is `new = &[]`, an
/// added one `base = &[]`. Changes are sorted by location.
pub fn diff(base: &[Setting], new: &[Setting]) -> Vec<Change> {
    diff_with_pairs(base, new).0
}

/// As [`diff`], and the settings paired unchanged: (index in `base`, index
/// in `new`). Their text is the same at both ends, but what governs them
/// (the file's path, its chart, the model) may not be.
pub fn diff_with_pairs(base: &[Setting], new: &[Setting]) -> (Vec<Change>, Vec<(usize, usize)>) {
    let (ids_base, ids_new) = identity::identify(base, new);
    let inside_base = has_inside(base);
    let inside_new = has_inside(new);

    // Pair settings of equal identity, in order of occurrence.
    let mut by_id_new = Occurrences::of(&ids_new);
    let mut partner: Vec<Option<usize>> = vec![None; new.len()];
    let mut paired = vec![false; base.len()];
    for (b, id) in ids_base.ids.iter().enumerate() {
        if let Some(n) = by_id_new.take(&id.text) {
            partner[n] = Some(b);
            paired[b] = true;
        }
    }

    let mut out = Vec::new();
    let mut same = Vec::new();
    for (n, after) in new.iter().enumerate() {
        match partner[n] {
            None if reported_alone(after, inside_new[n]) => out.push(Change {
                kind: ChangeKind::Added,
                before: None,
                after: Some(after.clone()),
                span: after.span,
            }),
            Some(b) if modified(&base[b], inside_base[b], after, inside_new[n]) => {
                out.push(Change {
                    kind: ChangeKind::Modified,
                    before: Some(base[b].clone()),
                    after: Some(after.clone()),
                    span: after.span,
                });
            }
            Some(b) => same.push((b, n)),
            None => {}
        }
    }
    let mut new_of_base: Vec<Option<usize>> = vec![None; base.len()];
    for (n, b) in partner.iter().enumerate() {
        if let Some(b) = b {
            new_of_base[*b] = Some(n);
        }
    }
    for (b, before) in base.iter().enumerate() {
        if !paired[b] && reported_alone(before, inside_base[b]) {
            out.push(Change {
                kind: ChangeKind::Removed,
                before: Some(before.clone()),
                after: None,
                span: surviving_parent(b, &ids_base, &by_id_new, new, 0)
                    .unwrap_or_else(|| where_it_stood(b, &new_of_base, new)),
            });
        }
    }
    out.sort_by_key(|c| c.span.start);
    (out, same)
}

/// The settings of one side by identity, in order of occurrence.
struct Occurrences<'a> {
    /// The first setting with each identity.
    first: HashMap<&'a str, usize>,
    /// The next setting with the same identity as each setting.
    next: Vec<Option<usize>>,
    /// Indexed by first occurrence: the next one not yet taken.
    cursor: Vec<Option<usize>>,
}

impl<'a> Occurrences<'a> {
    fn of(side: &'a Side) -> Occurrences<'a> {
        let n = side.ids.len();
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(n);
        let mut next = vec![None; n];
        // Walk backwards so each identity ends up at its first occurrence.
        for (i, id) in side.ids.iter().enumerate().rev() {
            if let Some(later) = first.insert(id.text.as_str(), i) {
                next[i] = Some(later);
            }
        }
        let cursor = (0..n).map(Some).collect();
        Occurrences {
            first,
            next,
            cursor,
        }
    }

    /// The first setting with this identity.
    fn first(&self, id: &str) -> Option<usize> {
        self.first.get(id).copied()
    }

    /// Takes the next setting with this identity not taken yet.
    fn take(&mut self, id: &str) -> Option<usize> {
        let first = self.first(id)?;
        let taken = self.cursor[first]?;
        self.cursor[first] = self.next[taken];
        Some(taken)
    }
}

/// For each setting, whether other settings are written inside it: the next
/// setting in document order lies within its span (children, or the
/// settings of a document it carries).
fn has_inside(settings: &[Setting]) -> Vec<bool> {
    let mut out: Vec<bool> = settings
        .windows(2)
        .map(|w| {
            let (outer, inner) = (w[0].span, w[1].span);
            w[0].is_block() && outer.start <= inner.start && inner.end <= outer.end
        })
        .collect();
    out.resize(settings.len(), false);
    out
}

/// Whether a setting present on one side only is reported: a leaf, or a
/// block with nothing inside.
fn reported_alone(s: &Setting, inside: bool) -> bool {
    !s.is_block() || !inside
}

/// Whether a paired setting is reported as modified.
fn modified(before: &Setting, inside_before: bool, after: &Setting, inside_after: bool) -> bool {
    match (&before.value, &after.value) {
        (Value::Map(_), Value::Map(_)) | (Value::Seq(_), Value::Seq(_)) => false,
        // A mapping became a list: reported unless both have leaves of their own.
        (Value::Map(_), Value::Seq(_)) | (Value::Seq(_), Value::Map(_)) => {
            !inside_before || !inside_after
        }
        (a, b) => a != b,
    }
}

/// Where a removed base setting is reported: the span of its nearest
/// ancestor that survives in the new file, following embedded documents out
/// to their carrier; `None` if none does.
fn surviving_parent(
    b: usize,
    ids_base: &Side,
    by_id_new: &Occurrences<'_>,
    new: &[Setting],
    depth: usize,
) -> Option<Span> {
    let first = |id: &str| by_id_new.first(id).map(|n| new[n].span);
    if let Some(span) = ids_base.ids[b].ancestors().find_map(first) {
        return Some(span);
    }
    match ids_base.carrier_of[b] {
        Some(c) if depth < identity::MAX_CARRIER_DEPTH => first(&ids_base.ids[c].text)
            .or_else(|| surviving_parent(c, ids_base, by_id_new, new, depth + 1)),
        _ => None,
    }
}

/// Where a removed setting with no surviving parent stood in the new file:
/// at the start of the next base setting that survives (the document or
/// block that now follows), else at the end of the last setting of the new
/// file (where the removed document's separator was); line 1 only when the
/// new file has no settings.
fn where_it_stood(b: usize, new_of_base: &[Option<usize>], new: &[Setting]) -> Span {
    if let Some(n) = new_of_base[b + 1..].iter().flatten().next() {
        return Span::at(new[*n].span.start);
    }
    match new.iter().map(|s| s.span.end).max() {
        Some(end) => Span::at(end),
        None => Span::at(Pos::new(1, 1)),
    }
}
