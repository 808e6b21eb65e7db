//! What GitOps objects say about the product they deploy, as context for
//! matchers: the chart and its repository of a Flux `HelmRelease` (its
//! `chart.spec`, or its `chartRef` resolved to an `OCIRepository` or
//! `HelmChart` in the same file, and `sourceRef` to a `HelmRepository`), of
//! a Flux `OCIRepository`, of an Argo CD `Application`/`ApplicationSet`
//! source, of a k3s `HelmChart`; the image a workload runs; and, per entry,
//! the image of a kustomize `images` item and the chart of a `helmCharts` item
//! (see [`super::kustomize`]).

use std::collections::HashMap;

use super::chart::chart_from_ref;
use super::tree::Node;

/// Flux sources defined in one file: (kind, name) → `spec.url`; and the
/// ConfigMaps and Secrets a `HelmRelease` of the file takes values from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    urls: HashMap<(String, String), String>,
    values_from: HashMap<(String, String), (Deploys, String)>,
}

pub(super) fn text(n: Option<&Node>) -> Option<String> {
    n.and_then(Node::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn group(api: &str) -> &str {
    api.split_once('/').map_or("", |(g, _)| g)
}

impl Sources {
    /// Collects the Flux sources (`HelmRepository`, `OCIRepository`,
    /// `GitRepository`) among a file's documents.
    pub fn collect(docs: &[Node]) -> Sources {
        let mut urls = HashMap::new();
        for doc in docs {
            let api = text(doc.get("apiVersion")).unwrap_or_default();
            let kind = text(doc.get("kind")).unwrap_or_default();
            if group(&api) != "source.toolkit.fluxcd.io" {
                continue;
            }
            let name = text(doc.get_path(&["metadata", "name"]));
            let url = text(doc.get_path(&["spec", "url"]));
            if let (Some(name), Some(url)) = (name, url) {
                urls.insert((kind, name), url);
            }
        }
        let mut out = Sources {
            urls,
            values_from: HashMap::new(),
        };
        for doc in docs {
            let api = text(doc.get("apiVersion")).unwrap_or_default();
            let kind = text(doc.get("kind")).unwrap_or_default();
            if group(&api) != "helm.toolkit.fluxcd.io" || kind != "HelmRelease" {
                continue;
            }
            let chart = helm_release(doc, &out);
            for from in doc
                .get_path(&["spec", "valuesFrom"])
                .map(Node::items)
                .unwrap_or_default()
            {
                let (Some(kind), Some(name)) = (text(from.get("kind")), text(from.get("name")))
                else {
                    continue;
                };
                let key = text(from.get("valuesKey")).unwrap_or_else(|| "values.yaml".to_string());
                out.values_from.insert((kind, name), (chart.clone(), key));
            }
        }
        out
    }

    /// The chart and data key of values a `HelmRelease` in the file takes
    /// from this ConfigMap or Secret.
    pub fn values_for(&self, kind: &str, name: &str) -> Option<&(Deploys, String)> {
        self.values_from.get(&(kind.to_string(), name.to_string()))
    }

    fn url(&self, kind: &str, name: &str) -> Option<&String> {
        self.urls.get(&(kind.to_string(), name.to_string()))
    }
}

/// What an object says about the chart or image it deploys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deploys {
    /// Chart name.
    pub chart: Option<String>,
    /// Chart repository or OCI address.
    pub repository: Option<String>,
    /// Container image.
    pub image: Option<String>,
}

/// The chart, repository or image an object deploys, when it says.
pub fn deploys(api: &str, kind: &str, doc: &Node, sources: &Sources) -> Deploys {
    let s = |keys: &[&str]| text(doc.get_path(keys));
    match (group(api), kind) {
        ("helm.toolkit.fluxcd.io", "HelmRelease") => helm_release(doc, sources),
        ("source.toolkit.fluxcd.io", "OCIRepository") => {
            let url = s(&["spec", "url"]);
            Deploys {
                chart: url.as_deref().and_then(chart_from_ref),
                repository: url,
                image: None,
            }
        }
        ("source.toolkit.fluxcd.io", "HelmRepository" | "GitRepository") => Deploys {
            repository: s(&["spec", "url"]),
            ..Deploys::default()
        },
        ("source.toolkit.fluxcd.io", "HelmChart") => Deploys {
            chart: s(&["spec", "chart"]),
            repository: s(&["spec", "sourceRef", "name"])
                .and_then(|n| sources.url("HelmRepository", &n).cloned()),
            image: None,
        },
        ("argoproj.io", "Application" | "ApplicationSet") => {
            let spec = if kind == "ApplicationSet" {
                doc.get_path(&["spec", "template", "spec"])
            } else {
                doc.get("spec")
            };
            let mut sources_list: Vec<&Node> = Vec::new();
            if let Some(src) = spec.and_then(|s| s.get("source")) {
                sources_list.push(src);
            }
            if let Some(list) = spec.and_then(|s| s.get("sources")) {
                sources_list.extend(list.items());
            }
            // The first source that names a chart (multi-source apps put the
            // values repository in another source).
            sources_list
                .iter()
                .find_map(|src| {
                    let chart = text(src.get("chart"))?;
                    Some(Deploys {
                        chart: Some(chart),
                        repository: text(src.get("repoURL")),
                        image: None,
                    })
                })
                .unwrap_or_default()
        }
        ("helm.cattle.io", "HelmChart") => Deploys {
            chart: s(&["spec", "chart"]).as_deref().and_then(chart_from_ref),
            repository: s(&["spec", "repo"]).or_else(|| s(&["spec", "chart"])),
            image: None,
        },
        _ => Deploys {
            image: workload_image(doc),
            ..Deploys::default()
        },
    }
}

/// A Flux `HelmRelease`'s chart and repository.
fn helm_release(doc: &Node, sources: &Sources) -> Deploys {
    let s = |keys: &[&str]| text(doc.get_path(keys));
    if let Some(chart) = s(&["spec", "chart", "spec", "chart"]) {
        let source_kind = s(&["spec", "chart", "spec", "sourceRef", "kind"])
            .unwrap_or_else(|| "HelmRepository".to_string());
        let repository = s(&["spec", "chart", "spec", "sourceRef", "name"])
            .and_then(|n| sources.url(&source_kind, &n).cloned());
        // A chart given as a path in a Git source names its folder last.
        return Deploys {
            chart: chart_from_ref(&chart),
            repository,
            image: None,
        };
    }
    let kind = s(&["spec", "chartRef", "kind"]).unwrap_or_else(|| "OCIRepository".to_string());
    let Some(name) = s(&["spec", "chartRef", "name"]) else {
        return Deploys::default();
    };
    match sources.url(&kind, &name) {
        Some(url) => Deploys {
            chart: chart_from_ref(url),
            repository: Some(url.clone()),
            image: None,
        },
        // Not in this file: sources are usually named after their chart.
        None => Deploys {
            chart: Some(name),
            ..Deploys::default()
        },
    }
}

/// The image of a workload's first container (pods, pod templates, jobs, cron jobs).
fn workload_image(doc: &Node) -> Option<String> {
    const PODS: [&[&str]; 3] = [
        &["spec"],
        &["spec", "template", "spec"],
        &["spec", "jobTemplate", "spec", "template", "spec"],
    ];
    PODS.iter().find_map(|pod| {
        let spec = doc.get_path(pod)?;
        ["containers", "initContainers"].iter().find_map(|list| {
            spec.get(list)?
                .items()
                .iter()
                .find_map(|c| text(c.get("image")))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::embed::PosMap;
    use crate::formats::yaml;
    use crate::limits::Limits;
    use crate::source::Source;

    fn docs(text: &str) -> Vec<Node> {
        yaml::parse(
            &Source::new(text.to_string()),
            &PosMap::Identity,
            &Limits::default(),
        )
        .docs
    }

    #[test]
    fn a_chart_ref_is_resolved_to_the_oci_repository_in_the_file() {
        let d = docs(
            "apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata: {name: halo}\nspec: {url: oci://glasswallhub.azurecr.io/charts/cdrplatform-engine}\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: files}\nspec: {chartRef: {kind: OCIRepository, name: halo}}\n",
        );
        let sources = Sources::collect(&d);
        let got = deploys("helm.toolkit.fluxcd.io/v2", "HelmRelease", &d[1], &sources);
        assert_eq!(got.chart.as_deref(), Some("cdrplatform-engine"));
        assert_eq!(
            got.repository.as_deref(),
            Some("oci://glasswallhub.azurecr.io/charts/cdrplatform-engine")
        );
    }

    #[test]
    fn a_release_names_its_chart_and_repository() {
        let d = docs(
            "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: gw}\nspec: {url: https://charts.example.com}\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: files}\nspec: {chart: {spec: {chart: cdrplatform-engine, sourceRef: {kind: HelmRepository, name: gw}}}}\n",
        );
        let got = deploys(
            "helm.toolkit.fluxcd.io/v2",
            "HelmRelease",
            &d[1],
            &Sources::collect(&d),
        );
        assert_eq!(got.chart.as_deref(), Some("cdrplatform-engine"));
        assert_eq!(
            got.repository.as_deref(),
            Some("https://charts.example.com")
        );
    }

    #[test]
    fn workloads_name_their_first_image() {
        let d = docs(
            "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: glasswallhub.azurecr.io/x:1\n",
        );
        let got = deploys("apps/v1", "Deployment", &d[0], &Sources::default());
        assert_eq!(got.image.as_deref(), Some("glasswallhub.azurecr.io/x:1"));
    }

    #[test]
    fn argo_sources_name_their_chart() {
        let d = docs(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  sources:\n    - repoURL: https://git.example.com/values\n    - repoURL: glasswallhub.azurecr.io/charts\n      chart: cdrplatform-engine\n",
        );
        let got = deploys(
            "argoproj.io/v1alpha1",
            "Application",
            &d[0],
            &Sources::default(),
        );
        assert_eq!(got.chart.as_deref(), Some("cdrplatform-engine"));
        assert_eq!(
            got.repository.as_deref(),
            Some("glasswallhub.azurecr.io/charts")
        );
    }
}
