//! Colours of the parties in the HTML report: one per owner, in the order of
//! the parties table (most settings first), grey for unclassified settings.

use crate::inventory::Inventory;

/// Colours distinguishable in print and for the common colour-vision deficiencies (Tableau 10).
const COLOURS: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// The colour of settings in no area.
pub const UNCLASSIFIED: &str = "#d9d9d9";

/// Owner → colour.
#[derive(Debug, Clone)]
pub struct Palette {
    owners: Vec<String>,
}

impl Palette {
    /// The palette of an inventory's parties.
    pub fn new(inv: &Inventory) -> Palette {
        Palette::from_owners(inv.parties.iter().map(|p| p.owner.clone()).collect())
    }

    /// A palette of owners in legend order.
    pub fn from_owners(owners: Vec<String>) -> Palette {
        Palette { owners }
    }

    /// The colour of an owner (owners past the palette share its last colour).
    pub fn colour(&self, owner: &str) -> &'static str {
        match self.owners.iter().position(|o| o == owner) {
            Some(i) => COLOURS[i.min(COLOURS.len() - 1)],
            None => UNCLASSIFIED,
        }
    }

    /// Owners in legend order.
    pub fn owners(&self) -> &[String] {
        &self.owners
    }
}
