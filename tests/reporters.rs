//! Reporters on a lint report with real findings (a temporary repository
//! with the test pack: vendor-owned settings, inline allowances and a waiver,
//! expired, invalid and unused allowances, a parse error in a file with an
//! awkward name): SARIF against our SARIF 2.1.0 subset schema, rules,
//! levels, regions, properties, suppressions and fingerprints that survive
//! moved lines; GitHub workflow commands; the Markdown summary with and
//! without GitHub's environment.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::{Value, json};
use support::json_schema;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CONFIG: &str = "vendor: acme-edge\ndeployment: self\npacks: [packs/acme.yaml]\nwaivers:\n  - paths: [\"talos/waived.yaml\"]\n    area: agent\n    reason: ACME approved the pinned agent\n    ref: CHG-9\n";

const CP: &str = "machine:
  network:
    hostname: edge-1
  install:
    extensions:
      # demarcate:allow agent ref=CHG-1 until=2999-12-31 -- approved by ACME
      - image: reg/acme-agent:v1
      - image: reg/acme-agent:v2 # demarcate:allow agent until=2001-01-01 -- expired approval
      - image: reg/acme-agent:v3 # demarcate:allow agent
    # demarcate:allow agent -- nothing here
    disk: /dev/sda
---
apiVersion: v1alpha1
kind: ExtensionServiceConfig
name: acme-agent
configFiles:
  - content: |
      endpoint: https://acme.example
      id: 7
    mountPath: /etc/acme/config.yaml
";

/// Two unused allowances with the same message: their fingerprints must still differ.
const WAIVED: &str = "# demarcate:allow network -- left over\nmachine:\n  install:\n    # demarcate:allow network -- left over\n    extensions:\n      - image: reg/acme-agent:v9\n";

/// The file name needs escaping in workflow commands and URIs.
const ODD: &str = "talos/50%,a:b.yaml";

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pack = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/acme-pack.yaml"),
    )
    .unwrap();
    write(dir.path(), "packs/acme.yaml", &pack);
    write(dir.path(), ".demarcate.yaml", CONFIG);
    write(dir.path(), "talos/cp.yaml", CP);
    write(dir.path(), "talos/waived.yaml", WAIVED);
    write(dir.path(), ODD, "machine:\n  network: [unclosed\n");
    dir
}

const GITHUB_VARS: [&str; 4] = [
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
    "GITHUB_SERVER_URL",
    "DEMARCATE_HEAD_SHA",
];

fn lint(dir: &Path, format: &str, env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = Command::cargo_bin("demarcate").unwrap();
    cmd.current_dir(dir).args(["lint", "--format", format]);
    for var in GITHUB_VARS {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn sarif(dir: &Path) -> Value {
    let (code, text) = lint(dir, "sarif", &[]);
    assert_eq!(code, 1, "errors in the report fail the run");
    serde_json::from_str(&text).unwrap()
}

fn schema() -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0-subset.schema.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

/// The result of a code at a file and line.
fn find<'a>(log: &'a Value, code: &str, file: &str, line: u64) -> &'a Value {
    results(log)
        .iter()
        .find(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            r["ruleId"] == code
                && loc["artifactLocation"]["uri"] == file
                && loc["region"]["startLine"] == line
        })
        .unwrap_or_else(|| panic!("no {code} at {file}:{line}"))
}

#[test]
fn sarif_is_valid_against_the_subset_schema() {
    let dir = repo();
    let log = sarif(dir.path());
    let errors = json_schema::validate(&schema(), &log);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
    assert_eq!(results(&log).len(), 13);
}

#[test]
fn the_schema_and_validator_reject_what_the_standard_forbids() {
    let dir = repo();
    let log = sarif(dir.path());
    let schema = schema();
    let broken: [(&str, Value); 7] = [
        ("/runs/0/results/0/level", json!("fatal")),
        (
            "/runs/0/results/0/locations/0/physicalLocation/region/startLine",
            json!(0),
        ),
        ("/runs/0/columnKind", json!("bytes")),
        ("/runs/0/results/1/suppressions/0/kind", json!("inline")),
        ("/runs/0/results/1/suppressions/0/status", json!("approved")),
        ("/runs/0/results/0/ruleIndex", json!(-2)),
        ("/version", json!("2.0.0")),
    ];
    for (pointer, value) in broken {
        let mut bad = log.clone();
        *bad.pointer_mut(pointer).unwrap() = value;
        assert!(
            !json_schema::validate(&schema, &bad).is_empty(),
            "{pointer} accepted"
        );
    }
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert_eq!(
        json_schema::validate(&schema, &bad),
        ["$.runs[0].results[0]: missing required property `message`"]
    );
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["rule_id"] = json!("x");
    assert_eq!(
        json_schema::validate(&schema, &bad),
        ["$.runs[0].results[0]: property `rule_id` is not allowed"]
    );
}

