//! Output of `vendors`: the packs as JSON (the documented contract) or as a
//! readable table per deployment.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::escape::human as esc;
use crate::packs::{Duties, OptionDef, Pack, PackSource, Raci, Role, Support, Variant};

#[derive(Serialize)]
struct JsonDeployment<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct JsonArea<'a> {
    id: &'a str,
    title: &'a str,
    row: &'a str,
    support: Support,
    duties: &'a Duties,
    responsibility: BTreeMap<&'a str, Raci>,
    variants: &'a [Variant],
    /// Whether an example of the pack tests a setting of this area.
    example: bool,
}

#[derive(Serialize)]
struct JsonVendor<'a> {
    id: &'a str,
    name: &'a str,
    source: &'a PackSource,
    parties: &'a BTreeMap<Role, String>,
    deployments: Vec<JsonDeployment<'a>>,
    options: &'a [OptionDef],
    areas: Vec<JsonArea<'a>>,
}

#[derive(Serialize)]
struct JsonVendors<'a> {
    vendors: Vec<JsonVendor<'a>>,
}

/// Renders packs as JSON, cells resolved for the default options.
pub fn json(packs: &[&Pack]) -> String {
    let vendors = packs
        .iter()
        .map(|pack| {
            let defaults = pack.options_with(&BTreeMap::new());
            JsonVendor {
                id: &pack.id,
                name: &pack.name,
                source: &pack.source,
                parties: &pack.parties,
                deployments: pack
                    .deployments
                    .iter()
                    .map(|d| JsonDeployment {
                        id: &d.id,
                        name: &d.name,
                    })
                    .collect(),
                options: &pack.options,
                areas: pack
                    .areas
                    .iter()
                    .map(|a| JsonArea {
                        id: &a.id,
                        title: &a.title,
                        row: &a.row,
                        support: a.support,
                        duties: &a.duties,
                        responsibility: pack
                            .deployments
                            .iter()
                            .map(|d| (d.id.as_str(), a.resolve(&d.id, &defaults).0))
                            .collect(),
                        variants: &a.variants,
                        example: pack.has_example(&a.id),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&JsonVendors { vendors }).unwrap_or_default();
    text.push('\n');
    text
}

/// Renders packs as text: per deployment, one line per area with R/A/C/I.
/// Every line goes through the human escaper: built-in packs are ours, but
/// the renderer does not rely on it.
pub fn human(packs: &[&Pack]) -> String {
    let mut out = String::new();
    for pack in packs {
        let _ = writeln!(out, "{} ({})", pack.name, pack.id);
        let _ = writeln!(
            out,
            "  source: {} ({})",
            pack.source.title, pack.source.version
        );
        let parties: Vec<String> = pack
            .parties
            .iter()
            .map(|(r, n)| format!("{r} = {n}"))
            .collect();
        let _ = writeln!(out, "  parties: {}", parties.join(", "));
        for o in &pack.options {
            let _ = writeln!(
                out,
                "  option {}: {} (default {})",
                o.id,
                o.values.join(" | "),
                o.default
            );
        }
        let defaults = pack.options_with(&BTreeMap::new());
        let names = |roles: &[Role]| {
            let n = pack.owner_names(roles);
            if n.is_empty() { "-".to_string() } else { n }
        };
        // Columns as wide as their widest cell: ids are what allowances
        // and waivers name, so they are never cut.
        let id_width = pack
            .areas
            .iter()
            .map(|a| a.id.chars().count())
            .chain([7])
            .max()
            .unwrap_or(7);
        let mut cell_width = "responsible".len();
        for d in &pack.deployments {
            for a in &pack.areas {
                let (raci, _) = a.resolve(&d.id, &defaults);
                for roles in [&raci.responsible, &raci.accountable, &raci.consulted] {
                    cell_width = cell_width.max(names(roles).chars().count());
                }
            }
        }
        for d in &pack.deployments {
            let _ = writeln!(out, "\n  deployment {} — {}", d.id, d.name);
            let _ = writeln!(
                out,
                "    {:<id_width$}  {:<cell_width$}  {:<cell_width$}  {:<cell_width$}  informed",
                "area id", "responsible", "accountable", "consulted"
            );
            for a in &pack.areas {
                let (raci, _) = a.resolve(&d.id, &defaults);
                let marker = if a.support == Support::BestEffort {
                    " (best effort)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "    {:<id_width$}  {:<cell_width$}  {:<cell_width$}  {:<cell_width$}  {}{marker}",
                    a.id,
                    names(&raci.responsible),
                    names(&raci.accountable),
                    names(&raci.consulted),
                    names(&raci.informed)
                );
                for line in wrap(&a.title, TITLE_WIDTH) {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
        let untested: Vec<String> = pack
            .areas
            .iter()
            .filter(|a| !pack.has_example(&a.id))
            .map(|a| format!("{} [{}]", a.title, a.id))
            .collect();
        if !untested.is_empty() {
            let _ = writeln!(
                out,
                "\n  rows without an example (no setting is classified into them: documents, duties\n  without a configuration surface, or duties whose settings another row judges):"
            );
            for row in untested {
                let _ = writeln!(out, "    {row}");
            }
        }
        out.push('\n');
    }
    out.lines()
        .fold(String::with_capacity(out.len()), |mut all, line| {
            all.push_str(&esc(line));
            all.push('\n');
            all
        })
}

/// Width at which area titles are wrapped.
const TITLE_WIDTH: usize = 76;

/// Splits text into lines of at most `width` characters at spaces (a word
/// longer than that stays whole on its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{human, wrap};
    use crate::packs::load;

    #[test]
    fn human_output_escapes_what_a_pack_says() {
        let text = "vendor: {id: acme, name: \"Ac\\x1bme\", source: {title: t, version: \"1\"}}\n\
                    parties: {vendor: Acme, customer: Customer}\n\
                    deployments: [{id: managed, name: Managed}]\n\
                    areas:\n  - {id: engine, title: \"En\\u202Egine\", row: r1, responsibility: {managed: [vendor]}}\n\
                    matchers: []\n";
        let pack = load::load(text, "acme.yaml").unwrap();
        let out = human(&[&pack]);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{out:?}"
        );
        assert!(out.starts_with("Ac\\u{1b}me (acme)\n"), "{out}");
        assert!(out.contains("En\\u{202e}gine"), "{out}");
    }

    #[test]
    fn titles_wrap_at_spaces_and_keep_every_word() {
        let title = "Ensure our software stack (hosts, cloud backend) is kept up to date";
        let lines = wrap(title, 30);
        assert!(lines.iter().all(|l| l.chars().count() <= 30), "{lines:?}");
        assert_eq!(lines.join(" "), title);
        assert_eq!(
            wrap("averyveryverylongword b", 5),
            vec!["averyveryverylongword", "b"]
        );
    }
}
