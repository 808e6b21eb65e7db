//! Rule packs: one vendor's shared-responsibility model (parties,
//! deployments, options, areas, responsibilities) and the matchers that map
//! settings to its areas.

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
