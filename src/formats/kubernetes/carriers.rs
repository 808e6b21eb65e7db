//! The documents a Kubernetes object carries, by API group and kind: a
//! table ([`CARRIERS`]) of where each kind of object holds which document,
//! and [`carried`], which walks it for one object.

use super::super::gitops::Deploys;
use super::super::tree::Node;

/// A document inside an object, at a path relative to the object.
pub(super) struct Carried<'n> {
    pub(super) path: String,
    pub(super) node: &'n Node,
    pub(super) what: Carries,
    /// The chart's repository, for Helm values.
    pub(super) repository: Option<String>,
}

/// What a carried document is.
#[derive(Clone)]
pub(super) enum Carries {
    /// A Helm values mapping.
    Values {
        chart: Option<String>,
        release: Option<String>,
    },
    /// Helm values as a YAML string.
    ValuesText {
        chart: Option<String>,
        release: Option<String>,
    },
    /// A list of `{name, value}` Helm parameters.
    Parameters {
        chart: Option<String>,
        release: Option<String>,
    },
    /// A mapping of `--set` names to values.
    SetMap {
        chart: Option<String>,
        release: Option<String>,
    },
    /// A Talos Image Factory schematic as a YAML string.
    SchematicText,
    /// A list of RFC 6902 operations on a Talos config.
    TalosJsonPatches,
}

/// The shape of a carried document, before its chart and release are known.
#[derive(Clone, Copy)]
enum Form {
    Values,
    ValuesText,
    Parameters,
    SetMap,
    SchematicText,
    TalosJsonPatches,
}

impl Form {
    fn with(self, chart: Option<String>, release: Option<String>) -> Carries {
        match self {
            Form::Values => Carries::Values { chart, release },
            Form::ValuesText => Carries::ValuesText { chart, release },
            Form::Parameters => Carries::Parameters { chart, release },
            Form::SetMap => Carries::SetMap { chart, release },
            Form::SchematicText => Carries::SchematicText,
            Form::TalosJsonPatches => Carries::TalosJsonPatches,
        }
    }
}

/// Where the carried documents hang.
#[derive(Clone, Copy)]
enum Sources {
    /// In the object itself.
    Object,
    /// In each Argo CD source (`source`, and every entry of `sources`) of
    /// the application spec at this path.
    Argo(&'static [&'static str]),
}

/// How the chart and the release of carried Helm values are named.
#[derive(Clone, Copy)]
enum Naming {
    /// Not Helm values: no chart, no release.
    None,
    /// Flux: the chart the object deploys; `spec.releaseName`, else the object's name.
    Flux,
    /// Argo CD: the source's `chart`, else the last segment of its `path`;
    /// `helm.releaseName`, else the object's name.
    Argo,
    /// k3s: `spec.chart`; the object's name.
    K3s,
}

