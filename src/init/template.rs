//! The `.demarcate.yaml` that `init` writes: the detected vendor with a
//! deployment to confirm, the vendor's other deployments and options as
//! comments, scopes for further vendors found in their own folders, values
//! files to map to a chart, and the other keys as commented examples.

use std::fmt::Write;

use super::Detection;
use super::evidence::{VendorEvidence, evidence, proposed_deployment};
use crate::packs::{Pack, Role};

/// A YAML double-quoted scalar.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text on one comment line.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Deployment and option lines for a model, indented by `pad`.
fn model_lines(out: &mut String, pack: &Pack, pad: &str) {
    let _ = writeln!(
        out,
        "{pad}# Deployments of {} (keep the one you run):",
        flat(&pack.name)
    );
    for d in &pack.deployments {
        let _ = writeln!(out, "{pad}#   {:<36} {}", d.id, flat(&d.name));
    }
    let _ = writeln!(
        out,
        "{pad}deployment: {}   # confirm",
        proposed_deployment(pack)
    );
    if pack.options.is_empty() {
        let _ = writeln!(out, "{pad}# {} has no options.", flat(&pack.name));
        return;
    }
    let _ = writeln!(out, "{pad}# Options (defaults shown; uncomment to change):");
    let _ = writeln!(out, "{pad}# options:");
    for o in &pack.options {
        let _ = writeln!(
            out,
            "{pad}#   {}: {}   # {}: {}",
            o.id,
            quote(&o.default),
            flat(&o.name),
            o.values.join(", ")
        );
    }
}

/// Renders the configuration file.
pub fn render(d: &Detection<'_>, packs: &[Pack]) -> String {
    let mut out = String::new();
    out.push_str(
        "# demarcate configuration: which vendor's shared-responsibility model judges\n\
         # the settings of this repository. Written by `demarcate init` from what it\n\
         # found: confirm the vendor and deployment, then commit this file. Every key\n\
         # is described in the README (\"Configuration\"); `demarcate vendors ID` shows\n\
         # a model with its areas.\n#\n",
    );
    let counts: Vec<String> = d
        .formats
        .iter()
        .map(|(f, c)| format!("{f} {}", c.settings))
        .collect();
    let total: usize = d.formats.values().map(|c| c.settings).sum();
    let _ = writeln!(
        out,
        "# Read {} files, {total} settings ({}).",
        d.files,
        if counts.is_empty() {
            "none".to_string()
        } else {
            counts.join(", ")
        }
    );
    match d.main() {
        Some(main) => main_model(&mut out, main),
        None => no_vendor(&mut out, packs),
    }
    scopes(&mut out, d);
    if !d.values.is_empty() {
        out.push_str(
            "\n# Helm values files with no Chart.yaml next to them; the chart names are\n\
             # guessed from the file names, check them:\nvalues:\n",
        );
        for v in &d.values {
            let _ = writeln!(
                out,
                "  - paths: [{}]\n    chart: {}",
                quote(&v.path),
                quote(&v.chart)
            );
        }
    }
    other_keys(&mut out, d.main().map(|m| m.pack));
    out
}

fn main_model(out: &mut String, main: &VendorEvidence<'_>) {
    let _ = writeln!(out, "\n# {}: {}.", flat(&main.pack.name), evidence(main));
    let _ = writeln!(out, "vendor: {}", main.pack.id);
    model_lines(out, main.pack, "");
}

fn no_vendor(out: &mut String, packs: &[Pack]) {
    out.push_str(
        "\n# No vendor's product was recognised. Uncomment the model you run\n\
         # (or load your own pack with `packs: [path/to/pack.yaml]`):\n",
    );
    for p in packs {
        let ids: Vec<&str> = p.deployments.iter().map(|d| d.id.as_str()).collect();
        let _ = writeln!(
            out,
            "# vendor: {}   # {}\n# deployment: {}   # one of: {}",
            p.id,
            flat(&p.name),
            proposed_deployment(p),
            ids.join(", ")
        );
    }
}

fn scopes(out: &mut String, d: &Detection<'_>) {
    let further = d.vendors.iter().skip(1).zip(&d.scopes);
    let mut opened = false;
    for (v, s) in further.clone() {
        if s.paths.is_empty() {
            continue;
        }
        if !opened {
            out.push_str(
                "\n# Other vendors found in folders of their own: those files are judged by\n\
                 # their vendor's model. Check the paths and the deployment.\nscopes:\n",
            );
            opened = true;
        }
        let _ = writeln!(out, "  # {}: {}.", flat(&v.pack.name), evidence(v));
        out.push_str("  - paths:\n");
        for p in &s.paths {
            let _ = writeln!(out, "      - {}", quote(p));
        }
        let _ = writeln!(out, "    vendor: {}", v.pack.id);
        model_lines(out, v.pack, "    ");
    }
    for (v, s) in further {
        if s.mixed.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n# {} ({}) was also found in files of the main vendor: {}.\n\
             # They stay with the default model; add a scope if they belong to {}.",
            flat(&v.pack.name),
            v.pack.id,
            s.mixed.join(", "),
            flat(&v.pack.name)
        );
    }
}

fn other_keys(out: &mut String, pack: Option<&Pack>) {
    let area = pack
        .and_then(|p| {
            p.areas.iter().find(|a| {
                a.responsibility
                    .values()
                    .all(|r| r.responsible == [Role::Vendor])
            })
        })
        .map_or("AREA-ID", |a| a.id.as_str());
    let _ = write!(
        out,
        "\n# Files not to read (globs relative to this file):\n\
         # ignore:\n\
         #   - \"examples/**\"\n\
         # Severity per finding code (error, warning or note):\n\
         # severity:\n\
         #   shared-change: error\n\
         # Accepted findings, each with a reason (or write `# demarcate:allow` next to\n\
         # the setting):\n\
         # waivers:\n\
         #   - paths: [\"talos/**\"]\n\
         #     area: {area}\n\
         #     reason: approved by the vendor\n\
         #     ref: CHG-1234\n\
         #     until: 2027-03-31\n\
         # Whom each finding says to ask (every field given must match; the action\n\
         # outputs the @handles as `reviewers`):\n\
         # contacts:\n\
         #   - who: [\"@your-org/platform-team\"]\n\
         #     area: {area}            # optional: an area id (also `vendor:` and\n\
         #     role: vendor            # `role:` vendor, customer or provider)\n"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_backslashes_and_controls() {
        assert_eq!(quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }
}
