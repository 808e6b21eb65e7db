//! Rule packs: loading, every problem reported at once, the JSON Schema kept
//! in sync with the loader, specificity, and classification end to end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use demarcate::classify::Classifier;
use demarcate::formats::FileHint;
use demarcate::limits::Limits;
use demarcate::packs::{Role, load};
use demarcate::scan;
use serde_json::Value;

fn acme() -> demarcate::packs::Pack {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/acme-pack.yaml"),
    )
    .unwrap();
    load::load(&text, "acme-pack.yaml").unwrap_or_else(|p| panic!("{p:?}"))
}

#[test]
fn a_valid_pack_loads_with_cells_variants_and_owner_names() {
    let pack = acme();
    assert_eq!(pack.id, "acme-edge");
    assert_eq!(pack.areas.len(), 3);
    let host = pack.area("host-os").unwrap();
    let defaults = pack.options_with(&BTreeMap::new());
    let (raci, _) = host.resolve("managed", &defaults);
    assert_eq!(raci.responsible, vec![Role::Provider, Role::Customer]);
    assert_eq!(pack.owner_names(&raci.responsible), "CSP and Customer");
    let (raci, duties) = host.resolve(
        "self",
        &BTreeMap::from([("support".into(), "extended".into())]),
    );
    assert_eq!(raci.responsible, vec![Role::Vendor]);
    assert_eq!(duties[&Role::Vendor], vec!["Patches the host".to_string()]);
    let agent = pack.area("agent").unwrap();
    let (raci, _) = agent.resolve("self", &defaults);
    assert_eq!(raci.consulted, vec![Role::Customer]);
    assert_eq!(pack.rules.len(), 6);
}

#[test]
fn every_problem_is_reported_at_once_with_its_line() {
    let text = r#"vendor:
  id: Bad_Id
  name: X
  source: {title: t, version: "1"}
parties: {vendor: V, customer: C}
deployments:
  - {id: one, name: One}
  - {id: two, name: Two}
areas:
  - id: a
    title: A
    row: r
    responsibilty: {}
  - id: b
    title: B
    row: r
    responsibility:
      one: [vendor, auditor]
      three: [customer]
  - id: c
    title: C
    row: r
    responsibility:
      one: [provider]
      two: [customer]
matchers:
  - group: g
    source: s
    rules:
      - {area: missing, path: "x.**"}
      - {area: b, format: yaml}
      - {area: b, path: "a[x]"}
"#;
    let problems = load::load(text, "bad.yaml").unwrap_err();
    let lines: Vec<(u32, &str)> = problems
        .iter()
        .map(|p| (p.pos.line, p.message.as_str()))
        .collect();
    let has = |line: u32, needle: &str| {
        assert!(
            lines.iter().any(|(l, m)| *l == line && m.contains(needle)),
            "no `{needle}` at line {line}: {lines:#?}"
        )
    };
    has(2, "vendor id `Bad_Id`");
    has(
        13,
        "unknown key `responsibilty` in an area (did you mean `responsibility`?)",
    );
    has(10, "needs `responsibility`");
    has(18, "unknown role `auditor`");
    has(19, "unknown deployment `three`");
    has(18, "no responsibility for deployment `two`");
    has(24, "role `provider` has no display name");
    has(30, "unknown area `missing`");
    has(31, "unknown format `yaml`");
    has(32, "`[x]` is not an index");
    assert!(problems.iter().all(|p| p.file == "bad.yaml"));
    assert!(problems.len() >= 10);
}

#[test]
fn equally_specific_overlapping_rules_of_different_areas_are_refused() {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/acme-pack.yaml"),
    )
    .unwrap();
    let conflicting = format!(
        "{base}  - group: clash\n    source: s\n    rules:\n      - area: agent\n        format: talos\n        path: \"machine.*.**\"\n      - area: network\n        format: talos\n        path: \"*.network.**\"\n"
    );
    let problems = load::load(&conflicting, "clash.yaml").unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .message
            .contains("conflicts with the rule at line"),
        "{}",
        problems[0].message
    );
    // Same shapes for the same area are fine; disjoint formats are fine.
    let fine = format!(
        "{base}  - group: ok\n    source: s\n    rules:\n      - area: network\n        format: talos\n        path: \"machine.*.**\"\n      - area: network\n        format: talos\n        path: \"*.network.**\"\n      - area: agent\n        format: helm\n        path: \"machine.*.**\"\n"
    );
    assert!(load::load(&fine, "fine.yaml").is_ok());
}

