//! Vendor signals derived from the packs' matchers, not from a list in code.
//!
//! Every text constraint of a rule (`value`, `chart`, `name`, `namespace`,
//! the group of `api_version`, the provider prefix of `resource`) has a
//! *mark*: its longest literal run, lowercased (`cdrplatform-*` → `cdrplatform`,
//! `edge.stackit.cloud/*` → `edge.stackit.cloud`, `stackit_server` → `stackit`).
//! A mark is a **signal** of its pack when no other pack's marks share a word
//! with it and either
//! - it names the vendor: one of its words starts with an identity word of
//!   the pack (the words of the vendor id, name and vendor party name, and
//!   one-word area ids such as `edgehostlet`; words two packs share, such as
//!   `cloud`, do not count), or
//! - it is a product chart: a rule claims the whole chart (`format: helm` and
//!   `chart` only) for an area the vendor is responsible for in every
//!   deployment, and the pack also knows the chart in another format (a Flux
//!   `HelmRelease`, a Terraform `helm_release`): the vendor ships and deploys
//!   it. Third-party charts a pack claims in one format only (`falco`) are not.
//!
//! Every rule of the pack that carries a signal mark is a signal rule; a
//! setting it matches is evidence that the repository runs the vendor's product.
//! Rules of a group marked `evidence: false` (the vendor's general cloud
//! services, which other products use too) are never signal rules.

use std::collections::{BTreeMap, BTreeSet};

use crate::keypath;
use crate::packs::glob::TextGlob;
use crate::packs::rule::Rule;
use crate::packs::{Pack, Role};
use crate::setting::{Format, Setting};

/// The signal rules of one pack.
#[derive(Debug, Clone)]
pub struct PackSignals<'p> {
    /// The pack.
    pub pack: &'p Pack,
    /// Signal marks, e.g. `cdrplatform`, `edge.stackit.cloud`.
    pub marks: BTreeSet<String>,
    /// (rule, its signal mark) pairs.
    rules: Vec<(&'p Rule, String)>,
    /// Charts claimed wholesale for vendor areas (globs as written).
    pub product_charts: Vec<String>,
}

impl PackSignals<'_> {
    /// The signal mark of the first signal rule that matches a setting.
    pub fn hit(&self, s: &Setting) -> Option<&str> {
        let s = s.view();
        let segments = keypath::segments(crate::classify::match_path(&s))?;
        self.rules
            .iter()
            .find(|(rule, _)| rule.matches(&s, &segments))
            .map(|(_, mark)| mark.as_str())
    }
}

/// The longest literal run of a glob, lowercased and trimmed of separators.
fn literal_run(glob: &str) -> String {
    glob.split(['*', '?'])
        .max_by_key(|run| run.len())
        .unwrap_or_default()
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_lowercase()
}

/// The marks of a rule's text constraints.
fn marks(rule: &Rule) -> Vec<String> {
    let c = &rule.context;
    let mut out = Vec::new();
    let mut add = |text: String| {
        if text.len() >= 4 {
            out.push(text);
        }
    };
    for glob in [&rule.value, &c.chart, &c.name, &c.namespace]
        .into_iter()
        .flatten()
    {
        add(literal_run(glob.as_str()));
    }
    if let Some(g) = &c.api_version {
        add(literal_run(
            g.as_str().split('/').next().unwrap_or_default(),
        ));
    }
    if let Some(g) = &c.resource {
        add(literal_run(
            g.as_str().split('_').next().unwrap_or_default(),
        ));
    }
    out
}

/// Alphanumeric words of a text, lowercased.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Words that name the vendor: from the id, name, vendor party name and one-word area ids.
fn identity(pack: &Pack) -> BTreeSet<String> {
    let party = pack.parties.get(&Role::Vendor).map_or("", String::as_str);
    let mut out: BTreeSet<String> = [pack.id.as_str(), pack.name.as_str(), party]
        .into_iter()
        .flat_map(words)
        .collect();
    out.extend(
        pack.areas
            .iter()
            .filter(|a| !a.id.contains('-'))
            .map(|a| a.id.to_lowercase()),
    );
    out.retain(|w| w.len() >= 4);
    out
}

/// Whether a rule claims a whole chart for an area the vendor is responsible for everywhere.
fn product_chart<'r>(pack: &Pack, rule: &'r Rule) -> Option<&'r TextGlob> {
    let chart = rule.context.chart.as_ref()?;
    let only_chart = rule.context.fields().len() == 1
        && rule.format == Some(Format::Helm)
        && rule.value.is_none()
        && rule.path.as_str() == "**";
    let area = pack.areas.get(rule.area)?;
    let vendor_everywhere = pack.deployments.iter().all(|d| {
        area.resolve(&d.id, &pack.options_with(&BTreeMap::new()))
            .0
            .responsible
            .contains(&Role::Vendor)
    });
    (only_chart && vendor_everywhere).then_some(chart)
}

