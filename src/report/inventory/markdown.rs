//! `report --format markdown`: the inventory for a wiki page or a pull
//! request comment: the model, the parties, the areas, the allowances and
//! the top unclassified files, every table capped.

use std::fmt::Write;

use super::shared::{model_line, percent};
use crate::inventory::{Inventory, Status};
use crate::report::escape::{markdown_code as code, markdown_text as cell};
use crate::report::markdown::MAX_ROWS;

/// A line about rows left out.
fn more(out: &mut String, total: usize, what: &str) {
    if total > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n… and {} more {what}; `demarcate report --format json` lists them all.",
            total - MAX_ROWS
        );
    }
}

/// Renders the inventory.
pub fn render(inv: &Inventory) -> String {
    let mut out = String::from("## demarcate: who owns what\n\n");
    model(inv, &mut out);
    totals(inv, &mut out);
    parties(inv, &mut out);
    let mut areas: Vec<_> = inv.areas.iter().filter(|a| a.settings > 0).collect();
    areas.sort_by_key(|a| std::cmp::Reverse(a.settings));
    areas_table(inv, &areas, &mut out);
    duties(&areas, &mut out);
    allowances(inv, &mut out);
    files(inv, &mut out);
    top_unclassified(inv, &mut out);
    out
}

/// The model the inventory is by, or a notice that none is configured.
fn model(inv: &Inventory, out: &mut String) {
    match model_line(inv) {
        Some((vendor, deployment, options)) => {
            let options = if options.is_empty() {
                String::new()
            } else {
                format!(", options {}", cell(&options))
            };
            let _ = writeln!(
                out,
                "Model: **{}**, deployment **{}**{options}.\n",
                cell(&vendor),
                cell(&deployment)
            );
        }
        None => {
            out.push_str("No responsibility model configured: every setting is unclassified.\n\n")
        }
    }
}

/// Settings and files counted, classified and not, and files not read completely.
fn totals(inv: &Inventory, out: &mut String) {
    let classified = inv.settings - inv.unclassified;
    let _ = writeln!(
        out,
        "{} settings in {} files: {classified} in an area ({}%), {} unclassified.{}\n",
        inv.settings,
        inv.files_read,
        percent(classified, inv.settings),
        inv.unclassified,
        if inv.unread > 0 {
            format!(
                " Files not read completely (parse errors, skipped): {}.",
                inv.unread
            )
        } else {
            String::new()
        }
    );
}

/// Settings and files per responsible party.
fn parties(inv: &Inventory, out: &mut String) {
    out.push_str("### Parties\n\n| responsible party | settings | files |\n|---|---:|---:|\n");
    for p in inv.parties.iter().take(MAX_ROWS) {
        let _ = writeln!(out, "| {} | {} | {} |", cell(&p.owner), p.settings, p.files);
    }
    let _ = writeln!(out, "| (unclassified) | {} | |", inv.unclassified);
    more(out, inv.parties.len(), "parties");
}

/// The areas that hold settings (`areas`, most settings first), and how many hold none.
fn areas_table(inv: &Inventory, areas: &[&crate::inventory::AreaRow], out: &mut String) {
    out.push_str("\n### Areas\n\n| vendor | area | title | responsible | settings | files |\n|---|---|---|---|---:|---:|\n");
    for a in areas.iter().take(MAX_ROWS) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&a.vendor),
            code(&a.id),
            cell(&a.title),
            cell(&a.owner),
            a.settings,
            a.files
        );
    }
    more(out, areas.len(), "areas");
    let empty = inv.areas.len() - areas.len();
    if empty > 0 {
        let _ = writeln!(
            out,
            "\n{empty} more areas of the models hold no setting of this repository."
        );
    }
}

/// The allowances and waivers, with their status.
fn allowances(inv: &Inventory, out: &mut String) {
    out.push_str("\n### Allowances and waivers\n\n");
    if inv.allowances.is_empty() {
        out.push_str("None.\n");
        return;
    }
    out.push_str(
        "| where | accepts | ref | until | status | reason |\n|---|---|---|---|---|---|\n",
    );
    for a in inv.allowances.iter().take(MAX_ROWS) {
        let status = match a.status {
            Status::Expired | Status::Invalid => format!("❌ {}", a.status.as_str()),
            Status::Expiring | Status::Unused => format!("⚠️ {}", a.status.as_str()),
            Status::Active => a.status.as_str().to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {status} | {} |",
            code(&format!("{}:{}", a.file, a.line)),
            cell(&a.targets.join(", ")),
            cell(a.r#ref.as_deref().unwrap_or_default()),
            cell(a.until.as_deref().unwrap_or_default()),
            cell(
                a.reason
                    .as_deref()
                    .or(a.problem.as_deref())
                    .unwrap_or_default()
            ),
        );
    }
    more(out, inv.allowances.len(), "allowances");
    let _ = writeln!(
        out,
        "\nExpiring means within {} days of `until`.",
        inv.expiring_days
    );
}

/// The files with the most unclassified settings, with examples.
fn top_unclassified(inv: &Inventory, out: &mut String) {
    if inv.top_unclassified.is_empty() {
        return;
    }
    out.push_str("\n### Files with the most unclassified settings\n\n| file | settings | for example |\n|---|---:|---|\n");
    for u in &inv.top_unclassified {
        let examples: Vec<String> = u.examples.iter().map(|e| code(e)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code(&u.file),
            u.settings,
            examples.join(", ")
        );
    }
}

/// What each party does in the areas that hold settings (as `explain` says it).
fn duties(areas: &[&crate::inventory::AreaRow], out: &mut String) {
    if areas.is_empty() {
        return;
    }
    out.push_str("\n### What each party does\n\n");
    for a in areas.iter().take(MAX_ROWS) {
        let _ = write!(
            out,
            "- **{}** (`{}`, {}; vendor's table: {}) —",
            cell(&a.title),
            cell(&a.id),
            cell(&a.vendor_name),
            cell(&a.row)
        );
        for d in &a.duties {
            let _ = write!(out, " {}: {}.", cell(&d.party), cell(&d.duties.join("; ")));
        }
        out.push('\n');
    }
    more(out, areas.len(), "areas");
}

/// Settings per file and owner.
fn files(inv: &Inventory, out: &mut String) {
    if inv.files.is_empty() {
        return;
    }
    out.push_str("\n### Files\n\n| file | settings | by responsible party | unclassified |\n|---|---:|---|---:|\n");
    for f in inv.files.iter().take(MAX_ROWS) {
        let owners: Vec<String> = f
            .owners
            .iter()
            .map(|(o, n)| format!("{} {n}", cell(o)))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&f.file),
            f.owners.values().sum::<usize>() + f.unclassified,
            owners.join(", "),
            f.unclassified
        );
    }
    more(out, inv.files.len(), "files");
}
