//! Semantic diff of settings, on before/after texts parsed by the real
//! readers: what is a change (values, types, items) and what is not
//! (formatting, order of keys, comments, quoting).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use demarcate::diff::{self, Change, ChangeKind};
use demarcate::discover;
use demarcate::formats::FileHint;
use demarcate::limits::Limits;
use demarcate::scan;
use demarcate::setting::{Format, Setting, Value};

/// The settings of `text` read as the file `rel`.
fn parse(rel: &str, text: &str) -> Vec<Setting> {
    let name = rel.rsplit('/').next().unwrap();
    let kind = discover::kind_of(name).unwrap();
    let hint = FileHint {
        values: discover::is_values_name(name),
        chart: None,
        ..Default::default()
    };
    let file = scan::parse_bytes(
        &Arc::from(rel),
        kind,
        &hint,
        text.as_bytes().to_vec(),
        &Limits::default(),
    );
    assert!(file.problems.is_empty(), "{rel}: {:?}", file.problems);
    file.settings
}

fn changes(rel: &str, before: &str, after: &str) -> Vec<Change> {
    diff::diff(&parse(rel, before), &parse(rel, after))
}

/// `kind path` per change, with the path of the new setting (the base one if removed).
fn summary(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| {
            let kind = match c.kind {
                ChangeKind::Added => "added",
                ChangeKind::Modified => "modified",
                ChangeKind::Removed => "removed",
            };
            format!("{kind} {}", c.setting().unwrap().path)
        })
        .collect()
}

fn str_value(v: &str) -> Option<Value> {
    Some(Value::Str(v.to_string()))
}

#[test]
fn reformatting_changes_nothing() {
    let before = "image:\n  repository: nginx\n  tag: \"1.27\"\nports: [80, 443]\nenabled: true\nnote: plain text\n";
    let after = "image: {repository: 'nginx', tag: '1.27'}\nports:\n    - 80\n    - 443\nenabled:   true\nnote: \"plain text\"\n";
    assert_eq!(
        summary(&changes("values.yaml", before, after)),
        Vec::<String>::new()
    );
    let tf_before = "resource \"x\" \"y\" {\n  a = \"1\"\n  b = [1, 2]\n}\n";
    let tf_after =
        "resource \"x\" \"y\" {\n    a     = \"1\"\n    b = [\n      1,\n      2,\n    ]\n}\n";
    assert!(changes("main.tf", tf_before, tf_after).is_empty());
}

#[test]
fn reordering_keys_changes_nothing() {
    let before = "a: 1\nb:\n  c: x\n  d: y\n";
    let after = "b:\n  d: y\n  c: x\na: 1\n";
    assert!(changes("values.yaml", before, after).is_empty());
    let tf_before = "resource \"x\" \"y\" {\n  a = 1\n  b = 2\n}\nvariable \"v\" {}\n";
    let tf_after = "variable \"v\" {}\nresource \"x\" \"y\" {\n  b = 2\n  a = 1\n}\n";
    assert!(changes("main.tf", tf_before, tf_after).is_empty());
}

#[test]
fn comments_change_nothing() {
    let before = "# owned by STACKIT\na: 1 # one\n";
    let after = "# demarcate:allow x -- because\na: 1\n# trailing\n";
    assert!(changes("values.yaml", before, after).is_empty());
    let tf_before = "# c\nresource \"x\" \"y\" {\n  a = 1 // one\n}\n";
    let tf_after = "resource \"x\" \"y\" {\n  /* block */ a = 1\n}\n";
    assert!(changes("main.tf", tf_before, tf_after).is_empty());
}

