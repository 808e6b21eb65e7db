//! `report --format html`: one self-contained page (inline CSS, no script,
//! no external resource) with the model, a treemap of the repository
//! coloured by owner, the parties and areas with each party's duties, the
//! allowance inventory and the top unclassified files. Every text from the
//! repository or a pack goes through [`escape`].

use std::fmt::Write;

use super::palette::{Palette, UNCLASSIFIED};
use super::shared::{model_line, percent};
use super::treemap;
use crate::inventory::{AreaRow, Inventory, Status};
use crate::packs::Role;
use crate::report::escape::html as escape;

/// Rows of the files table (the JSON lists every file).
pub const MAX_FILE_ROWS: usize = 1000;

const STYLE: &str = include_str!("report.css");

/// Renders the page.
pub fn render(inv: &Inventory) -> String {
    let palette = Palette::new(inv);
    let mut out = String::with_capacity(64 * 1024);
    let model = model_line(inv);
    let title = match &model {
        Some((vendor, deployment, _)) => format!("Who owns what: {vendor}, {deployment}"),
        None => "Who owns what".to_string(),
    };
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"demarcate {}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>",
        env!("CARGO_PKG_VERSION"),
        escape(&title)
    );
    header(inv, model.as_ref(), &mut out);
    map(inv, &palette, &mut out);
    parties(inv, &palette, &mut out);
    areas(inv, &mut out);
    allowances(inv, &mut out);
    unclassified(inv, &mut out);
    files(inv, &mut out);
    let _ = writeln!(
        out,
        "<footer>Made by demarcate {} from the repository's files and the vendors' responsibility models built into it. Counts are settings (keys and values) read from Helm values, Terraform, Talos and Kubernetes files.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn header(inv: &Inventory, model: Option<&(String, String, String)>, out: &mut String) {
    out.push_str("<header>\n<h1>Who owns what in this repository</h1>\n");
    match model {
        Some((vendor, deployment, options)) => {
            let _ = writeln!(
                out,
                "<p id=\"model\">Model: <strong>{}</strong>, deployment <strong>{}</strong>{}.</p>",
                escape(vendor),
                escape(deployment),
                if options.is_empty() {
                    String::new()
                } else {
                    format!(", options <code>{}</code>", escape(options))
                }
            );
        }
        None => out.push_str(
            "<p id=\"model\">No responsibility model configured: every setting is unclassified.</p>\n",
        ),
    }
    let classified = inv.settings - inv.unclassified;
    let count = |s: Status| inv.allowances.iter().filter(|a| a.status == s).count();
    let _ = writeln!(
        out,
        "<dl class=\"figures\">\
<div><dt>settings</dt><dd>{}</dd></div>\
<div><dt>in an area</dt><dd>{}%</dd></div>\
<div><dt>unclassified</dt><dd>{}</dd></div>\
<div><dt>files read</dt><dd>{}</dd></div>\
<div><dt>allowances</dt><dd>{}</dd></div>\
<div><dt>expired or invalid</dt><dd>{}</dd></div>\
<div><dt>expiring in {} days</dt><dd>{}</dd></div>\
</dl>",
        inv.settings,
        percent(classified, inv.settings),
        inv.unclassified,
        inv.files_read,
        inv.allowances.len(),
        count(Status::Expired) + count(Status::Invalid),
        inv.expiring_days,
        count(Status::Expiring),
    );
    if inv.unread > 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted\">Files not read completely (parse errors, skipped files): {}; <code>demarcate lint</code> lists them.</p>",
            inv.unread
        );
    }
    out.push_str("<nav aria-label=\"Contents\"><ul><li><a href=\"#map\">Map</a></li><li><a href=\"#parties\">Parties</a></li><li><a href=\"#areas\">Areas</a></li><li><a href=\"#duties\">Duties</a></li><li><a href=\"#allowances\">Allowances</a></li><li><a href=\"#unclassified\">Unclassified</a></li><li><a href=\"#files\">Files</a></li></ul></nav>\n</header>\n");
}