/// Derives the signals of every pack.
pub fn derive(packs: &[Pack]) -> Vec<PackSignals<'_>> {
    let identities: Vec<BTreeSet<String>> = packs.iter().map(identity).collect();
    // Identity words of two packs (e.g. `cloud`) name neither.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &identities {
        for w in id {
            *seen.entry(w.as_str()).or_default() += 1;
        }
    }
    let mark_words: Vec<BTreeSet<String>> = packs
        .iter()
        .map(|p| {
            p.rules
                .iter()
                .flat_map(marks)
                .flat_map(|m| words(&m).collect::<Vec<_>>())
                .collect()
        })
        .collect();
    packs
        .iter()
        .enumerate()
        .map(|(i, pack)| {
            let elsewhere = |pred: &dyn Fn(&str) -> bool| {
                mark_words
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && other.iter().any(|w| pred(w)))
            };
            // A product chart's words of four letters or more are no other pack's.
            let exclusive = |mark: &str| {
                words(mark)
                    .filter(|w| w.len() >= 4)
                    .all(|w| !elsewhere(&|o| o == w))
            };
            // Some word starts with an identity word of this pack only, that no other pack's marks use.
            let names_vendor = |mark: &str| {
                words(mark).any(|w| {
                    identities[i].iter().any(|id| {
                        seen.get(id.as_str()) == Some(&1)
                            && w.starts_with(id.as_str())
                            && !elsewhere(&|o| o.starts_with(id.as_str()))
                    })
                })
            };
            // Formats in which the pack's rules carry each mark.
            let mut mark_formats: BTreeMap<String, BTreeSet<Option<Format>>> = BTreeMap::new();
            for rule in &pack.rules {
                for mark in marks(rule) {
                    mark_formats.entry(mark).or_default().insert(rule.format);
                }
            }
            let mut signal_marks = BTreeSet::new();
            let mut product_charts = Vec::new();
            for rule in pack.rules.iter().filter(|r| r.evidence) {
                if let Some(chart) = product_chart(pack, rule) {
                    let mark = literal_run(chart.as_str());
                    let formats = mark_formats.get(&mark).map_or(0, BTreeSet::len);
                    if mark.len() >= 4 && formats >= 2 && exclusive(&mark) {
                        product_charts.push(chart.as_str().to_string());
                        signal_marks.insert(mark);
                    }
                }
                for mark in marks(rule) {
                    if names_vendor(&mark) {
                        signal_marks.insert(mark);
                    }
                }
            }
            product_charts.dedup();
            let rules = pack
                .rules
                .iter()
                .filter(|r| r.evidence)
                .filter_map(|r| {
                    marks(r)
                        .into_iter()
                        .find(|m| signal_marks.contains(m))
                        .map(|m| (r, m))
                })
                .collect();
            PackSignals {
                pack,
                marks: signal_marks,
                rules,
                product_charts,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_runs() {
        assert_eq!(literal_run("cdrplatform-*"), "cdrplatform");
        assert_eq!(
            literal_run("*glasswallhub.azurecr.io*"),
            "glasswallhub.azurecr.io"
        );
        assert_eq!(literal_run("edge.stackit.cloud"), "edge.stackit.cloud");
        assert_eq!(literal_run("*.edge.stackit.cloud"), "edge.stackit.cloud");
    }
}

#[cfg(test)]
mod builtin_tests {
    use super::*;

    #[test]
    fn builtin_packs_have_the_expected_signals() {
        let packs = crate::packs::builtin::packs().unwrap();
        let signals = derive(&packs);
        let got: Vec<(&str, Vec<&str>)> = signals
            .iter()
            .map(|s| {
                (
                    s.pack.id.as_str(),
                    s.marks.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "glasswall-halo",
                    vec![
                        "cdrplatform",
                        "docker.io/glasswallsolutions",
                        "glasswall",
                        "glasswallhub.azurecr.io",
                        "glasswallsolutions"
                    ]
                ),
                ("nexgen-cloud", vec!["hyperstack"]),
                (
                    "stackit-edge-cloud",
                    // STACKIT's general cloud resources (`evidence: false`) are not signals.
                    vec![
                        "edge.stackit.cloud",
                        "edgehostlet",
                        "stackit",
                        "stackit.cloud"
                    ]
                ),
                // Third-party charts (cilium, falco, trivy-operator, cert-manager) are not signals.
                ("wso2-choreo", vec!["choreo"]),
            ]
        );
    }
}
