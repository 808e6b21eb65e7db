//! What the HTML and Markdown inventories both write: percentages and the
//! line naming the model.

use crate::inventory::Inventory;

/// `part` of `whole` as a percentage with one decimal.
pub(super) fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0".to_string();
    }
    #[allow(clippy::cast_precision_loss)]
    let p = part as f64 * 100.0 / whole as f64;
    format!("{p:.1}")
}

/// `name (id)` of the default model, or that none applies.
pub(super) fn model_line(inv: &Inventory) -> Option<(String, String, String)> {
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
