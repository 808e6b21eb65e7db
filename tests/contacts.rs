//! `contacts:` in `.demarcate.yaml`: every finding says whom to ask, in
//! every output (JSON, human, Markdown, SARIF, GitHub annotations), and a
//! malformed entry is a configuration error with its line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use serde_json::Value;
use support::process::{clean, git, text, write};

const CONFIG: &str = "vendor: stackit-edge-cloud
deployment: edge-cloud
contacts:
  - who: [\"@acme/edge-liaison\", \"edge-support@stackit.example\"]
    vendor: stackit-edge-cloud
    area: edgehostlet
    role: vendor
  - who: [\"@acme/platform\"]
    role: customer
  - who: [\"@acme/edge-liaison\", \"@acme/netops\"]
    vendor: stackit-edge-cloud
    role: vendor
  - who: \"@halo-team\"
    vendor: glasswall-halo
";

const TALOS: &str = "machine:
  install:
    extensions:
      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.1
";

const EDGE: &str = "resource \"stackit_edgecloud_instance\" \"muc\" {
  display_name = \"muc\"
}
";

/// A repository whose last commit bumps the EdgeHostLet (STACKIT's) and
/// renames the edge instance (STACKIT's and the customer's).
fn repo() -> tempfile::TempDir {
    repo_with(CONFIG)
}

/// As [`repo`], with `config` as the `.demarcate.yaml` of both commits.
fn repo_with(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, ".demarcate.yaml", config);
    write(d, "talos/controlplane.yaml", TALOS);
    write(d, "terraform/edge.tf", EDGE);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    write(
        d,
        "talos/controlplane.yaml",
        &TALOS.replace("v1.7.1", "v1.8.0"),
    );
    write(
        d,
        "terraform/edge.tf",
        &EDGE.replace("\"muc\"\n", "\"munich\"\n"),
    );
    git(d, &["commit", "-q", "-am", "change"]);
    dir
}

fn lint(dir: &Path, format: &str) -> String {
    let out = clean(env!("CARGO_BIN_EXE_demarcate"), dir)
        .args([
            "lint",
            "--base",
            "HEAD~1",
            "--format",
            format,
            "--fail-on",
            "never",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    String::from_utf8(out.stdout).unwrap()
}

const OWNED: [&str; 3] = [
    "@acme/edge-liaison",
    "edge-support@stackit.example",
    "@acme/netops",
];
const SHARED: [&str; 3] = ["@acme/platform", "@acme/edge-liaison", "@acme/netops"];

/// The first finding of `code` in a JSON report.
fn find_in(v: &Value, code: &str) -> Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no {code}: {v:#}"))
        .clone()
}

#[test]
fn json_findings_carry_the_matching_contacts_in_order() {
    let dir = repo();
    let v: Value = serde_json::from_str(&lint(dir.path(), "json")).unwrap();
    let find = |code: &str| find_in(&v, code);
    assert_eq!(
        find("vendor-owned-change")["contacts"],
        serde_json::json!(OWNED)
    );
    assert_eq!(find("shared-change")["contacts"], serde_json::json!(SHARED));
    // The base revision's configuration names the contacts: a change that
    // drops them from the work tree's `.demarcate.yaml` still asks them.
    let plain = "vendor: stackit-edge-cloud\ndeployment: edge-cloud\n";
    write(dir.path(), ".demarcate.yaml", plain);
    let v: Value = serde_json::from_str(&lint(dir.path(), "json")).unwrap();
    assert_eq!(
        find_in(&v, "vendor-owned-change")["contacts"],
        serde_json::json!(OWNED)
    );
    // Without `contacts:` every finding has an empty list.
    let dir = repo_with(plain);
    let v: Value = serde_json::from_str(&lint(dir.path(), "json")).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings
            .iter()
            .all(|f| f["contacts"] == serde_json::json!([]))
    );
}

#[test]
fn human_markdown_sarif_and_annotations_say_whom_to_ask() {
    let dir = repo();
    let human = lint(dir.path(), "human");
    assert!(
        human.contains(&format!("ask: {}", OWNED.join(", "))),
        "{human}"
    );
    assert!(
        human.contains(&format!("ask: {}", SHARED.join(", "))),
        "{human}"
    );

    let md = lint(dir.path(), "markdown");
    assert!(md.contains("| who to ask |"), "{md}");
    let row = md
        .lines()
        .find(|l| l.contains("machine.install.extensions[0].image"))
        .unwrap();
    assert!(
        row.contains("| `@acme/edge-liaison`, `edge-support@stackit.example`, `@acme/netops` |"),
        "{row}"
    );

    let sarif: Value = serde_json::from_str(&lint(dir.path(), "sarif")).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "vendor-owned-change")
        .unwrap();
    assert_eq!(result["properties"]["contacts"], serde_json::json!(OWNED));

    let gh = lint(dir.path(), "github");
    let annotation = gh.lines().find(|l| l.starts_with("::error ")).unwrap();
    assert!(
        annotation.ends_with(&format!("(ask: {})", OWNED.join(", "))),
        "{annotation}"
    );
}

#[test]
fn a_malformed_contact_is_a_configuration_error_with_its_line() {
    let dir = repo();
    write(
        dir.path(),
        ".demarcate.yaml",
        "vendor: stackit-edge-cloud\ndeployment: edge-cloud\ncontacts:\n  - who: [\"@a\"]\n    role: owner\n  - area: edgehostlet\n  - who: [\"@b\"]\n    team: x\n",
    );
    let out = clean(env!("CARGO_BIN_EXE_demarcate"), dir.path())
        .args(["lint"])
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(
        all.contains(".demarcate.yaml:5")
            && all.contains("role `owner` is not vendor, customer or provider"),
        "{all}"
    );
    assert!(
        all.contains(".demarcate.yaml:6") && all.contains("needs `who`"),
        "{all}"
    );
    assert!(all.contains("team"), "{all}");
}

#[test]
fn a_contact_for_an_unknown_vendor_or_area_is_a_configuration_error() {
    let dir = repo();
    write(
        dir.path(),
        ".demarcate.yaml",
        "vendor: stackit-edge-cloud\ndeployment: edge-cloud\ncontacts:\n  - who: [\"@a\"]\n    vendor: stackit\n  - who: [\"@b\"]\n    vendor: glasswall-halo\n    area: edgehostlet\n  - who: [\"@c\"]\n    area: edgehostlet\n",
    );
    let out = clean(env!("CARGO_BIN_EXE_demarcate"), dir.path())
        .args(["report", "--format", "json"])
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(
        all.contains(".demarcate.yaml:4:1: contact for unknown vendor `stackit`"),
        "{all}"
    );
    assert!(
        all.contains(".demarcate.yaml:6:1: contact for unknown area `edgehostlet`"),
        "{all}"
    );
    assert!(!all.contains(".demarcate.yaml:9"), "{all}");
}

#[test]
fn init_explains_contacts() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "talos/controlplane.yaml", TALOS);
    let out = clean(env!("CARGO_BIN_EXE_demarcate"), dir.path())
        .args(["init"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let config = std::fs::read_to_string(dir.path().join(".demarcate.yaml")).unwrap();
    assert!(
        config.contains("# contacts:\n#   - who: [\"@your-org/platform-team\"]"),
        "{config}"
    );
    // Uncommented, the example is a valid configuration.
    let uncommented: String = config
        .lines()
        .map(|l| {
            if l.starts_with("# contacts:") || l.starts_with("#   ") {
                l.trim_start_matches('#')
                    .strip_prefix(' ')
                    .unwrap_or(l)
                    .to_string()
            } else {
                l.to_string()
            }
        })
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let start = uncommented.find("contacts:").unwrap();
    let block: String = uncommented[start..]
        .lines()
        .take_while(|l| l.starts_with("contacts:") || l.starts_with("  "))
        .collect::<Vec<_>>()
        .join("\n");
    let head: String = config
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    write(dir.path(), ".demarcate.yaml", &format!("{head}\n{block}\n"));
    let out = clean(env!("CARGO_BIN_EXE_demarcate"), dir.path())
        .args(["lint", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
