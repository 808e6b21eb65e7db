//! `lint` without a base: vendor-owned settings as notes, inline allowances
//! and waivers (valid, invalid, expired, unused), severities, exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use support::files::write;

use assert_cmd::Command;
use serde_json::Value;

fn repo(extra_config: &str, talos: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pack = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/acme-pack.yaml"),
    )
    .unwrap();
    write(dir.path(), "packs/acme.yaml", &pack);
    write(
        dir.path(),
        ".demarcate.yaml",
        &format!("vendor: acme-edge\ndeployment: self\npacks: [packs/acme.yaml]\n{extra_config}"),
    );
    write(dir.path(), "talos/cp.yaml", talos);
    dir
}

fn lint(dir: &Path) -> (i32, Value) {
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(dir)
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

fn codes(json: &Value) -> Vec<(String, u64, bool)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                !f["allowed"].is_null(),
            )
        })
        .collect()
}

const TALOS: &str = "machine:\n  network:\n    hostname: edge-1\n  install:\n    extensions:\n      - image: reg/acme-agent:v1\n";

#[test]
fn vendor_owned_settings_are_notes_and_the_run_passes() {
    let dir = repo("", TALOS);
    let (code, json) = lint(dir.path());
    assert_eq!(code, 0);
    assert_eq!(
        codes(&json),
        vec![("vendor-owned-setting".to_string(), 6, false)]
    );
    let f = &json["findings"][0];
    assert_eq!(f["area"], "agent");
    assert_eq!(f["owner"], "ACME");
    assert_eq!(f["setting"], "machine.install.extensions[0].image");
    assert_eq!(json["vendor"], "acme-edge");
    assert_eq!(json["deployment"], "self");
    assert_eq!(json["options"]["support"], "basic");
    assert_eq!(json["summary"]["notes"], 1);
}

/// The first day of next year: within the default allowance horizon (366 days).
fn soon() -> String {
    let year: u32 = demarcate::allow::today()[..4].parse().unwrap();
    format!("{}-01-01", year + 1)
}

#[test]
fn inline_allowances_accept_expire_and_go_unused() {
    let soon = soon();
    let talos = &"machine:\n  network:\n    hostname: edge-1 # demarcate:allow network -- unused: network is not vendor-owned but is classified\n    # demarcate:allow agent -- nothing below is in the agent area\n    domain: x\n  install:\n    extensions:\n      # demarcate:allow agent ref=CHG-1 until=2999-12-31 -- approved by ACME\n      - image: reg/acme-agent:v1\n      - image: reg/acme-agent:v2 # demarcate:allow agent until=2001-01-01 -- expired approval\n      - image: reg/acme-agent:v3 # demarcate:allow agent\n      - image: reg/acme-agent:v4 # demarcate:allow nonsense -- typo\n"
        .replace("2999-12-31", &soon);
    let dir = repo("", talos);
    let (code, json) = lint(dir.path());
    assert_eq!(code, 1, "{json:#}");
    let got = codes(&json);
    let expect = [
        ("allowance-unused", 4, false),
        ("vendor-owned-setting", 9, true),
        ("vendor-owned-setting", 10, false),
        ("allowance-expired", 10, false),
        ("vendor-owned-setting", 11, false),
        ("allowance-invalid", 11, false),
        ("vendor-owned-setting", 12, false),
        ("allowance-invalid", 12, false),
    ];
    let expect: Vec<(String, u64, bool)> = expect
        .iter()
        .map(|(c, l, a)| (c.to_string(), *l, *a))
        .collect();
    assert_eq!(got, expect, "{json:#}");
    let allowed = &json["findings"][1]["allowed"];
    assert_eq!(allowed["by"], "talos/cp.yaml:8");
    assert_eq!(allowed["ref"], "CHG-1");
    assert_eq!(allowed["until"], soon.as_str());
    assert_eq!(allowed["reason"], "approved by ACME");
    assert!(
        json["findings"][5]["message"]
            .as_str()
            .unwrap()
            .contains("needs a reason")
    );
    assert!(
        json["findings"][7]["message"]
            .as_str()
            .unwrap()
            .contains("`nonsense` is neither an area")
    );
    assert_eq!(json["summary"]["allowed"], 1);
    assert_eq!(json["summary"]["errors"], 3);
    assert_eq!(json["summary"]["warnings"], 1);
}

#[test]
fn waivers_in_the_configuration() {
    let config = "waivers:\n  - paths: [\"talos/**\"]\n    settings: [\"machine.install.*\"]\n    area: agent\n    reason: agent pinned by ACME support\n    ref: SUP-7\n  - area: agent\n  - paths: [\"nowhere/**\"]\n    area: agent\n    reason: stale\n";
    let dir = repo(config, TALOS);
    let (code, json) = lint(dir.path());
    assert_eq!(code, 1, "{json:#}");
    let got = codes(&json);
    assert!(
        got.contains(&("vendor-owned-setting".to_string(), 6, true)),
        "{got:?}"
    );
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "vendor-owned-setting")
        .unwrap();
    assert_eq!(f["allowed"]["by"], ".demarcate.yaml:5");
    assert_eq!(f["allowed"]["ref"], "SUP-7");
    let invalid = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "allowance-invalid")
        .unwrap();
    assert_eq!(
        (invalid["file"].as_str(), invalid["line"].as_u64()),
        (Some(".demarcate.yaml"), Some(10))
    );
    let unused = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "allowance-unused")
        .unwrap();
    assert_eq!(unused["line"], 11);
}

#[test]
fn severities_are_configurable_and_fail_on_is_honoured() {
    let dir = repo("severity:\n  vendor-owned-setting: error\n", TALOS);
    let (code, json) = lint(dir.path());
    assert_eq!(code, 1);
    assert_eq!(json["findings"][0]["severity"], "error");
    let dir = repo("", TALOS);
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(dir.path())
        .args(["lint", "--fail-on", "note"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("talos/cp.yaml:6:9: note[vendor-owned-setting]"),
        "{text}"
    );
    assert!(
        text.contains("ACME: 0 errors, 0 warnings, 1 notes, 0 allowed"),
        "{text}"
    );
    // No colour codes when not on a terminal.
    assert!(!text.contains('\u{1b}'));
}