#[test]
fn reordering_documents_changes_nothing() {
    let a =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\ndata: {x: \"1\"}\n";
    let b = "apiVersion: v1\nkind: Secret\nmetadata: {name: b, namespace: ns}\nstringData: {y: \"2\"}\n";
    let before = format!("{a}---\n{b}");
    let after = format!("{b}---\n{a}");
    assert!(changes("apps.yaml", &before, &after).is_empty());
}

const TALOS: &str = "\
version: v1alpha1
machine:
  type: controlplane
  certSANs:
    - a.example
    - b.example
  network:
    interfaces:
      - interface: eth0
        dhcp: true
  install:
    extensions:
      - image: ghcr.io/siderolabs/edgehostlet:v1.7.1
      - image: ghcr.io/siderolabs/iscsi-tools:v0.1.6
";

#[test]
fn an_interface_inserted_first_adds_only_its_settings() {
    let after = TALOS.replace(
        "      - interface: eth0\n",
        "      - interface: eth1\n        mtu: 9000\n      - interface: eth0\n",
    );
    let got = changes("controlplane.yaml", TALOS, &after);
    assert_eq!(
        summary(&got),
        vec![
            "added machine.network.interfaces[0].interface",
            "added machine.network.interfaces[0].mtu",
        ]
    );
    assert_eq!(
        got[0].after.as_ref().unwrap().value,
        Value::Str("eth1".into())
    );
    assert_eq!(got[0].span.start.line, 9);
}

#[test]
fn a_container_inserted_first_adds_only_its_settings() {
    let before = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  template:
    spec:
      containers:
        - name: app
          image: example/app:1.0
          env:
            - {name: A, value: \"1\"}
";
    let after = before.replace(
        "        - name: app\n",
        "        - name: sidecar\n          image: example/proxy:2.0\n        - name: app\n",
    );
    assert_eq!(
        summary(&changes("deploy.yaml", before, &after)),
        vec![
            "added Deployment/prod/web:spec.template.spec.containers[0].name",
            "added Deployment/prod/web:spec.template.spec.containers[0].image",
        ]
    );
    // A value changed in the item that moved is a modification of that item.
    let after2 = after.replace("value: \"1\"", "value: \"2\"");
    let got = changes("deploy.yaml", before, &after2);
    assert_eq!(
        summary(&got)[2],
        "modified Deployment/prod/web:spec.template.spec.containers[1].env[0].value"
    );
    assert_eq!(
        got[2].before.as_ref().unwrap().value,
        Value::Str("1".into())
    );
}

#[test]
fn an_extension_version_bump_is_a_modification() {
    let after = TALOS.replace("edgehostlet:v1.7.1", "edgehostlet:v1.8.0");
    let got = changes("controlplane.yaml", TALOS, &after);
    assert_eq!(
        summary(&got),
        vec!["modified machine.install.extensions[0].image"]
    );
    let c = &got[0];
    assert_eq!(
        c.before.as_ref().map(|s| s.value.clone()),
        str_value("ghcr.io/siderolabs/edgehostlet:v1.7.1")
    );
    assert_eq!(
        c.after.as_ref().map(|s| s.value.clone()),
        str_value("ghcr.io/siderolabs/edgehostlet:v1.8.0")
    );
    assert_eq!((c.span.start.line, c.span.start.col), (13, 9));
}

#[test]
fn a_removed_extension_is_located_at_the_list() {
    let after = TALOS.replace("      - image: ghcr.io/siderolabs/edgehostlet:v1.7.1\n", "");
    let got = changes("controlplane.yaml", TALOS, &after);
    assert_eq!(
        summary(&got),
        vec!["removed machine.install.extensions[0].image"]
    );
    let new = parse("controlplane.yaml", &after);
    let list = new
        .iter()
        .find(|s| s.path == "machine.install.extensions")
        .unwrap();
    assert_eq!(got[0].span, list.span);
    assert_eq!(got[0].after, None);
    // Without the list, the nearest survivor is `machine.install`.
    let after = TALOS.replace(
        "    extensions:\n      - image: ghcr.io/siderolabs/edgehostlet:v1.7.1\n      - image: ghcr.io/siderolabs/iscsi-tools:v0.1.6\n",
        "    disk: /dev/sda\n",
    );
    let got = changes("controlplane.yaml", TALOS, &after);
    assert_eq!(
        summary(&got),
        vec![
            "removed machine.install.extensions[0].image",
            "removed machine.install.extensions[1].image",
            "added machine.install.disk",
        ]
    );
    assert_eq!(got[0].span.start.line, 11);
}

#[test]
fn scalar_list_items_match_by_value() {
    let after = TALOS.replace("    - a.example\n", "    - c.example\n    - a.example\n");
    let got = changes("controlplane.yaml", TALOS, &after);
    assert_eq!(summary(&got), vec!["added machine.certSANs[0]"]);
    assert_eq!(
        got[0].after.as_ref().unwrap().value,
        Value::Str("c.example".into())
    );
    let after = TALOS.replace("    - a.example\n", "");
    let got = changes("controlplane.yaml", TALOS, &after);
    assert_eq!(summary(&got), vec!["removed machine.certSANs[0]"]);
    assert_eq!(got[0].span.start.line, 4, "located at the list");
    let tf_before =
        "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = [\"10.0.0.0/8\"]\n}\n";
    let tf_after = "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = [\"0.0.0.0/0\", \"10.0.0.0/8\"]\n}\n";
    assert_eq!(
        summary(&changes("main.tf", tf_before, tf_after)),
        vec!["added resource.aws_security_group_rule.r.cidr_blocks[0]"]
    );
}

#[test]
fn a_terraform_attribute_change_is_a_modification() {
    let before = "resource \"azurerm_kubernetes_cluster\" \"main\" {\n  default_node_pool {\n    vm_size = \"Standard_D2s_v3\"\n  }\n}\n";
    let after = before.replace("D2s_v3", "D4s_v3");
    let got = changes("main.tf", before, &after);
    assert_eq!(
        summary(&got),
        vec!["modified resource.azurerm_kubernetes_cluster.main.default_node_pool.vm_size"]
    );
    assert_eq!(got[0].span.start.line, 3);
    assert_eq!(got[0].after.as_ref().unwrap().format, Format::Terraform);
}

#[test]
fn reordered_helm_set_blocks_change_nothing() {
    let before = "resource \"helm_release\" \"halo\" {\n  chart = \"halo\"\n  set {\n    name  = \"a.b\"\n    value = \"1\"\n  }\n  set {\n    name  = \"c\"\n    value = \"2\"\n  }\n}\n";
    let after = "resource \"helm_release\" \"halo\" {\n  chart = \"halo\"\n  set {\n    name  = \"c\"\n    value = \"2\"\n  }\n  set {\n    value = \"1\"\n    name  = \"a.b\"\n  }\n}\n";
    assert!(changes("main.tf", before, after).is_empty());
    // A changed value is reported once, as the Helm setting it is.
    let after = after.replace("value = \"1\"", "value = \"9\"");
    let got = changes("main.tf", before, &after);
    assert_eq!(summary(&got), vec!["modified a.b"]);
    assert_eq!(got[0].after.as_ref().unwrap().format, Format::Helm);
    // A block inserted first adds only its value, not the shifted `set[N]` blocks.
    let after = before.replace(
        "  set {\n    name  = \"a.b\"",
        "  set {\n    name  = \"new\"\n    value = \"0\"\n  }\n  set {\n    name  = \"a.b\"",
    );
    let got = changes("main.tf", before, &after);
    assert_eq!(summary(&got), vec!["added new"]);
    assert_eq!(got[0].span.start.line, 3);
}

#[test]
fn reordered_named_repeated_blocks_change_nothing() {
    let before = "resource \"aws_elastic_beanstalk_environment\" \"e\" {\n  setting {\n    name  = \"InstanceType\"\n    value = \"t3.small\"\n  }\n  setting {\n    name  = \"MinSize\"\n    value = \"1\"\n  }\n}\n";
    let after = "resource \"aws_elastic_beanstalk_environment\" \"e\" {\n  setting {\n    name  = \"MinSize\"\n    value = \"1\"\n  }\n  setting {\n    name  = \"InstanceType\"\n    value = \"t3.large\"\n  }\n}\n";
    let got = changes("main.tf", before, after);
    assert_eq!(
        summary(&got),
        vec!["modified resource.aws_elastic_beanstalk_environment.e.setting[1].value"]
    );
    assert_eq!(
        got[0].before.as_ref().unwrap().path,
        "resource.aws_elastic_beanstalk_environment.e.setting[0].value"
    );
}

#[test]
fn a_second_terraform_block_keeps_the_first() {
    let before = "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port = 80\n  }\n  dynamic \"egress\" {\n    for_each = var.e\n  }\n}\n";
    let after = "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port = 80\n  }\n  ingress {\n    from_port = 443\n  }\n  dynamic \"ingress\" {\n    for_each = var.i\n  }\n  dynamic \"egress\" {\n    for_each = var.e\n  }\n}\n";
    assert_eq!(
        summary(&changes("main.tf", before, after)),
        vec![
            "added resource.aws_security_group.sg.ingress[1].from_port",
            "added resource.aws_security_group.sg.dynamic[0].ingress.for_each",
        ]
    );
    // And back: removing the second leaves the first unchanged.
    assert_eq!(
        summary(&changes("main.tf", after, before)),
        vec![
            "removed resource.aws_security_group.sg.ingress[1].from_port",
            "removed resource.aws_security_group.sg.dynamic[0].ingress.for_each",
        ]
    );
}

#[test]
fn a_deleted_file_removes_every_leaf_at_line_one() {
    let base = parse("controlplane.yaml", TALOS);
    let got = diff::diff(&base, &[]);
    let leaves = base.iter().filter(|s| !s.is_block()).count();
    assert_eq!(got.len(), leaves);
    for c in &got {
        assert_eq!(c.kind, ChangeKind::Removed);
        assert_eq!((c.span.start.line, c.span.start.col), (1, 1));
        assert!(!c.before.as_ref().unwrap().is_block());
    }
}

#[test]
fn an_added_file_adds_every_leaf_and_empty_block() {
    let new = parse("values.yaml", "a:\n  b: 1\n  c: {}\nd: []\n");
    let got = diff::diff(&[], &new);
    assert_eq!(summary(&got), vec!["added a.b", "added a.c", "added d"]);
    assert!(got.iter().all(|c| c.kind == ChangeKind::Added));
}

#[test]
fn a_type_change_is_a_modification() {
    let got = changes(
        "values.yaml",
        "enabled: true\nport: 80\n",
        "enabled: \"true\"\nport: \"80\"\n",
    );
    assert_eq!(summary(&got), vec!["modified enabled", "modified port"]);
    assert_eq!(got[0].before.as_ref().unwrap().value, Value::Bool(true));
    assert_eq!(
        got[0].after.as_ref().unwrap().value,
        Value::Str("true".into())
    );
}

#[test]
fn a_block_turning_into_a_scalar_is_reported_with_its_leaves() {
    let got = changes("values.yaml", "a:\n  x: 1\nb: 2\n", "a: 5\nb: 2\n");
    assert_eq!(summary(&got), vec!["modified a", "removed a.x"]);
    assert_eq!(got[0].before.as_ref().unwrap().value, Value::Map(1));
    assert_eq!(got[1].span, got[0].span, "located at `a`");
    let got = changes("values.yaml", "a: 5\n", "a:\n  x: 1\n");
    assert_eq!(summary(&got), vec!["modified a", "added a.x"]);
    // An empty block that becomes a list of another kind is reported too.
    let got = changes("values.yaml", "a: {}\n", "a: []\n");
    assert_eq!(summary(&got), vec!["modified a"]);
}

#[test]
fn growing_a_block_reports_only_the_new_leaves() {
    let got = changes("values.yaml", "a: {}\n", "a:\n  x: 1\n  y: {}\n");
    assert_eq!(summary(&got), vec!["added a.x", "added a.y"]);
}

#[test]
fn changes_inside_carried_documents_are_reported_in_their_format() {
    let before = "\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: halo, namespace: halo}
spec:
  chart: {spec: {chart: halo}}
  values:
    replicas: 1
    tls: {enabled: true}
";
    let after = before.replace("replicas: 1", "replicas: 3");
    let got = changes("release.yaml", before, &after);
    assert_eq!(summary(&got), vec!["modified replicas"]);
    assert_eq!(got[0].after.as_ref().unwrap().format, Format::Helm);
    // Removing the values: the leaves are located at the surviving `spec`.
    let after = before.replace("  values:\n    replicas: 1\n    tls: {enabled: true}\n", "");
    let got = changes("release.yaml", before, &after);
    assert_eq!(
        summary(&got),
        vec!["removed replicas", "removed tls.enabled"]
    );
    assert_eq!(got[0].span.start.line, 4);
}

#[test]
fn an_inline_manifest_inserted_first_keeps_the_others() {
    let manifest = |name: &str| {
        format!(
            "    - name: {name}\n      contents: |\n        apiVersion: v1\n        kind: ConfigMap\n        metadata: {{name: {name}, namespace: kube-system}}\n        data: {{a: \"1\"}}\n"
        )
    };
    let before = format!(
        "version: v1alpha1\ncluster:\n  inlineManifests:\n{}",
        manifest("cilium")
    );
    let after = format!(
        "version: v1alpha1\ncluster:\n  inlineManifests:\n{}{}",
        manifest("extra"),
        manifest("cilium")
    );
    let got = changes("controlplane.yaml", &before, &after);
    assert_eq!(
        summary(&got),
        vec![
            "added cluster.inlineManifests[0].name",
            "added cluster.inlineManifests[0].contents",
            "added ConfigMap/kube-system/extra:metadata.name",
            "added ConfigMap/kube-system/extra:metadata.namespace",
            "added ConfigMap/kube-system/extra:data.a",
        ]
    );
}

#[test]
fn items_with_a_shared_name_fall_back_to_the_next_field() {
    let before = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      volumeMounts:
        - {name: data, mountPath: /a}
        - {name: data, mountPath: /b, readOnly: true}
";
    let after = before.replace(
        "        - {name: data, mountPath: /a}\n",
        "        - {name: data, mountPath: /z}\n        - {name: data, mountPath: /a}\n",
    );
    let got = changes("pod.yaml", before, &after);
    assert_eq!(
        summary(&got),
        vec![
            "added Pod/p:spec.containers[0].volumeMounts[0].name",
            "added Pod/p:spec.containers[0].volumeMounts[0].mountPath",
        ]
    );
}

#[test]
fn items_without_a_natural_key_are_compared_by_index() {
    let before = "ports:\n  - {containerPort: 80}\n  - {containerPort: 443}\n";
    let after =
        "ports:\n  - {containerPort: 8080}\n  - {containerPort: 80}\n  - {containerPort: 443}\n";
    assert_eq!(
        summary(&changes("values.yaml", before, after)),
        vec![
            "modified ports[0].containerPort",
            "modified ports[1].containerPort",
            "added ports[2].containerPort"
        ]
    );
}

#[test]
fn settings_sharing_an_identity_pair_in_order() {
    // Two documents with the same kind and name: paired first with first.
    let doc = |v: &str| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: same}}\ndata: {{a: \"{v}\"}}\n")
    };
    let before = format!("{}---\n{}", doc("1"), doc("2"));
    let after = format!("{}---\n{}", doc("1"), doc("3"));
    let got = changes("cm.yaml", &before, &after);
    assert_eq!(summary(&got), vec!["modified ConfigMap/same:data.a"]);
    assert_eq!(got[0].span.start.line, 9);
}

