//! Rendering of `demarcate report`: the responsibility inventory as JSON,
//! Markdown or one self-contained HTML page (one file per format).

pub mod html;
pub mod json;
pub mod markdown;
mod palette;
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

/// `part` of `whole` as a percentage with one decimal.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0".to_string();
    }
    #[allow(clippy::cast_precision_loss)]
    let p = part as f64 * 100.0 / whole as f64;
    format!("{p:.1}")
}

/// `name (id)` of the default model, or that none applies.
fn model_line(inv: &Inventory) -> Option<(String, String, String)> {
    let vendor = inv.vendor.as_deref()?;
    let name = inv
        .areas
        .iter()
        .find(|a| a.vendor == vendor)
        .map_or(vendor, |a| a.vendor_name.as_str());
    let options: Vec<String> = inv
        .options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    Some((
        format!("{name} ({vendor})"),
        inv.deployment.clone().unwrap_or_default(),
        options.join(", "),
    ))
}
