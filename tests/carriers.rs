//! The documents each kind of Kubernetes object carries (`kubernetes`'s
//! table of carriers): every row is read into its own format, with the
//! carrier's key path, and the chart and release of carried Helm values.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use demarcate::formats::{FileHint, FileKind};
use demarcate::limits::Limits;
use demarcate::scan::{self, FileScan};
use demarcate::setting::{Format, Setting};

const MANIFESTS: &str = r#"apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: apps}
spec:
  releaseName: pi
  chart: {spec: {chart: podinfo}}
  values: {replicaCount: 2}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: app1}
spec:
  source:
    chart: nginx
    helm:
      releaseName: web
      valuesObject: {objectKey: 1}
      values: "textKey: 2"
      parameters: [{name: param.key, value: "3"}]
  sources:
    - path: charts/mine/
      helm: {values: "fromPath: 1"}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: set1}
spec:
  template:
    spec:
      source:
        path: deploy/thing
        helm: {valuesObject: {setKey: v}}
---
apiVersion: helm.cattle.io/v1
kind: HelmChart
metadata: {name: traefik, namespace: kube-system}
spec:
  chart: traefik
  valuesContent: "contentKey: 1"
  set: {set.key: "true"}
---
apiVersion: edge.stackit.cloud/v1alpha1
kind: EdgeImage
metadata: {name: img}
spec:
  schematic: |
    customization:
      extraKernelArgs: [console=ttyS0]
---
apiVersion: controlplane.cluster.x-k8s.io/v1alpha3
kind: TalosControlPlane
metadata: {name: cp}
spec:
  controlPlaneConfig:
    controlplane:
      configPatches: [{op: add, path: /machine/install/disk, value: /dev/sda}]
---
apiVersion: bootstrap.cluster.x-k8s.io/v1alpha3
kind: TalosConfigTemplate
metadata: {name: workers}
spec:
  template:
    spec:
      configPatches: [{op: add, path: /machine/kubelet/image, value: x}]
---
apiVersion: bootstrap.cluster.x-k8s.io/v1alpha3
kind: TalosConfig
metadata: {name: one}
spec:
  configPatches: [{op: add, path: /machine/network/hostname, value: w1}]
---
apiVersion: example.com/v1
kind: HelmRelease
metadata: {name: other}
spec: {values: {notCarried: 1}}
"#;

/// A setting's path, its format, its carrier, and the chart and release it belongs to.
type Case = (
    &'static str,
    Format,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

fn scan() -> FileScan {
    scan::parse_bytes(
        &Arc::from("carriers.yaml"),
        FileKind::Yaml,
        &FileHint::default(),
        MANIFESTS.as_bytes().to_vec(),
        &Limits::default(),
    )
}

fn setting<'a>(file: &'a FileScan, path: &str) -> &'a Setting {
    file.settings
        .iter()
        .find(|s| s.path == path)
        .unwrap_or_else(|| panic!("no setting {path}"))
}

#[test]
fn every_carrier_is_read_with_its_chart_release_and_place() {
    let file = scan();
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let cases: &[Case] = &[
        (
            "replicaCount",
            Format::Helm,
            "HelmRelease/apps/podinfo:spec.values",
            Some("podinfo"),
            Some("pi"),
        ),
        (
            "objectKey",
            Format::Helm,
            "Application/app1:spec.source.helm.valuesObject",
            Some("nginx"),
            Some("web"),
        ),
        (
            "textKey",
            Format::Helm,
            "Application/app1:spec.source.helm.values",
            Some("nginx"),
            Some("web"),
        ),
        (
            "param.key",
            Format::Helm,
            "Application/app1:spec.source.helm.parameters",
            Some("nginx"),
            Some("web"),
        ),
        (
            "fromPath",
            Format::Helm,
            "Application/app1:spec.sources[0].helm.values",
            Some("mine"),
            Some("app1"),
        ),
        (
            "setKey",
            Format::Helm,
            "ApplicationSet/set1:spec.template.spec.source.helm.valuesObject",
            Some("thing"),
            Some("set1"),
        ),
        (
            "contentKey",
            Format::Helm,
            "HelmChart/kube-system/traefik:spec.valuesContent",
            Some("traefik"),
            Some("traefik"),
        ),
        (
            "set.key",
            Format::Helm,
            "HelmChart/kube-system/traefik:spec.set",
            Some("traefik"),
            Some("traefik"),
        ),
        (
            "customization.extraKernelArgs[0]",
            Format::Talos,
            "EdgeImage/img:spec.schematic",
            None,
            None,
        ),
        (
            "machine.install.disk",
            Format::Talos,
            "TalosControlPlane/cp:spec.controlPlaneConfig.controlplane.configPatches",
            None,
            None,
        ),
        (
            "machine.kubelet.image",
            Format::Talos,
            "TalosConfigTemplate/workers:spec.template.spec.configPatches",
            None,
            None,
        ),
        (
            "machine.network.hostname",
            Format::Talos,
            "TalosConfig/one:spec.configPatches",
            None,
            None,
        ),
    ];
    for (path, format, carrier, chart, release) in cases {
        let s = setting(&file, path);
        assert_eq!(s.format, *format, "{path}");
        assert_eq!(s.context.carrier.as_deref(), Some(*carrier), "{path}");
        assert_eq!(s.context.chart.as_deref(), *chart, "{path}");
        assert_eq!(s.context.release.as_deref(), *release, "{path}");
    }
}

#[test]
fn an_object_of_another_group_carries_nothing() {
    let file = scan();
    assert!(file.settings.iter().all(|s| s.path != "notCarried"));
    let s = setting(&file, "HelmRelease/other:spec.values.notCarried");
    assert_eq!(s.format, Format::Kubernetes);
}