fn map(inv: &Inventory, palette: &Palette, out: &mut String) {
    let mut summary = format!("{} settings in {} files. ", inv.settings, inv.files.len());
    for p in &inv.parties {
        let _ = write!(summary, "{}: {} settings; ", p.owner, p.settings);
    }
    let _ = write!(summary, "unclassified: {}.", inv.unclassified);
    out.push_str("<section id=\"map\">\n<h2>Map of the repository</h2>\n<figure>\n");
    out.push_str(&treemap::svg(&inv.files, palette, &summary));
    out.push_str("\n<figcaption>Each rectangle is a file, sized by its settings and split by the party responsible for them; folders hold their files. Hover a file for its counts.\n<ul class=\"legend\" aria-label=\"Legend\">");
    for p in &inv.parties {
        let _ = write!(
            out,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{} ({})</li>",
            palette.colour(&p.owner),
            escape(&p.owner),
            p.settings
        );
    }
    let _ = writeln!(
        out,
        "<li><span class=\"swatch\" style=\"background:{UNCLASSIFIED}\"></span>unclassified ({})</li></ul>\n</figcaption>\n</figure>\n</section>",
        inv.unclassified
    );
}

fn parties(inv: &Inventory, palette: &Palette, out: &mut String) {
    out.push_str("<section id=\"parties\">\n<h2>Parties</h2>\n<table>\n<thead><tr><th scope=\"col\">responsible party</th><th scope=\"col\" class=\"n\">settings</th><th scope=\"col\" class=\"n\">files</th><th scope=\"col\">areas with settings</th></tr></thead>\n<tbody>\n");
    for (i, p) in inv.parties.iter().enumerate() {
        let links: Vec<String> = inv
            .areas
            .iter()
            .enumerate()
            .filter(|(_, a)| a.owner == p.owner && a.settings > 0)
            .map(|(j, a)| format!("<a href=\"#area-{j}\">{}</a>", escape(&a.title)))
            .collect();
        let _ = writeln!(
            out,
            "<tr id=\"party-{i}\"><th scope=\"row\"><span class=\"swatch\" style=\"background:{}\"></span>{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            palette.colour(&p.owner),
            escape(&p.owner),
            p.settings,
            p.files,
            links.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\"><span class=\"swatch\" style=\"background:{UNCLASSIFIED}\"></span>unclassified</th><td class=\"n\">{}</td><td></td><td><a href=\"#unclassified\">top files</a></td></tr>\n</tbody>\n</table>\n</section>",
        inv.unclassified
    );
}

fn areas(inv: &Inventory, out: &mut String) {
    out.push_str("<section id=\"areas\">\n<h2>Areas</h2>\n<p class=\"muted\">Every area of the models in use, with the settings of this repository in it.</p>\n<table>\n<thead><tr><th scope=\"col\">vendor</th><th scope=\"col\">area</th><th scope=\"col\">responsible</th><th scope=\"col\" class=\"n\">settings</th><th scope=\"col\" class=\"n\">files</th></tr></thead>\n<tbody>\n");
    for (i, a) in inv.areas.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><a href=\"#area-{i}\">{}</a> <code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&a.vendor),
            escape(&a.title),
            escape(&a.id),
            escape(&a.owner),
            a.settings,
            a.files
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n<section id=\"duties\">\n<h2>What each party does, area by area</h2>\n");
    for (i, a) in inv.areas.iter().enumerate() {
        area(i, a, out);
    }
    out.push_str("</section>\n");
}

