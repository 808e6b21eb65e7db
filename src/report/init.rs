//! `demarcate init`: a short summary of what was read and detected and what
//! was written.

use std::fmt::Write;

use super::escape::human as esc;
use crate::init::Detection;
use crate::init::evidence::{evidence, plural, proposed_deployment};

/// Renders the summary; `file` is the configuration written, `replaced` whether it existed.
pub fn render(d: &Detection<'_>, file: &str, replaced: bool) -> String {
    let mut out = String::new();
    let formats: Vec<String> = d
        .formats
        .iter()
        .map(|(f, c)| format!("{f} {} in {}", c.settings, plural(c.files, "file")))
        .collect();
    let _ = writeln!(
        out,
        "Read {}: {}.",
        plural(d.files, "file"),
        if formats.is_empty() {
            "no settings".to_string()
        } else {
            formats.join(", ")
        }
    );
    if d.problems > 0 {
        let _ = writeln!(
            out,
            "{} files did not parse or were not read; `demarcate lint` lists them.",
            d.problems
        );
    }
    match d.main() {
        None => out.push_str("No vendor's product was recognised: choose a model in the file.\n"),
        Some(main) => {
            let _ = writeln!(
                out,
                "Detected {}: {}, {}.",
                main.pack.id,
                main.pack.name,
                evidence(main)
            );
            for (v, s) in d.vendors.iter().skip(1).zip(&d.scopes) {
                let _ = writeln!(
                    out,
                    "Also detected {}: {}, {}.",
                    v.pack.id,
                    v.pack.name,
                    evidence(v)
                );
                if !s.paths.is_empty() {
                    let _ = writeln!(out, "  scope: {}", esc(&s.paths.join(", ")));
                }
                if !s.mixed.is_empty() {
                    let _ = writeln!(
                        out,
                        "  in files of the main vendor: {}",
                        esc(&s.mixed.join(", "))
                    );
                }
            }
        }
    }
    for v in &d.values {
        let _ = writeln!(
            out,
            "Values file {} mapped to chart {} (guessed).",
            esc(&v.path),
            esc(&v.chart)
        );
    }
    let verb = if replaced { "Replaced" } else { "Wrote" };
    match d.main() {
        Some(main) => {
            let _ = writeln!(
                out,
                "{verb} {file}: vendor {}, deployment {}. Confirm the deployment, then run `demarcate lint`.",
                main.pack.id,
                proposed_deployment(main.pack)
            );
        }
        None => {
            let _ = writeln!(out, "{verb} {file}.");
        }
    }
    out
}