#[test]
fn a_long_list_with_an_insert_costs_one_change() {
    let items: String = (0..5_000)
        .map(|i| format!("  - name: item{i}\n    v: {i}\n"))
        .collect();
    let before = format!("list:\n{items}");
    let after = format!("list:\n  - name: first\n    v: -1\n{items}");
    let got = changes("values.yaml", &before, &after);
    assert_eq!(summary(&got), vec!["added list[0].name", "added list[0].v"]);
    let scalars: String = (0..5_000).map(|i| format!("  - s{i}\n")).collect();
    let got = changes(
        "values.yaml",
        &format!("l:\n{scalars}"),
        &format!("l:\n  - new\n{scalars}"),
    );
    assert_eq!(summary(&got), vec!["added l[0]"]);
}

#[test]
fn a_removed_document_is_located_where_it_stood() {
    let keep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keep}\ndata: {a: \"1\"}\n";
    let gone = "apiVersion: v1\nkind: Secret\nmetadata: {name: gone}\nstringData: {b: \"2\"}\n";
    let last = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: last}\n";
    // The last document removed: at the end of what now ends the file.
    let got = changes("objs.yaml", &format!("{keep}---\n{gone}"), keep);
    assert_eq!(
        summary(&got),
        vec![
            "removed Secret/gone:metadata.name",
            "removed Secret/gone:stringData.b"
        ]
    );
    assert!(
        got.iter()
            .all(|c| (c.span.start.line, c.span.start.col) == (4, 15)),
        "{got:?}"
    );
    // A document removed between two others: at the start of the one that follows.
    let got = changes(
        "objs.yaml",
        &format!("{keep}---\n{gone}---\n{last}"),
        &format!("{keep}---\n{last}"),
    );
    assert_eq!(got.len(), 2);
    assert!(
        got.iter()
            .all(|c| (c.span.start.line, c.span.start.col) == (6, 1)),
        "{got:?}"
    );
    // Nothing left in the file: line 1.
    let got = changes("objs.yaml", gone, "");
    assert!(
        got.iter()
            .all(|c| (c.span.start.line, c.span.start.col) == (1, 1))
    );
}

#[test]
fn a_typed_talos_document_is_identified_by_kind_and_name() {
    let doc = |name: &str, v: &str| {
        format!(
            "apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: {name}\nenvironment:\n  - LOG_LEVEL={v}\n"
        )
    };
    let before = format!(
        "{}---\n{}",
        doc("edgehostlet", "info"),
        doc("other", "info")
    );
    let after = format!(
        "{}---\n{}",
        doc("other", "info"),
        doc("edgehostlet", "debug")
    );
    let got = changes("talos.yaml", &before, &after);
    assert_eq!(
        summary(&got),
        vec![
            "removed ExtensionServiceConfig/edgehostlet:environment[0]",
            "added ExtensionServiceConfig/edgehostlet:environment[0]",
        ]
    );
    // Removed at the surviving list, in the new file (second document).
    assert_eq!(got[0].span.start.line, 10);
}
