//! Rendering of `demarcate report`: the responsibility inventory as JSON,
//! Markdown or one self-contained HTML page (one file per format).

pub mod html;
pub mod json;
pub mod markdown;
mod palette;
mod shared;
mod squarify;
mod treemap;

use super::format::ReportFormat;
use crate::inventory::Inventory;

/// Renders an inventory.
pub fn render(format: ReportFormat, inv: &Inventory) -> anyhow::Result<String> {
    match format {
        ReportFormat::Json => json::render(inv),
        ReportFormat::Markdown => Ok(markdown::render(inv)),
        ReportFormat::Html => Ok(html::render(inv)),
    }
}
