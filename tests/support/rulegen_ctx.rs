//! The chart, `repository`, `image` and name context of a generated file: a
//! rule that asks for them is given an object that says them where the
//! readers look (a Flux source next to a `HelmRelease`, an Argo CD source, a
//! k3s `HelmChart`, a kustomize entry or patch target, a workload's
//! container, a talhelper extension service's name), and the place that
//! says them is recorded, so a mutation can change it and make the rule stop
//! applying.

use demarcate::packs::rule::Rule;
use demarcate::setting::Format;

use super::rulegen::{Seg, Tree, fill};

/// A place in a generated file whose value makes the rule apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switch {
    /// What it says (`repository`, `image`).
    pub what: &'static str,
    /// The document before the main one that holds it, or `None` for the main one.
    pub doc: Option<usize>,
    /// Its path in that document.
    pub path: Vec<Seg>,
}

/// What the context step adds to a generated file.
#[derive(Debug, Default)]
pub struct Added {
    /// Documents before the main one.
    pub docs: Vec<Tree>,
    /// Places that make the rule apply.
    pub switches: Vec<Switch>,
    /// The main document's name: the file name changes (`None`: keep it).
    pub name: Option<&'static str>,
    /// The rule's setting moved (Helm values inside a `HelmRelease`).
    pub carrier_dropped: bool,
}

fn keys(parts: &[&str]) -> Vec<Seg> {
    parts.iter().map(|k| Seg::Key((*k).to_string())).collect()
}

fn object(api: &str, kind: &str, name: &str) -> Tree {
    let mut t = Tree::Map(Vec::new());
    t.insert(&keys(&["apiVersion"]), api);
    t.insert(&keys(&["kind"]), kind);
    t.insert(&keys(&["metadata", "name"]), name);
    t.insert(&keys(&["metadata", "namespace"]), "default");
    t
}

fn starts(path: &[Seg], prefix: &[&str]) -> bool {
    path.len() >= prefix.len()
        && path
            .iter()
            .zip(prefix)
            .all(|(s, p)| matches!(s, Seg::Key(k) if k == p))
}

/// Puts `at` = `text` into the main tree, unless the rule's own setting is
/// there (then the rule's value becomes `text`).
fn say(tree: &mut Tree, path: &[Seg], value: &mut String, at: Vec<Seg>, text: &str) -> Vec<Seg> {
    if at == path {
        *value = text.to_string();
    } else {
        tree.insert(&at, text);
    }
    at
}

/// What a rule asks of a chart: its name, its repository.
struct Wants {
    chart: Option<String>,
    repository: Option<String>,
}

impl Wants {
    fn chart_or_any(&self) -> String {
        self.chart.clone().unwrap_or_else(|| "x".to_string())
    }
}

/// Points the Flux `HelmRelease` in `tree` at its chart: `spec.chart.spec`
/// (with a `HelmRepository` document when a repository is wanted), or
/// `spec.chartRef` (an `OCIRepository` document, or the chart's name) when
/// the rule's setting is under it. `doc` is the index `tree` will have among
/// the documents (`None`: the main one).
fn flux_release(tree: &mut Tree, path: &[Seg], w: &Wants, doc: Option<usize>, added: &mut Added) {
    let oci = starts(path, &["spec", "chartRef"]);
    let source = if oci {
        "OCIRepository"
    } else {
        "HelmRepository"
    };
    if let Some(url) = &w.repository {
        let mut d = object("source.toolkit.fluxcd.io/v1", source, "repo");
        d.insert(&keys(&["spec", "url"]), url);
        added.switches.push(Switch {
            what: "repository",
            doc: Some(added.docs.len()),
            path: keys(&["spec", "url"]),
        });
        added.docs.push(d);
    }
    let at = if oci {
        tree.insert(&keys(&["spec", "chartRef", "kind"]), source);
        keys(&["spec", "chartRef", "name"])
    } else {
        if w.repository.is_some() {
            tree.insert(
                &keys(&["spec", "chart", "spec", "sourceRef", "kind"]),
                source,
            );
            tree.insert(
                &keys(&["spec", "chart", "spec", "sourceRef", "name"]),
                "repo",
            );
        }
        keys(&["spec", "chart", "spec", "chart"])
    };
    if oci && w.repository.is_some() {
        tree.insert(&at, "repo");
    } else {
        tree.insert(&at, &w.chart_or_any());
        if w.chart.is_some() {
            added.switches.push(Switch {
                what: "chart",
                doc,
                path: at,
            });
        }
    }
}

