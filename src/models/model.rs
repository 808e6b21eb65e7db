//! A model: a pack with a deployment and options chosen, and the area
//! references (title, RACI, owner) it gives the settings it classifies.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::classify::Match;
use crate::finding::AreaRef;
use crate::packs::{Area, Pack};

/// A pack with a deployment and options chosen: the model a setting is judged by.
#[derive(Debug, Clone)]
pub struct Model<'p> {
    /// The pack.
    pub pack: &'p Pack,
    /// Deployment id.
    pub deployment: String,
    /// Options, defaults filled in.
    pub options: BTreeMap<String, String>,
}

impl Model<'_> {
    /// The area reference (title, RACI, owner) for output.
    pub fn area_ref(&self, area: &Area) -> AreaRef {
        let (raci, _) = area.resolve(&self.deployment, &self.options);
        AreaRef {
            id: area.id.clone(),
            title: area.title.clone(),
            owner: self.pack.owner_names(&raci.responsible),
            responsible: raci.responsible,
            accountable: raci.accountable,
            consulted: raci.consulted,
            informed: raci.informed,
        }
    }
}

/// The area references of every model, built once per run (owner names and
/// RACI resolved), for output that lists many settings.
#[derive(Debug, Default)]
pub struct AreaRefs {
    /// Per model (in `Models` order), per area (in pack order).
    pub(super) by_model: Vec<Vec<Arc<AreaRef>>>,
}

impl AreaRefs {
    /// The reference of an area of the model at `model` (an index from `Models::for_file`).
    pub fn get(&self, model: Option<usize>, m: Option<Match>) -> Option<&AreaRef> {
        self.shared(model, m).map(|a| &**a)
    }

    /// As [`AreaRefs::get`], shared: findings hold it without a copy.
    pub fn shared(&self, model: Option<usize>, m: Option<Match>) -> Option<&Arc<AreaRef>> {
        self.by_model.get(model?)?.get(m?.area)
    }
}
