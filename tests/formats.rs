//! Every setting of the per-format fixtures, with its key path and exact
//! span, checked by snapshot (reviewed) and, for the tricky cases, by table.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use demarcate::discover;
use demarcate::formats::FileHint;
use demarcate::limits::Limits;
use demarcate::scan::{self, FileScan};

fn read(rel: &str) -> FileScan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats")
        .join(rel);
    let bytes = std::fs::read(&path).unwrap();
    let name = rel.rsplit('/').next().unwrap();
    let kind = discover::kind_of(name).unwrap();
    let hint = FileHint {
        values: discover::is_values_name(name),
        chart: None,
        ..Default::default()
    };
    scan::parse_bytes(&Arc::from(rel), kind, &hint, bytes, &Limits::default())
}

/// One line per setting: `start-end format path = value`, then problems.
fn listing(rel: &str) -> String {
    let file = read(rel);
    let mut out = String::new();
    for s in &file.settings {
        let _ = writeln!(
            out,
            "{}:{}-{}:{} {} {} = {}",
            s.span.start.line,
            s.span.start.col,
            s.span.end.line,
            s.span.end.col,
            s.format,
            s.path,
            s.value.to_string().replace('\n', "\\n")
        );
    }
    for p in &file.problems {
        let _ = writeln!(
            out,
            "{}:{} {}: {}",
            p.span.start.line, p.span.start.col, p.code, p.message
        );
    }
    out
}

/// Start position of the first setting with this path.
fn at(file: &FileScan, path: &str) -> (u32, u32) {
    let s = file
        .settings
        .iter()
        .find(|s| s.path == path)
        .unwrap_or_else(|| panic!("no setting {path} in {}", file.rel));
    (s.span.start.line, s.span.start.col)
}

#[test]
fn helm_values_snapshot() {
    insta::assert_snapshot!("helm_values", listing("helm/values.yaml"));
}

#[test]
fn helm_crlf_and_bom_snapshots() {
    insta::assert_snapshot!("helm_values_crlf", listing("helm/values-crlf.yaml"));
    insta::assert_snapshot!("helm_values_bom", listing("helm/values-bom.yaml"));
}

#[test]
fn talos_snapshots() {
    insta::assert_snapshot!("talos_multidoc", listing("talos/multidoc.yaml"));
    insta::assert_snapshot!("talos_talconfig", listing("talos/talconfig.yaml"));
    insta::assert_snapshot!("talos_schematic", listing("talos/schematic.yaml"));
}

#[test]
fn kubernetes_snapshot() {
    insta::assert_snapshot!("kubernetes_apps", listing("kubernetes/apps.yaml"));
}

#[test]
fn terraform_snapshots() {
    insta::assert_snapshot!("terraform_main", listing("terraform/main.tf"));
    insta::assert_snapshot!("terraform_tfvars", listing("terraform/vars.tfvars"));
}

#[test]
fn tricky_positions_are_exact() {
    let values = read("helm/values.yaml");
    // Characters, not bytes: "été" before the value does not shift columns.
    assert_eq!(at(&values, "engine.note"), (14, 3));
    // Merge keys and aliases are located at their place of use.
    assert_eq!(at(&values, "engine.team"), (8, 3));
    assert_eq!(at(&values, "engine.resources.cpu"), (10, 14));
    assert_eq!(at(&values, "engine.sidecars[0].cpu"), (27, 7));
    // Explicit keys win over merged ones.
    let tier = values
        .settings
        .iter()
        .find(|s| s.path == "engine.tier")
        .unwrap();
    assert_eq!(tier.value.to_string(), "platinum");

    let bom = read("helm/values-bom.yaml");
    assert_eq!(at(&bom, "image"), (1, 1));
    assert_eq!(at(&bom, "image.région"), (3, 3));
    let crlf = read("helm/values-crlf.yaml");
    assert_eq!(at(&crlf, "global.registry"), (4, 3));
    let enabled = crlf
        .settings
        .iter()
        .find(|s| s.path == "global.tls.enabled")
        .unwrap();
    assert_eq!((enabled.span.end.line, enabled.span.end.col), (3, 18));

    let tf = read("terraform/main.tf");
    // A quoted YAML string in config_patches maps column by column.
    assert_eq!(at(&tf, "cluster.allowSchedulingOnControlPlanes"), (55, 64));
    // A heredoc maps line by line.
    assert_eq!(at(&tf, "agent.logLevel"), (85, 3));
    // yamlencode objects keep HCL positions.
    assert_eq!(
        at(&tf, "customization.systemExtensions.officialExtensions[0]"),
        (62, 31)
    );

    let argo = read("kubernetes/apps.yaml");
    // `values: |` block scalars map to their lines in the manifest.
    assert_eq!(at(&argo, "gateway.replicas"), (18, 11));
}

