//! `lint --format sarif` checked by Microsoft's SARIF Multitool, the official
//! validator (schema, the standard's rules, GitHub's ingestion rules), in
//! tree mode and in `--base` mode, on repositories whose findings cover the
//! codes, allowances (in source and waivers), contacts, multi-line regions
//! and a file name that needs percent-encoding. Any error-level result
//! fails. Skipped with a reason when the Multitool is not installed, unless
//! DEMARCATE_REQUIRE_SARIF_MULTITOOL=1 (.ci/run).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::multitool;
use support::showcase::{self, Mode};

/// Writes `text` to a `.sarif` file in `dir`.
fn save(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The rule ids of a log's results, and whether any result lists contacts.
fn codes(log: &Value) -> (BTreeSet<String>, bool) {
    let results = log["runs"][0]["results"].as_array().unwrap();
    let codes = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap().to_string())
        .collect();
    let contacts = results.iter().any(|r| {
        r["properties"]["contacts"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    });
    (codes, contacts)
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| (*c).to_string()).collect()
}

#[test]
fn tree_mode_sarif_is_valid() {
    let repo = showcase::repo();
    let out = showcase::lint(&repo, Mode::Tree, "sarif");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The log holds what this test claims to validate.
    assert_eq!(
        codes(&log),
        (
            set(&[
                "allowance-expired",
                "allowance-invalid",
                "allowance-unused",
                "parse-error",
                "vendor-owned-setting",
            ]),
            true
        )
    );
    let kinds: BTreeSet<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["suppressions"][0]["kind"].as_str())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["external", "inSource"]));
    let dir = tempfile::tempdir().unwrap();
    multitool::check(&save(dir.path(), "tree.sarif", &out.stdout));
}

#[test]
fn base_mode_sarif_is_valid() {
    let repo = showcase::repo();
    let out = showcase::lint(&repo, Mode::Base, "sarif");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        codes(&log),
        (
            set(&[
                "allowance-expired",
                "allowance-invalid",
                "allowance-unused",
                "config-change",
                "parse-error",
                "provider-owned-change",
                "shared-change",
                "unclassified-change",
                "vendor-owned-change",
            ]),
            true
        )
    );
    let dir = tempfile::tempdir().unwrap();
    multitool::check(&save(dir.path(), "base.sarif", &out.stdout));
}

/// The report of tests/support/acme.rs: a block scalar's multi-line region,
/// an escaped file name (`%`, `,`, `:`) in the URI, a waiver.
#[test]
fn sarif_with_an_escaped_file_name_is_valid() {
    let dir = support::acme::repo();
    let (_, text) = support::acme::lint(dir.path(), "sarif", &[]);
    let log: Value = serde_json::from_str(&text).unwrap();
    assert!(log["runs"][0]["results"].as_array().unwrap().iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "talos/50%25%2Ca%3Ab.yaml"
    ));
    let out = tempfile::tempdir().unwrap();
    multitool::check(&save(out.path(), "acme.sarif", text.as_bytes()));
}

/// File names with spaces, `#`, `?`, `%`, brackets, a tab, a backslash,
/// non-ASCII letters and a bidi control: every URI must be a valid relative
/// reference (SARIF1002 otherwise). Unix only: Windows refuses some of them.
#[cfg(unix)]
#[test]
fn sarif_with_unusual_file_names_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let pack = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/acme-pack.yaml"),
    )
    .unwrap();
    support::files::write(dir.path(), "packs/acme.yaml", &pack);
    support::files::write(
        dir.path(),
        ".demarcate.yaml",
        "vendor: acme-edge\ndeployment: managed\npacks: [packs/acme.yaml]\n",
    );
    let names = [
        "with space #1?.yaml",
        "ünïcode [x] {y}.yaml",
        "tab\tand \\back.yaml",
        "pct%41 & <a>.yaml",
        "bidi\u{202e}lmx.yaml",
    ];
    for name in names {
        support::files::write(
            dir.path(),
            &format!("talos/{name}"),
            "machine:\n  install:\n    extensions:\n      - image: reg/acme-agent:v1\n",
        );
    }
    let (_, text) = support::acme::lint(dir.path(), "sarif", &[]);
    let log: Value = serde_json::from_str(&text).unwrap();
    let uris: BTreeSet<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris.len(), names.len(), "{uris:?}");
    let out = tempfile::tempdir().unwrap();
    multitool::check(&save(out.path(), "names.sarif", text.as_bytes()));
}

/// The validator is really run and read: a region starting on line 0 is an
/// error it reports, and a level SARIF does not know (which the Multitool
/// drops without a word) is caught by requiring it to say something.
#[test]
fn the_multitool_rejects_broken_sarif() {
    let Some(tool) = multitool::tool() else {
        return;
    };
    let repo = showcase::repo();
    let out = showcase::lint(&repo, Mode::Base, "sarif");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();

    let mut bad = log.clone();
    *bad.pointer_mut("/runs/0/results/0/locations/0/physicalLocation/region/startLine")
        .unwrap() = json!(0);
    let path = save(
        dir.path(),
        "line0.sarif",
        &serde_json::to_vec(&bad).unwrap(),
    );
    let problems = multitool::validate(&tool, &path).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.level == "error" && p.text.contains("startLine")),
        "{problems:#?}"
    );

    let mut bad = log;
    *bad.pointer_mut("/runs/0/results/0/level").unwrap() = json!("fatal");
    let path = save(
        dir.path(),
        "fatal.sarif",
        &serde_json::to_vec(&bad).unwrap(),
    );
    let refused = multitool::validate(&tool, &path);
    assert!(
        refused.is_err(),
        "a log with level `fatal` passed: {refused:?}"
    );
}
