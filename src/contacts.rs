//! Contacts: whom to ask about a finding. `.demarcate.yaml` lists entries
//! `{who, vendor?, area?, role?}`; a finding gets the `who` of every entry
//! whose given fields all match its vendor, its area and one of the area's
//! responsible roles, deduplicated in order. The lint engine assigns them
//! (`lint::contacts`); this module reads, checks and matches the entries.

use crate::finding::AreaRef;
use crate::formats::tree::Node;
use crate::packs::{Pack, Role};
use crate::typed::{self, Problems};

/// Keys of a contact.
pub const CONTACT_KEYS: &[&str] = &["who", "vendor", "area", "role"];

/// One `contacts:` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// People, teams or addresses to ask (`@org/team`, `@user`, an e-mail address).
    pub who: Vec<String>,
    /// Vendor id the entry is for (any when absent).
    pub vendor: Option<String>,
    /// Area id the entry is for (any when absent).
    pub area: Option<String>,
    /// Responsible role the entry is for (any when absent).
    pub role: Option<Role>,
    /// Line in the configuration file.
    pub line: u32,
}

impl Contact {
    /// Whether every field the entry gives matches a finding's vendor and area.
    pub fn matches(&self, vendor: Option<&str>, area: Option<&AreaRef>) -> bool {
        self.vendor.as_deref().is_none_or(|v| Some(v) == vendor)
            && self
                .area
                .as_deref()
                .is_none_or(|id| area.is_some_and(|a| a.id == id))
            && self
                .role
                .is_none_or(|r| area.is_some_and(|a| a.responsible.contains(&r)))
    }
}

/// The contacts for a vendor and area: every matching entry's `who`, deduplicated in order.
pub fn resolve(contacts: &[Contact], vendor: Option<&str>, area: Option<&AreaRef>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in contacts.iter().filter(|c| c.matches(vendor, area)) {
        for w in &c.who {
            if !out.contains(w) {
                out.push(w.clone());
            }
        }
    }
    out
}

/// Checks that the vendors and areas the contacts name exist in the packs
/// (a misspelt id would silently match nothing).
pub fn check(contacts: &[Contact], packs: &[Pack], file: &str) -> Vec<crate::typed::Problem> {
    let mut p = Problems::new(file);
    for c in contacts {
        let at = crate::setting::Pos::new(c.line, 1);
        let pack = match &c.vendor {
            Some(v) => match packs.iter().find(|pk| &pk.id == v) {
                Some(pk) => Some(pk),
                None => {
                    p.at(at, format!("contact for unknown vendor `{v}`"));
                    continue;
                }
            },
            None => None,
        };
        if let Some(area) = &c.area {
            let known = pack.map_or_else(
                || {
                    packs
                        .iter()
                        .any(|pk| pk.areas.iter().any(|a| &a.id == area))
                },
                |pk| pk.areas.iter().any(|a| &a.id == area),
            );
            if !known {
                p.at(at, format!("contact for unknown area `{area}`"));
            }
        }
    }
    p.list
}

/// Reads the `contacts:` list of the configuration.
pub fn read(node: &Node, p: &mut Problems) -> Vec<Contact> {
    let mut out = Vec::new();
    for item in typed::list(node, "contacts", p) {
        let Some(f) = typed::fields(item, "a contact", CONTACT_KEYS, p) else {
            continue;
        };
        let who: Vec<String> = f
            .need("who", p)
            .map(|n| typed::texts(n, "who", p))
            .unwrap_or_default()
            .into_iter()
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect();
        if who.is_empty() && f.get("who").is_some() {
            p.at(f.pos(), "a contact needs at least one name in `who`");
        }
        let role = f.opt_text("role", p).and_then(|r| {
            let role = Role::parse(&r);
            if role.is_none() {
                let at = f.get("role").map_or(f.pos(), |n| n.span.start);
                p.at(
                    at,
                    format!("role `{r}` is not vendor, customer or provider"),
                );
            }
            role
        });
        out.push(Contact {
            who,
            vendor: f.opt_text("vendor", p),
            area: f.opt_text("area", p),
            role,
            line: f.pos().line,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(id: &str, responsible: Vec<Role>) -> AreaRef {
        AreaRef {
            id: id.to_string(),
            title: id.to_string(),
            responsible,
            accountable: Vec::new(),
            consulted: Vec::new(),
            informed: Vec::new(),
            owner: String::new(),
        }
    }

    fn contact(
        who: &[&str],
        vendor: Option<&str>,
        area: Option<&str>,
        role: Option<Role>,
    ) -> Contact {
        Contact {
            who: who.iter().map(|w| (*w).to_string()).collect(),
            vendor: vendor.map(str::to_string),
            area: area.map(str::to_string),
            role,
            line: 1,
        }
    }

    #[test]
    fn every_given_field_must_match_and_names_are_deduplicated_in_order() {
        let list = vec![
            contact(
                &["@acme/edge", "edge@x.example"],
                Some("v"),
                Some("a"),
                None,
            ),
            contact(&["@acme/platform"], None, None, Some(Role::Customer)),
            contact(
                &["@acme/vendor-desk", "@acme/edge"],
                Some("v"),
                None,
                Some(Role::Vendor),
            ),
            contact(&["@other"], Some("w"), None, None),
            contact(&["@everyone"], None, None, None),
        ];
        let vendor_area = area("a", vec![Role::Vendor]);
        assert_eq!(
            resolve(&list, Some("v"), Some(&vendor_area)),
            [
                "@acme/edge",
                "edge@x.example",
                "@acme/vendor-desk",
                "@everyone"
            ]
        );
        let shared = area("b", vec![Role::Vendor, Role::Customer]);
        assert_eq!(
            resolve(&list, Some("v"), Some(&shared)),
            [
                "@acme/platform",
                "@acme/vendor-desk",
                "@acme/edge",
                "@everyone"
            ]
        );
        // A finding with no area matches only entries that ask for no area or role.
        assert_eq!(resolve(&list, Some("w"), None), ["@other", "@everyone"]);
        assert!(resolve(&list[..4], None, None).is_empty());
    }
}