#[test]
fn embedded_documents_carry_chart_and_carrier() {
    let argo = read("kubernetes/apps.yaml");
    let s = argo
        .settings
        .iter()
        .find(|s| s.path == "agent.logLevel")
        .unwrap();
    assert_eq!(s.context.chart.as_deref(), Some("choreo-dataplane"));
    assert_eq!(s.context.release.as_deref(), Some("pdp"));
    assert_eq!(
        s.context.carrier.as_deref(),
        Some("Application/argocd/choreo-pdp:spec.source.helm.values")
    );
    let tf = read("terraform/main.tf");
    let s = tf
        .settings
        .iter()
        .find(|s| s.path == "agent.replicas")
        .unwrap();
    assert_eq!(s.context.chart.as_deref(), Some("choreo-dataplane"));
    assert_eq!(
        s.context.carrier.as_deref(),
        Some("resource.helm_release.agent")
    );
    let edge = tf
        .settings
        .iter()
        .find(|s| s.path == "EdgeImage/edge/img:spec.talosVersion")
        .unwrap();
    assert_eq!(edge.context.kind.as_deref(), Some("EdgeImage"));
}

#[test]
fn malformed_inputs_are_parse_errors_at_the_right_line() {
    let cases = [
        ("malformed/bad-indent.yaml", "parse-error", 5, 4),
        ("malformed/unclosed.tf", "parse-error", 5, 19),
        ("malformed/dupkey.yaml", "parse-error", 3, 3),
        ("malformed/values.yaml", "parse-error", 4, 1),
        ("malformed/bad-heredoc.tf", "parse-error", 5, 1),
        ("malformed/latin1.yaml", "file-skipped", 2, 4),
        ("malformed/blob.yaml", "file-skipped", 1, 1),
    ];
    for (rel, code, line, col) in cases {
        let file = read(rel);
        let p = file
            .problems
            .first()
            .unwrap_or_else(|| panic!("{rel}: no problem reported"));
        assert_eq!(
            (p.code.as_str(), p.span.start.line, p.span.start.col),
            (code, line, col),
            "{rel}: {}",
            p.message
        );
    }
    // The rest of a file with a bad embedded document is still read.
    let heredoc = read("malformed/bad-heredoc.tf");
    assert!(
        heredoc
            .settings
            .iter()
            .any(|s| s.path == "resource.helm_release.x.chart")
    );
    // A duplicate key keeps the last value.
    let dup = read("malformed/dupkey.yaml");
    assert_eq!(
        dup.settings
            .iter()
            .find(|s| s.path == "machine.type")
            .unwrap()
            .value
            .to_string(),
        "controlplane"
    );
}

#[test]
fn yaml_templates_are_read_with_their_syntax_masked() {
    let text = "---\nmachine:\n  type: {{ node.type }}\n  install:\n    image: \"factory.talos.dev/installer/{{ schematic }}:{{ version }}\"\n{% if extra %}\n  kubelet:\n    extraArgs:\n      max-pods: \"{{ pods }}\"\n{% endif %}\n";
    let file = scan::parse_bytes(
        &Arc::from("talos/cp.yaml.j2"),
        discover::kind_of("cp.yaml.j2").unwrap(),
        &FileHint::default(),
        text.as_bytes().to_vec(),
        &Limits::default(),
    );
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    assert_eq!(at(&file, "machine.type"), (3, 3));
    assert_eq!(at(&file, "machine.kubelet.extraArgs.max-pods"), (9, 7));
    let broken = scan::parse_bytes(
        &Arc::from("bad.yaml.j2"),
        discover::kind_of("bad.yaml.j2").unwrap(),
        &FileHint::default(),
        b"machine:\n  a: 1\n b: {{ x }}\n".to_vec(),
        &Limits::default(),
    );
    assert_eq!(broken.problems[0].code.as_str(), "file-skipped");
    assert!(broken.problems[0].message.contains("template"));
}
