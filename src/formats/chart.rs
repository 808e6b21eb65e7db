//! `Chart.yaml`: a chart's name and its dependencies (subcharts), so that a
//! values file is read with the chart it belongs to, and the values an
//! umbrella chart nests under a dependency's alias or name with that
//! dependency's chart. Pure functions of the file's text, so that either end
//! of a change (a base revision's `Chart.yaml` too) can be associated alike.

use super::embed::PosMap;
use super::tree::Node;
use super::yaml;
use crate::limits::Limits;
use crate::source::Source;

/// One dependency of a chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dependency {
    /// The subchart's chart name.
    pub name: String,
    /// The key its values sit under in the parent's values: the alias, or the name.
    pub key: String,
    /// Where it comes from (`https://…`, `oci://…`, `file://…`), when given.
    pub repository: Option<String>,
}

/// What a `Chart.yaml` says about a chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartInfo {
    /// The chart's name.
    pub name: String,
    /// Its dependencies, in file order.
    pub dependencies: Vec<Dependency>,
}

impl ChartInfo {
    /// Reads a `Chart.yaml`; `None` when it has no `name`. Bad YAML gives `None`
    /// (the chart file itself is not linted).
    pub fn parse(text: &str) -> Option<ChartInfo> {
        let src = Source::new(text.to_string());
        let limits = Limits {
            max_nodes: 10_000,
            ..Limits::default()
        };
        let stream = yaml::parse(&src, &PosMap::Identity, &limits);
        let doc = stream.docs.first()?;
        let name = doc.get("name").and_then(Node::as_str)?.trim().to_string();
        if name.is_empty() {
            return None;
        }
        let dependencies = doc
            .get("dependencies")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|d| {
                let name = d.get("name").and_then(Node::as_str)?.to_string();
                let key = d
                    .get("alias")
                    .and_then(Node::as_str)
                    .filter(|a| !a.is_empty())
                    .unwrap_or(&name)
                    .to_string();
                let repository = d
                    .get("repository")
                    .and_then(Node::as_str)
                    .filter(|r| !r.is_empty())
                    .map(str::to_string);
                Some(Dependency {
                    name,
                    key,
                    repository,
                })
            })
            .collect();
        Some(ChartInfo { name, dependencies })
    }

    /// The dependency whose values sit under a top-level key (`global` never:
    /// it is shared by the chart and all its subcharts).
    pub fn subchart(&self, key: &str) -> Option<&Dependency> {
        if key == "global" {
            return None;
        }
        self.dependencies.iter().find(|d| d.key == key)
    }
}

/// The last path segment of a chart reference or OCI address
/// (`oci://reg.example/charts/engine` → `engine`, `repo/engine` → `engine`),
/// without a tag or digest.
pub fn chart_from_ref(reference: &str) -> Option<String> {
    let last = reference.trim_end_matches('/').rsplit('/').next()?;
    let last = last.split(['@', ':']).next().unwrap_or(last);
    (!last.is_empty()).then(|| last.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_are_keyed_by_alias_or_name() {
        let info = ChartInfo::parse(
            "apiVersion: v2\nname: platform\ndependencies:\n  - name: cdrplatform-engine\n    alias: engine\n    repository: oci://glasswallhub.azurecr.io/charts\n  - name: redis\n    repository: https://charts.bitnami.com/bitnami\n",
        )
        .unwrap();
        assert_eq!(info.name, "platform");
        assert_eq!(info.subchart("engine").unwrap().name, "cdrplatform-engine");
        assert_eq!(info.subchart("redis").unwrap().key, "redis");
        assert!(info.subchart("cdrplatform-engine").is_none());
        assert!(info.subchart("global").is_none());
    }

    #[test]
    fn bad_or_nameless_charts_give_nothing() {
        assert!(ChartInfo::parse("version: 1.0.0\n").is_none());
        assert!(ChartInfo::parse("name: [\n").is_none());
        assert_eq!(ChartInfo::parse("name: \"x\"\n").unwrap().name, "x");
    }

    #[test]
    fn chart_names_from_references() {
        assert_eq!(
            chart_from_ref("oci://glasswallhub.azurecr.io/charts/cdrplatform-engine").as_deref(),
            Some("cdrplatform-engine")
        );
        assert_eq!(chart_from_ref("engine:1.2.3").as_deref(), Some("engine"));
        assert_eq!(chart_from_ref("").as_deref(), None);
    }
}
