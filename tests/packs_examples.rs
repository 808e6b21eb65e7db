//! The packs' own tests: every example of every built-in pack holds (so CI
//! runs them), a wrong expectation fails with the pack line, `packs test`
//! runs built-in and user packs, and the rows without an example are exactly
//! those with no configuration surface of their own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use demarcate::packs::{builtin, load};
use demarcate::packtest;

#[test]
fn every_example_of_the_built_in_packs_holds() {
    for pack in builtin::packs().unwrap() {
        assert!(!pack.examples.is_empty(), "{} has examples", pack.id);
        for r in packtest::run(&pack) {
            assert!(
                r.passed(),
                "{}:{} {} / {}: {:#?}",
                r.origin,
                r.line,
                r.group,
                r.name,
                r.failures
            );
            assert!(r.checked > 0);
        }
    }
}

const PACK: &str = r#"vendor: {id: acme, name: Acme, source: {title: t, version: "1"}}
parties: {vendor: Acme, customer: Customer}
deployments: [{id: managed, name: Managed}]
areas:
  - {id: engine, title: Engine, row: r1, responsibility: {managed: [vendor]}}
  - {id: apps, title: Apps, row: r2, responsibility: {managed: [customer]}}
matchers:
  - group: acme-chart
    source: acme docs
    rules:
      - {area: apps, format: helm}
      - {area: engine, format: helm, chart: "acme-*", path: "image.tag"}
    examples:
      - name: engine values
        file: values.yaml
        chart: acme-engine
        content: |
          image:
            tag: 1.2.3
          replicas: 2
        expect:
          - {setting: image.tag, area: ENGINE, responsible: {managed: [vendor]}}
          - {setting: replicas, area: apps, responsible: {managed: [vendor]}}
          - {setting: missing.key, area: apps}
"#;

#[test]
fn a_wrong_expectation_fails_with_its_line() {
    let pack = load::load(&PACK.replace("ENGINE", "engine"), "acme.yaml").unwrap();
    let results = packtest::run(&pack);
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r.checked, 3);
    let messages: Vec<(u32, &str)> = r
        .failures
        .iter()
        .map(|f| (f.line, f.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        vec![
            (
                23,
                "`replicas` (area apps) under managed: responsible expected vendor, got customer"
            ),
            (24, "no setting `missing.key` in the example"),
        ]
    );
}

/// The runner keeps the pack's text as written (the JSON carries it, serde
/// escapes it); only the terminal output escapes control characters.
#[test]
fn packs_test_escapes_in_the_reporter_only() {
    let pack_text = PACK.replace("ENGINE", "engine").replace(
        "{setting: missing.key,",
        "{setting: \"missing\\x1b[31m.key\",",
    );
    let pack = load::load(&pack_text, "acme.yaml").unwrap();
    let results = packtest::run(&pack);
    let raw = "no setting `missing\u{1b}[31m.key` in the example";
    assert_eq!(results[0].failures[1].message, raw);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme.yaml");
    std::fs::write(&file, &pack_text).unwrap();
    let run = |format: &str| {
        let out = Command::cargo_bin("demarcate")
            .unwrap()
            .args(["packs", "test", file.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let human = run("human");
    assert!(!human.contains('\u{1b}'), "{human:?}");
    assert!(human.contains("`missing\\u{1b}[31m.key`"), "{human}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["examples"][0]["failures"][1]["message"], raw);
}

#[test]
fn an_example_naming_an_unknown_area_is_a_pack_error() {
    let problems = load::load(PACK, "acme.yaml").unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.to_string().contains("unknown area `ENGINE`")),
        "{problems:?}"
    );
}

#[test]
fn packs_test_runs_built_in_and_user_packs() {
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .args(["packs", "test", "wso2-choreo"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("ok   rules/wso2-choreo.yaml:"), "{text}");
    assert!(text.contains(" 0 failed"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme.yaml");
    std::fs::write(&file, PACK.replace("ENGINE", "engine")).unwrap();
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .args(["packs", "test", file.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["failed"], 1);
    assert_eq!(json["examples"][0]["failures"][1]["line"], 24);

    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .args(["packs", "test", "no-such-pack"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rows_without_an_example_are_the_ones_without_a_surface_of_their_own() {
    let untested = |id: &str| -> Vec<String> {
        let packs = builtin::packs().unwrap();
        let pack = packs.iter().find(|p| p.id == id).unwrap();
        pack.areas
            .iter()
            .filter(|a| !pack.has_example(&a.id))
            .map(|a| a.id.clone())
            .collect()
    };
    // Documents and guidance, and the customer's business integrations.
    assert_eq!(
        untested("glasswall-halo"),
        [
            "technical-documentation",
            "application-logging",
            "deployment-documentation",
            "business-integration"
        ]
    );
    assert!(untested("stackit-edge-cloud").is_empty());
    assert!(untested("wso2-choreo").is_empty());
    // NexGen: practices, physical infrastructure, and the VM/container duties
    // whose settings the service-type table's rows judge.
    assert_eq!(
        untested("nexgen-cloud"),
        [
            "secure-development",
            "platform-patching",
            "platform-access-mfa",
            "customer-data-protection",
            "customer-patching",
            "customer-data-management",
            "customer-compliance",
            "customer-support-requests",
            "vm-infrastructure",
            "vm-hypervisor",
            "vm-guest-os",
            "vm-binaries",
            "vm-applications",
            "container-infrastructure",
            "container-host-os",
            "container-applications",
            "devices",
            "physical-servers",
            "physical-network",
            "physical-datacenter"
        ]
    );
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .args(["vendors", "glasswall-halo"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("rows without an example"), "{text}");
    assert!(text.contains("[business-integration]"), "{text}");
}