/// The place of a Kubernetes object that names its chart (`chart`) or its
/// repository, with the text to put there.
fn gitops(
    group: &str,
    kind: &str,
    rule: &Rule,
    w: &Wants,
    tree: &mut Tree,
    path: &[Seg],
    added: &mut Added,
) -> Vec<(&'static str, Vec<Seg>, String)> {
    let mut out = Vec::new();
    match (group, kind) {
        ("helm.toolkit.fluxcd.io", "HelmRelease") => flux_release(tree, path, w, None, added),
        ("argoproj.io", "Application" | "ApplicationSet") => {
            let mut base = if kind == "ApplicationSet" {
                keys(&["spec", "template", "spec"])
            } else {
                keys(&["spec"])
            };
            if path.get(base.len()) == Some(&Seg::Key("sources".into())) {
                base.push(Seg::Key("sources".into()));
                base.push(Seg::Index(0));
            } else {
                base.push(Seg::Key("source".into()));
            }
            let mut at = base.clone();
            at.push(Seg::Key("chart".into()));
            out.push(("chart", at, w.chart_or_any()));
            base.push(Seg::Key("repoURL".into()));
            if let Some(url) = &w.repository {
                out.push(("repository", base, url.clone()));
            }
        }
        ("helm.cattle.io", "HelmChart") => {
            out.push(("chart", keys(&["spec", "chart"]), w.chart_or_any()));
            if let Some(url) = &w.repository {
                out.push(("repository", keys(&["spec", "repo"]), url.clone()));
            }
        }
        ("source.toolkit.fluxcd.io", _) => {
            let (what, url) = match (&w.repository, &w.chart) {
                (Some(url), _) => ("repository", url.clone()),
                (None, Some(chart)) => ("chart", format!("oci://example.io/charts/{chart}")),
                (None, None) => return out,
            };
            out.push((what, keys(&["spec", "url"]), url));
        }
        ("kustomize.config.k8s.io", "Kustomization") if starts(path, &["helmCharts"]) => {
            let at = vec![Seg::Key("helmCharts".into()), Seg::Index(0)];
            let mut name = at.clone();
            name.push(Seg::Key("name".into()));
            out.push(("chart", name, w.chart_or_any()));
            if let Some(url) = &w.repository {
                let mut repo = at;
                repo.push(Seg::Key("repo".into()));
                out.push(("repository", repo, url.clone()));
            }
        }
        (_, "ConfigMap" | "Secret") => {
            // Values a HelmRelease of the file takes from this object.
            let c = &rule.context;
            let n = c.name.as_ref().map_or("x".to_string(), |g| fill(g, "x"));
            let mut release = object("helm.toolkit.fluxcd.io/v2", "HelmRelease", "r");
            let mut from = keys(&["spec", "valuesFrom"]);
            from.push(Seg::Index(0));
            for (k, v) in [("kind", kind), ("name", n.as_str())] {
                let mut at = from.clone();
                at.push(Seg::Key(k.into()));
                release.insert(&at, v);
            }
            let index = added.docs.len() + usize::from(w.repository.is_some());
            flux_release(&mut release, &[], w, Some(index), added);
            added.docs.push(release);
        }
        _ => {}
    }
    out
}

/// The `apiVersion` of a kind whose API group a rule leaves open.
pub fn api_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "HelmRelease" => "helm.toolkit.fluxcd.io/v2",
        "Application" | "ApplicationSet" => "argoproj.io/v1alpha1",
        "OCIRepository" | "HelmRepository" | "GitRepository" => "source.toolkit.fluxcd.io/v1",
        "Kustomization" => "kustomize.config.k8s.io/v1beta1",
        "Deployment" | "StatefulSet" | "DaemonSet" => "apps/v1",
        "Job" => "batch/v1",
        "CronJob" => "batch/v1",
        _ => return None,
    })
}