#[test]
fn the_most_specific_rule_decides() {
    let pack = acme();
    let classifier = Classifier::new(&pack);
    let yaml = "machine:\n  network:\n    hostname: a\n  install:\n    extensions:\n      - image: reg/acme-agent:v1\n      - image: reg/other:v1\n  kubelet:\n    image: k\n---\napiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: acme-agent\nenvironment: [A=1]\n";
    let file = scan::parse_bytes(
        &Arc::from("t.yaml"),
        demarcate::formats::FileKind::Yaml,
        &FileHint::default(),
        yaml.as_bytes().to_vec(),
        &Limits::default(),
    );
    let area = |path: &str| {
        let s = file.settings.iter().find(|s| s.path == path).unwrap();
        classifier
            .classify(&s.view())
            .map(|m| pack.areas[m.area].id.as_str())
    };
    assert_eq!(area("machine.network.hostname"), Some("network"));
    assert_eq!(area("machine.kubelet.image"), Some("host-os"));
    // A value pattern beats a deeper path.
    assert_eq!(area("machine.install.extensions[0].image"), Some("agent"));
    assert_eq!(area("machine.install.extensions[1].image"), Some("host-os"));
    assert_eq!(
        area("ExtensionServiceConfig/acme-agent:environment[0]"),
        Some("agent")
    );
    let tf = "resource \"aws_security_group_rule\" \"r\" {\n  from_port = 22\n}\nresource \"aws_instance\" \"vm\" {\n  ami = \"ami-1\"\n  tags = {}\n}\n";
    let file = scan::parse_bytes(
        &Arc::from("m.tf"),
        demarcate::formats::FileKind::Terraform,
        &FileHint::default(),
        tf.as_bytes().to_vec(),
        &Limits::default(),
    );
    let area = |path: &str| {
        let s = file.settings.iter().find(|s| s.path == path).unwrap();
        classifier
            .classify(&s.view())
            .map(|m| pack.areas[m.area].id.as_str())
    };
    assert_eq!(
        area("resource.aws_security_group_rule.r.from_port"),
        Some("network")
    );
    assert_eq!(area("resource.aws_instance.vm.ami"), Some("host-os"));
    assert_eq!(area("resource.aws_instance.vm.tags"), None);
}

/// The `$defs` objects of rules/schema.json and the loader's key lists.
#[test]
fn schema_is_in_sync_with_the_loader() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/schema.json"))
            .unwrap(),
    )
    .unwrap();
    let defs = &schema["$defs"];
    let pairs: [(&str, &[&str]); 14] = [
        ("pack", load::ROOT_KEYS),
        ("vendor", load::VENDOR_KEYS),
        ("source", load::SOURCE_KEYS),
        ("parties", load::ROLE_KEYS),
        ("duties", load::ROLE_KEYS),
        ("deployment", load::DEPLOYMENT_KEYS),
        ("option", load::OPTION_KEYS),
        ("area", load::AREA_KEYS),
        ("raci", load::RACI_KEYS),
        ("variant", load::VARIANT_KEYS),
        ("group", load::GROUP_KEYS),
        ("rule", load::RULE_KEYS),
        ("example", demarcate::packs::examples::EXAMPLE_KEYS),
        ("expect", demarcate::packs::examples::EXPECT_KEYS),
    ];
    let mut objects_with_properties = 0;
    for (name, def) in defs.as_object().unwrap() {
        if def.get("properties").is_some() {
            objects_with_properties += 1;
            assert_eq!(
                def["additionalProperties"], false,
                "{name} must reject unknown keys"
            );
        }
    }
    assert_eq!(
        objects_with_properties,
        pairs.len(),
        "a schema object has no loader key list"
    );
    for (name, keys) in pairs {
        let mut schema_keys: Vec<&str> = defs[name]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut loader_keys = keys.to_vec();
        schema_keys.sort_unstable();
        loader_keys.sort_unstable();
        assert_eq!(schema_keys, loader_keys, "$defs/{name}");
    }
    let roles: Vec<&str> = defs["role"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>()
    );
    let formats: Vec<&str> = defs["rule"]["properties"]["format"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        formats,
        demarcate::setting::Format::ALL
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
    );
}

#[test]
fn built_in_packs_pass_every_check_including_rule_conflicts() {
    for (origin, text) in demarcate::packs::builtin::PACKS {
        if let Err(problems) = load::load(text, origin) {
            panic!("{origin}: {problems:#?}");
        }
    }
    let ids: Vec<String> = demarcate::packs::builtin::packs()
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(
        ids,
        vec![
            "glasswall-halo",
            "nexgen-cloud",
            "stackit-edge-cloud",
            "wso2-choreo"
        ]
    );
}

#[test]
fn glasswall_images_on_docker_hub_are_chart_configuration() {
    let packs = demarcate::packs::builtin::packs().unwrap();
    let pack = packs.iter().find(|p| p.id == "glasswall-halo").unwrap();
    let classifier = Classifier::new(pack);
    let yaml = "image:\n  repository: glasswallsolutions/icap-request-processing\n  tag: main-1a2b\nother:\n  repository: quay.io/coreos/kube-state-metrics\n";
    let file = scan::parse_bytes(
        &Arc::from("values.yaml"),
        demarcate::formats::FileKind::Yaml,
        &FileHint {
            values: true,
            chart: None,
            ..Default::default()
        },
        yaml.as_bytes().to_vec(),
        &Limits::default(),
    );
    let area = |path: &str| {
        let s = file.settings.iter().find(|s| s.path == path).unwrap();
        classifier
            .classify(&s.view())
            .map(|m| pack.areas[m.area].id.as_str())
    };
    // Where the chart pulls Glasswall's images from is chart configuration
    // (row 5), even without a known chart.
    assert_eq!(area("image.repository"), Some("helm-chart-configuration"));
    assert_eq!(area("other.repository"), None);
}
