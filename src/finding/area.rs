//! The area a finding is about, and the roles of the parties responsible
//! for it (the plain data a rule pack's table resolves to).

use std::fmt;

use serde::Serialize;

/// A party's role in a responsibility model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The product's vendor (Glasswall, STACKIT, NexGen Cloud, WSO2).
    Vendor,
    /// The organisation running the product.
    Customer,
    /// The cloud or infrastructure provider underneath (e.g. "CSP").
    Provider,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Vendor, Role::Customer, Role::Provider];

    /// The lowercase id.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Vendor => "vendor",
            Role::Customer => "customer",
            Role::Provider => "provider",
        }
    }

    /// Parses the lowercase id.
    pub fn parse(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == id)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The area a finding's setting belongs to, and who is responsible for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaRef {
    /// Area id in the pack.
    pub id: String,
    /// Area title as the vendor's document words it.
    pub title: String,
    /// RACI: responsible roles.
    pub responsible: Vec<Role>,
    /// RACI: accountable roles.
    pub accountable: Vec<Role>,
    /// RACI: consulted roles.
    pub consulted: Vec<Role>,
    /// RACI: informed roles.
    pub informed: Vec<Role>,
    /// Display name(s) of the responsible parties, e.g. `STACKIT` or `CSP and Customer`.
    pub owner: String,
}
