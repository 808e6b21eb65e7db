//! `demarcate init`: what a repository holds (files and settings per format)
//! and which vendors' products it runs, from signals derived from the packs
//! ([`signals`]); which folders belong to which vendor ([`scopes`]); and the
//! commented `.demarcate.yaml` that proposes it ([`template`]), worded
//! with [`evidence`] like the summary `report::init` prints; [`write`] puts
//! it into the repository.

pub mod evidence;
pub mod scopes;
pub mod signals;
pub mod template;
pub mod write;

use std::collections::BTreeMap;

use crate::classify::Classifier;
use crate::findings::Code;
use crate::packs::Pack;
use crate::scan::Scan;
use crate::setting::Format;
pub use evidence::VendorEvidence;

/// Files and settings of one format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FormatCount {
    /// Files with at least one setting of the format.
    pub files: usize,
    /// Settings of the format.
    pub settings: usize,
}

/// A Helm values file whose chart is unknown but whose values carry a vendor's signals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesHint {
    /// Repository-relative file.
    pub path: String,
    /// The chart guessed from the vendor's product charts and the file name.
    pub chart: String,
}

/// What `init` found.
#[derive(Debug, Clone)]
pub struct Detection<'p> {
    /// Files read.
    pub files: usize,
    /// Settings per format.
    pub formats: BTreeMap<Format, FormatCount>,
    /// Files that did not parse or were not read.
    pub problems: usize,
    /// Vendors with signals, the main one first (see [`VendorEvidence::coverage`]).
    pub vendors: Vec<VendorEvidence<'p>>,
    /// Paths per further vendor (same order as `vendors[1..]`), when its files
    /// are apart from the main vendor's.
    pub scopes: Vec<scopes::ScopeProposal>,
    /// Values files to map to a chart.
    pub values: Vec<ValuesHint>,
}

impl<'p> Detection<'p> {
    /// The main vendor, if any was detected.
    pub fn main(&self) -> Option<&VendorEvidence<'p>> {
        self.vendors.first()
    }
}

/// Looks at a scan (without a model) and the packs.
pub fn detect<'p>(scan: &Scan, packs: &'p [Pack]) -> Detection<'p> {
    let signals = signals::derive(packs);
    let mut formats: BTreeMap<Format, FormatCount> = BTreeMap::new();
    let mut vendors: Vec<VendorEvidence<'p>> = signals
        .iter()
        .map(|s| VendorEvidence {
            pack: s.pack,
            settings: 0,
            files: BTreeMap::new(),
            marks: BTreeMap::new(),
            coverage: 0,
        })
        .collect();
    let mut values = Vec::new();
    for file in &scan.files {
        let mut seen: Vec<Format> = Vec::new();
        let mut unmapped_values: Option<usize> = None;
        for s in &file.settings {
            let count = formats.entry(s.format).or_default();
            count.settings += 1;
            if !seen.contains(&s.format) {
                seen.push(s.format);
                count.files += 1;
            }
            for (i, sig) in signals.iter().enumerate() {
                let Some(mark) = sig.hit(s) else { continue };
                let v = &mut vendors[i];
                v.settings += 1;
                *v.files.entry(file.rel.to_string()).or_default() += 1;
                *v.marks.entry(mark.to_string()).or_default() += 1;
                if s.format == Format::Helm
                    && s.context.chart.is_none()
                    && s.context.document == "values"
                    && s.context.carrier.is_none()
                {
                    unmapped_values.get_or_insert(i);
                }
            }
        }
        if let Some(i) = unmapped_values {
            if let Some(chart) = guess_chart(&file.rel, &signals[i].product_charts) {
                values.push(ValuesHint {
                    path: file.rel.to_string(),
                    chart,
                });
            }
        }
    }
    vendors.retain(|v| v.settings > 0);
    let claimed: std::collections::BTreeSet<String> = vendors
        .iter()
        .flat_map(|v| v.files.keys().cloned())
        .collect();
    let signalled = |rel: &str| claimed.contains(rel);
    // The main vendor judges the files no vendor's signal claims: prefer the
    // pack with areas for most of them (the platform under the products).
    for v in &mut vendors {
        let classifier = Classifier::new(v.pack);
        v.coverage = scan
            .files
            .iter()
            .filter(|f| !signalled(&f.rel))
            .filter(|f| {
                f.settings
                    .iter()
                    .any(|s| classifier.classify(&s.view()).is_some())
            })
            .count();
    }
    vendors.sort_by(|a, b| {
        (b.coverage, b.files.len(), b.settings)
            .cmp(&(a.coverage, a.files.len(), a.settings))
            .then_with(|| a.pack.id.cmp(&b.pack.id))
    });
    let problems = scan
        .problems()
        .iter()
        .filter(|p| matches!(p.code, Code::ParseError | Code::FileSkipped))
        .map(|p| p.file.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let all_files: Vec<&str> = scan.files.iter().map(|f| &*f.rel).collect();
    let scopes = scopes::propose(&vendors, &all_files);
    Detection {
        files: scan.files.len(),
        formats,
        problems,
        vendors,
        scopes,
        values,
    }
}

/// A chart for a values file from a product chart glob with one `*`
/// (`cdrplatform-*`) and the file name (`engine.values.yaml` → `cdrplatform-engine`),
/// or its folder for a plain `values.yaml`.
fn guess_chart(rel: &str, product_charts: &[String]) -> Option<String> {
    let glob = product_charts
        .iter()
        .find(|g| g.matches('*').count() == 1 && g.ends_with('*'))?;
    let prefix = glob.trim_end_matches('*');
    let mut parts = rel.rsplit('/');
    let name = parts.next()?.to_lowercase();
    let stem = name
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .replace(['.', '_'], "-");
    let stem = stem
        .trim_start_matches("values-")
        .trim_end_matches("-values")
        .trim_matches('-');
    let base = if stem.is_empty() || stem == "values" {
        parts.next()?.to_lowercase()
    } else {
        stem.to_string()
    };
    Some(if base.starts_with(prefix) {
        base
    } else {
        format!("{prefix}{base}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_guessed_from_file_names() {
        let globs = vec!["cdrplatform-*".to_string()];
        let g = |rel: &str| guess_chart(rel, &globs);
        assert_eq!(
            g("helm/engine.values.yaml").as_deref(),
            Some("cdrplatform-engine")
        );
        assert_eq!(
            g("helm/values-api-access.yaml").as_deref(),
            Some("cdrplatform-api-access")
        );
        assert_eq!(
            g("halo/portal/values.yaml").as_deref(),
            Some("cdrplatform-portal")
        );
        assert_eq!(
            g("cdrplatform-sync-api/values.yaml").as_deref(),
            Some("cdrplatform-sync-api")
        );
        assert_eq!(guess_chart("values.yaml", &globs), None);
        assert_eq!(guess_chart("a/values.yaml", &["cilium".to_string()]), None);
    }
}
