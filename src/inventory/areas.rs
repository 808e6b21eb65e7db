//! The areas of the models in use, with their settings and files counted,
//! and what `explain` says about them: the vendor's row, RACI and each
//! party's duties.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::models::AreaRefs;
use crate::models::Models;
use crate::packs::{Raci, Role, Support};

/// One party's duties in an area.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Duty {
    /// The role.
    pub role: Role,
    /// The party's name in the vendor's table.
    pub party: String,
    /// What the party does, as short paraphrases.
    pub duties: Vec<String>,
}

/// One area of a model, with its counts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AreaRow {
    /// Vendor id.
    pub vendor: String,
    /// Vendor name.
    pub vendor_name: String,
    /// Deployment id.
    pub deployment: String,
    /// Area id.
    pub id: String,
    /// Title as the vendor words it.
    pub title: String,
    /// Responsible parties' names.
    pub owner: String,
    /// Settings classified into it.
    pub settings: usize,
    /// Files holding them.
    pub files: usize,
    /// Where the row is in the vendor's document.
    pub row: String,
    /// Vendor support level.
    pub support: Support,
    /// RACI for the deployment and options.
    pub raci: Raci,
    /// Duties per party.
    pub duties: Vec<Duty>,
    /// The names the vendor's table gives the roles.
    #[serde(skip)]
    pub parties: BTreeMap<Role, String>,
}

/// Rows for every area of every model, merging models that resolve to the
/// same vendor, deployment and owner; `counts` is (model, area) → (settings, files).
pub fn rows(
    models: &Models<'_>,
    refs: &AreaRefs,
    counts: &BTreeMap<(usize, usize), (usize, usize)>,
) -> Vec<AreaRow> {
    let mut out: Vec<AreaRow> = Vec::new();
    let mut seen: HashMap<(String, String, String, String), usize> = HashMap::new();
    for (mi, entry) in models.entries().iter().enumerate() {
        let model = &entry.model;
        for (ai, area) in model.pack.areas.iter().enumerate() {
            let (settings, files) = counts.get(&(mi, ai)).copied().unwrap_or((0, 0));
            let owner = refs
                .get(Some(mi), Some(crate::classify::Match { area: ai, rule: 0 }))
                .map_or_else(String::new, |r| r.owner.clone());
            let key = (
                model.pack.id.clone(),
                model.deployment.clone(),
                area.id.clone(),
                owner.clone(),
            );
            if let Some(&i) = seen.get(&key) {
                out[i].settings += settings;
                out[i].files += files;
                continue;
            }
            let (raci, duties) = area.resolve(&model.deployment, &model.options);
            let duties = duties
                .into_iter()
                .map(|(role, duties)| Duty {
                    party: model
                        .pack
                        .parties
                        .get(&role)
                        .cloned()
                        .unwrap_or_else(|| role.to_string()),
                    role,
                    duties,
                })
                .collect();
            seen.insert(key, out.len());
            out.push(AreaRow {
                vendor: model.pack.id.clone(),
                vendor_name: model.pack.name.clone(),
                deployment: model.deployment.clone(),
                id: area.id.clone(),
                title: area.title.clone(),
                owner,
                settings,
                files,
                row: area.row.clone(),
                support: area.support,
                raci,
                duties,
                parties: model.pack.parties.clone(),
            });
        }
    }
    out
}
