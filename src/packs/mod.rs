//! Rule packs: one vendor's shared-responsibility model (parties,
//! deployments, options, areas, responsibilities) and the matchers that map
//! settings to its areas.

mod areas;
pub mod builtin;
mod example_read;
pub mod examples;
pub mod glob;
pub mod load;
mod matchers;
pub mod rule;

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::finding::Role;

/// How well the vendor supports an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// Supported under the normal terms.
    #[default]
    Full,
    /// Supported on a best-effort basis only.
    BestEffort,
}

/// RACI lists of roles for one cell of the table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Raci {
    /// Does the work.
    pub responsible: Vec<Role>,
    /// Answers for it.
    pub accountable: Vec<Role>,
    /// Is asked before.
    pub consulted: Vec<Role>,
    /// Is told after.
    pub informed: Vec<Role>,
}

impl Raci {
    /// The RACI letters a role holds in this cell, as words (empty when it
    /// holds none: its duties do not apply here).
    pub fn held_by(&self, role: Role) -> Vec<&'static str> {
        [
            ("responsible", &self.responsible),
            ("accountable", &self.accountable),
            ("consulted", &self.consulted),
            ("informed", &self.informed),
        ]
        .into_iter()
        .filter(|(_, roles)| roles.contains(&role))
        .map(|(word, _)| word)
        .collect()
    }
}

/// Duties per role, as short paraphrases.
pub type Duties = BTreeMap<Role, Vec<String>>;

/// Cells (and duties) that apply when options have given values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// Option id → value; all must hold.
    pub when: BTreeMap<String, String>,
    /// Deployment id → cell, replacing the base cell.
    pub responsibility: BTreeMap<String, Raci>,
    /// Duties replacing the base duties of the roles listed.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub duties: Duties,
}

/// One row of the vendor's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Stable id, e.g. `edgehostlet`.
    pub id: String,
    /// The row's title as the vendor words it.
    pub title: String,
    /// Where the row is in the vendor's document.
    pub row: String,
    /// Vendor support level.
    pub support: Support,
    /// Duties per role.
    pub duties: Duties,
    /// Deployment id → cell.
    pub responsibility: BTreeMap<String, Raci>,
    /// Option-dependent cells.
    pub variants: Vec<Variant>,
    /// Line of the area in the pack file.
    pub line: u32,
}

impl Area {
    /// The cell and duties for a deployment under the given options
    /// (variants apply in order; later ones win).
    pub fn resolve(&self, deployment: &str, options: &BTreeMap<String, String>) -> (Raci, Duties) {
        let mut raci = self
            .responsibility
            .get(deployment)
            .cloned()
            .unwrap_or_default();
        let mut duties = self.duties.clone();
        for v in &self.variants {
            if v.when.iter().all(|(k, val)| options.get(k) == Some(val)) {
                if let Some(cell) = v.responsibility.get(deployment) {
                    raci = cell.clone();
                }
                for (role, list) in &v.duties {
                    duties.insert(*role, list.clone());
                }
            }
        }
        (raci, duties)
    }
}

/// Where a pack's model comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PackSource {
    /// Title of the vendor's document.
    pub title: String,
    /// Version or date of the document.
    pub version: String,
    /// Address of the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The seed file the pack encodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
}

/// A deployment model (a column of the table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deployment {
    /// Stable id, e.g. `onprem-vm`.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A switch that changes some cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptionDef {
    /// Stable id, e.g. `tier`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Allowed values.
    pub values: Vec<String>,
    /// Value when not set.
    pub default: String,
}

/// One vendor's responsibility model and its matchers.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Vendor id, e.g. `glasswall-halo`.
    pub id: String,
    /// Vendor / product name.
    pub name: String,
    /// The document encoded.
    pub source: PackSource,
    /// Display name per role.
    pub parties: BTreeMap<Role, String>,
    /// Deployments (columns).
    pub deployments: Vec<Deployment>,
    /// Options.
    pub options: Vec<OptionDef>,
    /// Areas (rows).
    pub areas: Vec<Area>,
    /// Matcher rules, in pack order.
    pub rules: Vec<rule::Rule>,
    /// The pack's own tests (`examples:` of its matcher groups), in pack order.
    pub examples: Vec<examples::Example>,
    /// Where the pack was loaded from (`rules/<id>.yaml` for built-in packs).
    pub origin: String,
}

impl Pack {
    /// An area by id.
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// Whether some example expects a setting in the area.
    pub fn has_example(&self, area: &str) -> bool {
        self.examples
            .iter()
            .any(|e| e.expect.iter().any(|x| x.area.as_deref() == Some(area)))
    }

    /// A deployment by id.
    pub fn deployment(&self, id: &str) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.id == id)
    }

    /// The options with defaults filled in and `given` applied.
    pub fn options_with(&self, given: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        self.options
            .iter()
            .map(|o| {
                (
                    o.id.clone(),
                    given
                        .get(&o.id)
                        .cloned()
                        .unwrap_or_else(|| o.default.clone()),
                )
            })
            .collect()
    }

    /// Display names of roles joined as the vendor's table would: `CSP and Customer`.
    pub fn owner_names(&self, roles: &[Role]) -> String {
        let names: Vec<&str> = roles
            .iter()
            .map(|r| self.parties.get(r).map_or(r.as_str(), String::as_str))
            .collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => (*one).to_string(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }
}
