//! Tree mode (no base revision): notes for settings in areas only the vendor
//! is responsible for. Shared by `lint`, which feeds settings one by one as
//! a file is read, and `report`, which has them all (and settles
//! allowances the way `lint` does).

use super::{Finding, judge};
use crate::classify::Match;
use crate::models::{AreaRefs, Models};
use crate::packs::Role;
use crate::setting::{Setting, SettingRef};

/// The notes of one file under one model, built from its settings in
/// document order: a leaf in a vendor-only area is a note; a block is one
/// only when no setting below it follows (its leaves stand for it).
pub struct Notes<'a, 'p> {
    models: &'a Models<'p>,
    model: usize,
    areas: &'a AreaRefs,
    /// Per area of the model's pack: the note's text after the key path,
    /// `Some(None)` for an area that is not the vendor's alone.
    texts: Vec<Option<Option<String>>>,
    /// A block note waiting to see whether a setting below it follows.
    pending: Option<(String, Finding)>,
    out: Vec<Finding>,
}

impl<'a, 'p> Notes<'a, 'p> {
    /// Notes under the model at `model` (an index from `Models::for_file`);
    /// `None` when there is no such model.
    pub fn new(models: &'a Models<'p>, model: Option<usize>, areas: &'a AreaRefs) -> Option<Self> {
        let index = model?;
        let pack = models.model(index)?.pack;
        Some(Notes {
            models,
            model: index,
            areas,
            texts: vec![None; pack.areas.len()],
            pending: None,
            out: Vec::new(),
        })
    }

    /// Takes the next setting of the file, with its match.
    pub fn push(&mut self, s: &SettingRef<'_>, m: Option<Match>) {
        if let Some((path, f)) = self.pending.take() {
            if !is_child(&path, s.path) {
                self.out.push(f);
            }
        }
        let Some(m) = m else { return };
        // Only areas the vendor alone is responsible for (resolved once per run).
        let Some(area_ref) = self
            .areas
            .shared(Some(self.model), Some(m))
            .filter(|a| a.responsible == [Role::Vendor])
        else {
            return;
        };
        let Some(model) = self.models.model(self.model) else {
            return;
        };
        let area = &model.pack.areas[m.area];
        let Some(slot) = self.texts.get_mut(m.area) else {
            return;
        };
        let Some(text) = slot.get_or_insert_with(|| judge::tree_note_text(model, area)) else {
            return;
        };
        let f = judge::tree_note(s, text, area_ref);
        if s.is_block() {
            self.pending = Some((s.path.to_string(), f));
        } else {
            self.out.push(f);
        }
    }

    /// The notes, in document order.
    pub fn finish(mut self) -> Vec<Finding> {
        if let Some((_, f)) = self.pending.take() {
            self.out.push(f);
        }
        self.out
    }
}

/// Notes for the settings of one file (in source order, with their
/// matches, under the model at `model`).
pub fn notes(
    settings: &[Setting],
    matches: &[Option<Match>],
    model: Option<usize>,
    models: &Models<'_>,
    areas: &AreaRefs,
) -> Vec<Finding> {
    let Some(mut notes) = Notes::new(models, model, areas) else {
        return Vec::new();
    };
    for (s, m) in settings.iter().zip(matches) {
        notes.push(&s.view(), *m);
    }
    notes.finish()
}

/// Whether `child` is a key path below `parent`.
fn is_child(parent: &str, child: &str) -> bool {
    child
        .strip_prefix(parent)
        .is_some_and(|rest| rest.starts_with(['.', '[', ':']))
}