/// `explain`-style detail of one area: the vendor's row, RACI and duties.
fn area(i: usize, a: &AreaRow, out: &mut String) {
    let names = |roles: &[Role]| -> String {
        roles
            .iter()
            .map(|r| escape(a.parties.get(r).map_or(r.as_str(), String::as_str)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let support = match a.support {
        crate::packs::Support::Full => "",
        crate::packs::Support::BestEffort => {
            " The vendor supports this area on a best-effort basis only."
        }
    };
    let _ = writeln!(
        out,
        "<article class=\"area\" id=\"area-{i}\">\n<h3>{} <code>{}</code> <span class=\"muted\">({}, {})</span></h3>\n<p>Vendor's table: <q>{}</q>.{support} {} settings in {} files.</p>\n<table class=\"raci\"><tr><th scope=\"row\">responsible</th><td>{}</td><th scope=\"row\">accountable</th><td>{}</td><th scope=\"row\">consulted</th><td>{}</td><th scope=\"row\">informed</th><td>{}</td></tr></table>",
        escape(&a.title),
        escape(&a.id),
        escape(&a.vendor_name),
        escape(&a.deployment),
        escape(&a.row),
        a.settings,
        a.files,
        names(&a.raci.responsible),
        names(&a.raci.accountable),
        names(&a.raci.consulted),
        names(&a.raci.informed),
    );
    for d in &a.duties {
        let _ = write!(
            out,
            "<p><strong>{}</strong></p><ul class=\"duties\">",
            escape(&d.party)
        );
        for duty in &d.duties {
            let _ = write!(out, "<li>{}</li>", escape(duty));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</article>\n");
}

fn allowances(inv: &Inventory, out: &mut String) {
    let _ = writeln!(
        out,
        "<section id=\"allowances\">\n<h2>Allowances and waivers</h2>\n<p class=\"muted\">Approvals recorded next to settings (<code>demarcate:allow</code>) and waivers in <code>.demarcate.yaml</code>. Expiring: within {} days of <code>until</code>.</p>",
        inv.expiring_days
    );
    if inv.allowances.is_empty() {
        out.push_str("<p>None.</p>\n</section>\n");
        return;
    }
    out.push_str("<table>\n<thead><tr><th scope=\"col\">where</th><th scope=\"col\">accepts</th><th scope=\"col\">ref</th><th scope=\"col\">until</th><th scope=\"col\">status</th><th scope=\"col\">reason</th><th scope=\"col\">by</th></tr></thead>\n<tbody>\n");
    for a in &inv.allowances {
        let reason = match (&a.reason, &a.problem) {
            (Some(r), Some(p)) => format!(
                "{}<br><span class=\"muted\">{}</span>",
                escape(r),
                escape(p)
            ),
            (Some(r), None) => escape(r),
            (None, Some(p)) => format!("<span class=\"muted\">{}</span>", escape(p)),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "<tr class=\"status-{s}\"><td><code>{}:{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><span class=\"badge\">{s}</span></td><td>{reason}</td><td><code>{}</code></td></tr>",
            escape(&a.file),
            a.line,
            escape(&a.targets.join(", ")),
            escape(a.r#ref.as_deref().unwrap_or_default()),
            escape(a.until.as_deref().unwrap_or_default()),
            escape(&a.by),
            s = a.status.as_str(),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn unclassified(inv: &Inventory, out: &mut String) {
    out.push_str(
        "<section id=\"unclassified\">\n<h2>Files with the most unclassified settings</h2>\n",
    );
    if inv.top_unclassified.is_empty() {
        out.push_str("<p>Every setting is in an area.</p>\n</section>\n");
        return;
    }
    out.push_str("<p class=\"muted\">Settings no rule of the model claims: candidates for a pack rule, or the customer's own configuration.</p>\n<table>\n<thead><tr><th scope=\"col\">file</th><th scope=\"col\" class=\"n\">settings</th><th scope=\"col\">for example</th></tr></thead>\n<tbody>\n");
    for u in &inv.top_unclassified {
        let examples: Vec<String> = u
            .examples
            .iter()
            .map(|e| format!("<code>{}</code>", escape(e)))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&u.file),
            u.settings,
            examples.join(", ")
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn files(inv: &Inventory, out: &mut String) {
    out.push_str("<section id=\"files\">\n<h2>Files</h2>\n<table>\n<thead><tr><th scope=\"col\">file</th><th scope=\"col\" class=\"n\">settings</th><th scope=\"col\">by responsible party</th><th scope=\"col\" class=\"n\">unclassified</th></tr></thead>\n<tbody>\n");
    for f in inv.files.iter().take(MAX_FILE_ROWS) {
        let owners: Vec<String> = f
            .owners
            .iter()
            .map(|(o, n)| format!("{} {n}", escape(o)))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            escape(&f.file),
            f.owners.values().sum::<usize>() + f.unclassified,
            owners.join(", "),
            f.unclassified
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if inv.files.len() > MAX_FILE_ROWS {
        let _ = writeln!(
            out,
            "<p class=\"muted\">… and {} more files; <code>demarcate report --format json</code> lists them all.</p>",
            inv.files.len() - MAX_FILE_ROWS
        );
    }
    out.push_str("</section>\n");
}