/// Adds the chart, `repository` and `image` context `rule` asks for to a
/// generated file (`tree` with the rule's setting at `path`, not yet
/// inserted), where the readers look for it.
pub fn add(
    rule: &Rule,
    format: Format,
    tree: &mut Tree,
    path: &mut Vec<Seg>,
    value: &mut String,
) -> Added {
    let c = &rule.context;
    let mut added = Added::default();
    let w = Wants {
        chart: c.chart.as_ref().map(|g| fill(g, "x")),
        repository: c.repository.as_ref().map(|g| fill(g, "x")),
    };
    let mut said = Vec::new();
    match format {
        Format::Helm if w.repository.is_some() => {
            // Values of a Flux HelmRelease whose chart comes from the repository.
            *tree = object("helm.toolkit.fluxcd.io/v2", "HelmRelease", "x");
            flux_release(tree, &[], &w, None, &mut added);
            let mut p = keys(&["spec", "values"]);
            p.append(path);
            *path = p;
            added.name = Some("release.yaml");
            added.carrier_dropped = true;
        }
        Format::Kubernetes => {
            let kind = c.kind.as_ref().map(|g| fill(g, "X")).unwrap_or_default();
            let api = c
                .api_version
                .as_ref()
                .map(|g| fill(g, "x"))
                .or_else(|| api_of(&kind).map(str::to_string))
                .unwrap_or_default();
            let group = api.split('/').next().unwrap_or_default().to_string();
            if w.chart.is_some() || w.repository.is_some() {
                said = gitops(&group, &kind, rule, &w, tree, path, &mut added);
            }
            if kind == "Kustomization" && starts(path, &["patches"]) {
                // A patch is about the object it targets.
                let target = |k: &str| {
                    vec![
                        Seg::Key("patches".into()),
                        Seg::Index(0),
                        Seg::Key("target".into()),
                        Seg::Key(k.into()),
                    ]
                };
                if let Some(n) = &c.name {
                    said.push(("target", target("name"), fill(n, "x")));
                }
                if let Some(n) = &c.namespace {
                    said.push(("target", target("namespace"), fill(n, "x")));
                }
            }
        }
        Format::Talos
            if path.len() >= 4 && path.get(2) == Some(&Seg::Key("extensionServices".into())) =>
        {
            // A talhelper extension service is named by its `name`.
            if let Some(n) = &c.name {
                let mut at = path[..4].to_vec();
                at.push(Seg::Key("name".into()));
                said.push(("name", at, fill(n, "x")));
            }
        }
        _ => {}
    }
    for (what, at, text) in said {
        let at = say(tree, path, value, at, &text);
        if what == "chart" && w.chart.is_none() {
            // Said because the reader needs a chart; the rule asks for none.
            continue;
        }
        added.switches.push(Switch {
            what,
            doc: None,
            path: at,
        });
    }
    if let Some(image) = &c.image {
        let image = fill(image, "x");
        if format == Format::Kubernetes {
            let kind = c.kind.as_ref().map(|g| fill(g, "X")).unwrap_or_default();
            let mut at = match kind.as_str() {
                "Kustomization" => {
                    let mut at = vec![Seg::Key("images".into()), Seg::Index(0)];
                    at.push(Seg::Key("name".into()));
                    at
                }
                "Pod" => keys(&["spec", "containers"]),
                "CronJob" => keys(&[
                    "spec",
                    "jobTemplate",
                    "spec",
                    "template",
                    "spec",
                    "containers",
                ]),
                _ => keys(&["spec", "template", "spec", "containers"]),
            };
            if kind != "Kustomization" {
                at.push(Seg::Index(0));
                at.push(Seg::Key("image".into()));
            }
            let at = say(tree, path, value, at, &image);
            added.switches.push(Switch {
                what: "image",
                doc: None,
                path: at,
            });
        }
    }
    added
}