#[test]
fn sarif_has_one_rule_per_code_with_help() {
    let dir = repo();
    let log = sarif(dir.path());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let codes: Vec<&str> = demarcate::findings::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(ids, codes);
    for r in rules {
        for key in ["text", "markdown"] {
            assert!(r["help"][key].as_str().unwrap().len() > 40, "{r}");
        }
        let short = r["shortDescription"]["text"].as_str().unwrap();
        assert!(!short.is_empty() && !short.ends_with('.'), "{short}");
    }
    for res in results(&log) {
        let index = usize::try_from(res["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], res["ruleId"]);
    }
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
}

#[test]
fn sarif_levels_regions_and_properties() {
    let dir = repo();
    let log = sarif(dir.path());
    let note = find(&log, "vendor-owned-setting", "talos/cp.yaml", 8);
    assert_eq!(note["level"], "note");
    assert_eq!(
        note["locations"][0]["physicalLocation"]["region"],
        json!({"startLine": 8, "startColumn": 9, "endLine": 8, "endColumn": 33})
    );
    assert_eq!(
        note["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "machine.install.extensions[1].image"
    );
    let p = &note["properties"];
    assert_eq!(p["area"], "agent");
    assert_eq!(p["areaTitle"], "ACME agent");
    assert_eq!(p["owner"], "ACME");
    assert_eq!(p["responsible"], json!(["vendor"]));
    assert_eq!(p["consulted"], json!(["customer"]));
    // A block scalar spans lines: the region says so.
    let multi = find(&log, "vendor-owned-setting", "talos/cp.yaml", 17);
    assert_eq!(
        multi["locations"][0]["physicalLocation"]["region"],
        json!({"startLine": 17, "startColumn": 5, "endLine": 19, "endColumn": 12})
    );
    assert_eq!(
        find(&log, "allowance-expired", "talos/cp.yaml", 8)["level"],
        "error"
    );
    assert_eq!(
        find(&log, "allowance-unused", "talos/cp.yaml", 10)["level"],
        "warning"
    );
    // The URI is a valid relative reference: `%`, `,` and `:` are percent-encoded.
    let parse = find(&log, "parse-error", "talos/50%25%2Ca%3Ab.yaml", 3);
    assert_eq!(parse["level"], "error");
    assert_eq!(parse["properties"], json!({}));
}

#[test]
fn sarif_suppressions_for_allowed_findings() {
    let dir = repo();
    let log = sarif(dir.path());
    let inline = find(&log, "vendor-owned-setting", "talos/cp.yaml", 7);
    assert_eq!(
        inline["suppressions"],
        json!([{"kind": "inSource", "status": "accepted", "justification": "approved by ACME",
                "properties": {"by": "talos/cp.yaml:6", "ref": "CHG-1", "until": "2999-12-31"}}])
    );
    let waived = find(&log, "vendor-owned-setting", "talos/waived.yaml", 6);
    assert_eq!(
        waived["suppressions"],
        json!([{"kind": "external", "status": "accepted",
                "justification": "ACME approved the pinned agent",
                "properties": {"by": ".demarcate.yaml:5", "ref": "CHG-9", "until": null}}])
    );
    let unsuppressed = results(&log)
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .count();
    assert_eq!(unsuppressed, 11);
}

/// Fingerprint per (rule, setting or message), with the start line.
fn fingerprints(log: &Value) -> BTreeMap<String, (String, u64)> {
    results(log)
        .iter()
        .map(|r| {
            let loc = &r["locations"][0];
            let key = format!(
                "{} {} {} {}",
                r["ruleId"],
                loc["physicalLocation"]["artifactLocation"]["uri"],
                loc["logicalLocations"][0]["fullyQualifiedName"],
                r["message"]["text"]
            );
            (
                key,
                (
                    r["partialFingerprints"]["demarcate/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    loc["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn fingerprints_are_unique_and_survive_moved_lines() {
    let dir = repo();
    let before = fingerprints(&sarif(dir.path()));
    let unique: std::collections::BTreeSet<&String> = before.values().map(|(f, _)| f).collect();
    assert_eq!(unique.len(), before.len(), "{before:#?}");
    write(
        dir.path(),
        "talos/cp.yaml",
        &format!("# moved down\n# by three\n# lines\n{CP}"),
    );
    write(dir.path(), "talos/waived.yaml", &format!("\n\n{WAIVED}"));
    write(dir.path(), ODD, "\nmachine:\n  network: [unclosed\n");
    let after = fingerprints(&sarif(dir.path()));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (key, (fp, line)) in &before {
        let (fp_after, line_after) = &after[key];
        assert_eq!(fp, fp_after, "{key}");
        assert!(line_after > line, "{key} did not move");
    }
}

#[test]
fn github_annotations_escape_and_map_levels() {
    let dir = repo();
    let (code, text) = lint(dir.path(), "github", &[]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 12, "{text}");
    assert_eq!(
        lines[0],
        "::error file=talos/50%25%2Ca%3Ab.yaml,line=3,col=1,endColumn=1,endLine=3,title=demarcate parse-error::while parsing a flow sequence, expected ',' or ']'"
    );
    assert!(
        lines[1].starts_with("::notice file=talos/cp.yaml,line=8,col=9,endColumn=33,endLine=8,title=demarcate vendor-owned-setting%3A ACME agent (ACME)::`machine.install.extensions[1].image` is in \"ACME agent\""),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("::error file=talos/cp.yaml,line=8,col=36,"));
    assert!(lines[5].starts_with("::warning file=talos/cp.yaml,line=10,col=7,endColumn=44,endLine=10,title=demarcate allowance-unused::"));
    // A span over several lines has no columns.
    assert!(
        lines[7].starts_with("::notice file=talos/cp.yaml,line=17,endLine=19,title="),
        "{}",
        lines[7]
    );
    // Allowed findings are not annotated.
    assert!(!text.contains("line=7,") && !text.contains("waived.yaml,line=6"));
    assert!(lines[9].starts_with("::warning file=talos/waived.yaml,line=1,col=3,endColumn=39,"));
    assert_eq!(
        lines[11],
        "demarcate: 4 files, 23 settings: 3 errors, 3 warnings, 5 notes, 2 allowed"
    );
}

#[test]
fn markdown_links_follow_the_github_environment() {
    let dir = repo();
    let (code, plain) = lint(dir.path(), "markdown", &[]);
    assert_eq!(code, 1);
    assert!(plain.contains("- `talos/cp.yaml:8` **allowance-expired**: the allowance for `agent` expired on 2001-01-01"), "{plain}");
    assert!(!plain.contains("https://"), "{plain}");
    let env = [
        ("GITHUB_REPOSITORY", "acme/infra"),
        ("GITHUB_SHA", "0123abc"),
    ];
    let (_, linked) = lint(dir.path(), "markdown", &env);
    assert!(linked.contains("- [`talos/cp.yaml:8`](https://github.com/acme/infra/blob/0123abc/talos/cp.yaml#L8) **allowance-expired**"), "{linked}");
    assert!(
        linked.contains("(https://github.com/acme/infra/blob/0123abc/talos/50%25%2Ca%3Ab.yaml#L3)"),
        "{linked}"
    );
    // The pull request's head wins over the merge commit, and the server is configurable.
    let env = [
        ("GITHUB_REPOSITORY", "acme/infra"),
        ("GITHUB_SHA", "0123abc"),
        ("DEMARCATE_HEAD_SHA", "feedbee"),
        ("GITHUB_SERVER_URL", "https://ghe.example"),
    ];
    let (_, head) = lint(dir.path(), "markdown", &env);
    assert!(
        head.contains("(https://ghe.example/acme/infra/blob/feedbee/talos/cp.yaml#L8)"),
        "{head}"
    );
    // Only the repository without a commit: no links.
    let (_, half) = lint(
        dir.path(),
        "markdown",
        &[("GITHUB_REPOSITORY", "acme/infra")],
    );
    assert_eq!(half, plain);
}

#[test]
fn markdown_counts_by_party_and_severity() {
    let dir = repo();
    let (_, text) = lint(dir.path(), "markdown", &[]);
    assert!(text.starts_with("## demarcate\n\nModel: **acme-edge**, deployment **self**, options support=basic.\n\n❌ changes need attention: 3 errors, 3 warnings, 5 notes, 2 allowed (4 files, 23 settings).\n"), "{text}");
    assert!(text.contains("| responsible party | errors | warnings | notes | allowed |\n|---|---:|---:|---:|---:|\n| (no area) | 3 | 3 | 0 | 0 |\n| ACME | 0 | 0 | 5 | 2 |\n"), "{text}");
    assert!(
        text.contains("### What to do next\n\n- Run `demarcate explain FILE:LINE`"),
        "{text}"
    );
}