/// One kind of object that carries documents.
struct Carrier {
    group: &'static str,
    kind: &'static str,
    sources: Sources,
    naming: Naming,
    /// Path of each document within a source, and what it is, in reading order.
    carries: &'static [(&'static [&'static str], Form)],
}

const ARGO_HELM: &[(&[&str], Form)] = &[
    (&["helm", "valuesObject"], Form::Values),
    (&["helm", "values"], Form::ValuesText),
    (&["helm", "parameters"], Form::Parameters),
];

/// Every kind of object that carries documents, and where.
const CARRIERS: &[Carrier] = &[
    Carrier {
        group: "helm.toolkit.fluxcd.io",
        kind: "HelmRelease",
        sources: Sources::Object,
        naming: Naming::Flux,
        carries: &[(&["spec", "values"], Form::Values)],
    },
    Carrier {
        group: "argoproj.io",
        kind: "Application",
        sources: Sources::Argo(&["spec"]),
        naming: Naming::Argo,
        carries: ARGO_HELM,
    },
    Carrier {
        group: "argoproj.io",
        kind: "ApplicationSet",
        sources: Sources::Argo(&["spec", "template", "spec"]),
        naming: Naming::Argo,
        carries: ARGO_HELM,
    },
    Carrier {
        group: "helm.cattle.io",
        kind: "HelmChart",
        sources: Sources::Object,
        naming: Naming::K3s,
        carries: &[
            (&["spec", "valuesContent"], Form::ValuesText),
            (&["spec", "set"], Form::SetMap),
        ],
    },
    Carrier {
        group: "edge.stackit.cloud",
        kind: "EdgeImage",
        sources: Sources::Object,
        naming: Naming::None,
        carries: &[(&["spec", "schematic"], Form::SchematicText)],
    },
    Carrier {
        group: "controlplane.cluster.x-k8s.io",
        kind: "TalosControlPlane",
        sources: Sources::Object,
        naming: Naming::None,
        carries: &[(
            &[
                "spec",
                "controlPlaneConfig",
                "controlplane",
                "configPatches",
            ],
            Form::TalosJsonPatches,
        )],
    },
    Carrier {
        group: "bootstrap.cluster.x-k8s.io",
        kind: "TalosConfigTemplate",
        sources: Sources::Object,
        naming: Naming::None,
        carries: &[(
            &["spec", "template", "spec", "configPatches"],
            Form::TalosJsonPatches,
        )],
    },
    Carrier {
        group: "bootstrap.cluster.x-k8s.io",
        kind: "TalosConfig",
        sources: Sources::Object,
        naming: Naming::None,
        carries: &[(&["spec", "configPatches"], Form::TalosJsonPatches)],
    },
];

/// The documents an object carries, by API group and kind ([`CARRIERS`]).
pub(super) fn carried<'n>(
    api: &str,
    kind: &str,
    name: &str,
    doc: &'n Node,
    deploys: &Deploys,
) -> Vec<Carried<'n>> {
    let group = api.split_once('/').map_or("", |(g, _)| g);
    let Some(carrier) = CARRIERS.iter().find(|c| c.group == group && c.kind == kind) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (at, src) in sources(carrier.sources, doc) {
        let (chart, release) = naming(carrier.naming, src, name, deploys);
        for (rel, form) in carrier.carries {
            let Some(node) = src.get_path(rel) else {
                continue;
            };
            let rel = rel.join(".");
            out.push(Carried {
                path: if at.is_empty() {
                    rel
                } else {
                    format!("{at}.{rel}")
                },
                node,
                what: form.with(chart.clone(), release.clone()),
                repository: deploys.repository.clone(),
            });
        }
    }
    out
}

/// The nodes the documents hang from, with their paths in the object.
fn sources(sources: Sources, doc: &Node) -> Vec<(String, &Node)> {
    let spec_path = match sources {
        Sources::Object => return vec![(String::new(), doc)],
        Sources::Argo(spec_path) => spec_path,
    };
    let Some(spec) = doc.get_path(spec_path) else {
        return Vec::new();
    };
    let base = spec_path.join(".");
    let mut out: Vec<(String, &Node)> = Vec::new();
    if let Some(src) = spec.get("source") {
        out.push((format!("{base}.source"), src));
    }
    for (i, src) in spec.items_at("sources").iter().enumerate() {
        out.push((format!("{base}.sources[{i}]"), src));
    }
    out
}

/// The chart and the release of the Helm values carried in `src`.
fn naming(
    naming: Naming,
    src: &Node,
    name: &str,
    deploys: &Deploys,
) -> (Option<String>, Option<String>) {
    let s = |n: Option<&Node>| n.and_then(Node::as_str).map(str::to_string);
    match naming {
        Naming::None => (None, None),
        Naming::Flux => (
            deploys.chart.clone(),
            s(src.get_path(&["spec", "releaseName"])).or_else(|| Some(name.to_string())),
        ),
        Naming::Argo => (
            s(src.get("chart")).or_else(|| {
                s(src.get("path")).and_then(|p| {
                    p.trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .map(str::to_string)
                })
            }),
            s(src.get_path(&["helm", "releaseName"])).or_else(|| Some(name.to_string())),
        ),
        Naming::K3s => (s(src.get_path(&["spec", "chart"])), Some(name.to_string())),
    }
}
