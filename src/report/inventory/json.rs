//! `report --format json`: the inventory as one object (the contract:
//! `vendor`, `deployment`, `settings`, `unclassified`, `parties`, `areas`,
//! `files`, `allowances`, and more fields after them).

use serde::Serialize;

use crate::inventory::Inventory;
use crate::report::json::Tool;

#[derive(Serialize)]
struct Report<'a> {
    tool: Tool,
    #[serde(flatten)]
    inventory: &'a Inventory,
}

/// Renders the inventory as pretty JSON with a trailing newline.
pub fn render(inv: &Inventory) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(&Report {
        tool: Tool::this(),
        inventory: inv,
    })?;
    text.push('\n');
    Ok(text)
}
