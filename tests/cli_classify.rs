//! `classify` and tree-mode `lint` through the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::files::copy_fixture;

use assert_cmd::Command;
use serde_json::Value;

/// Copies a fixture folder into a fresh temporary repository root.
fn fixture_repo(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(name, dir.path());
    dir
}

fn demarcate() -> Command {
    Command::cargo_bin("demarcate").unwrap()
}

#[test]
fn classify_json_lists_every_setting_with_the_contract_fields() {
    let repo = fixture_repo("example");
    let out = demarcate()
        .current_dir(repo.path())
        .args(["classify", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let settings = json["settings"].as_array().unwrap();
    assert!(settings.len() > 200, "only {} settings", settings.len());
    for s in settings {
        for key in ["file", "setting", "format"] {
            assert!(s[key].is_string(), "{key} in {s}");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(s[key].as_u64().is_some_and(|n| n >= 1), "{key} in {s}");
        }
        assert!(s["value"].is_string() || s["value"].is_null());
        assert!(s["area"].is_null() || s["area"].is_string());
        for key in ["responsible", "accountable", "consulted", "informed"] {
            assert!(s[key].is_array(), "{key} in {s}");
        }
        assert!(!s["file"].as_str().unwrap().contains('\\'));
    }
    let find = |file: &str, path: &str| {
        settings
            .iter()
            .find(|s| s["file"] == file && s["setting"] == path)
            .unwrap_or_else(|| panic!("{file} {path} not listed"))
    };
    let ext = find(
        "talos/controlplane.yaml",
        "machine.install.extensions[0].image",
    );
    assert_eq!(
        (ext["line"].as_u64(), ext["column"].as_u64()),
        (Some(38), Some(9))
    );
    assert_eq!(ext["format"], "talos");
    assert_eq!(
        ext["value"],
        "registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.1"
    );
    let tls = find(
        "charts/cdrplatform-engine/values.yaml",
        "ingress.tls.enabled",
    );
    assert_eq!(tls["format"], "helm");
    assert_eq!(tls["value"], "true");
    assert_eq!(tls["context"]["chart"], "cdrplatform-engine");
    let set = find("terraform/halo.tf", "image.tag");
    assert_eq!(set["format"], "helm");
    assert_eq!(set["line"].as_u64(), Some(20));
    let pool = find(
        "kubernetes/edge/edgecluster.yaml",
        "EdgeCluster/edge-muc/muc:spec.talos.version",
    );
    assert_eq!(pool["format"], "kubernetes");
    // Chart templates are not values or manifests: they are not read.
    assert!(
        settings
            .iter()
            .all(|s| !s["file"].as_str().unwrap().contains("/templates/"))
    );
}

#[test]
fn classify_csv_and_human_list_the_same_settings() {
    let repo = fixture_repo("example");
    let json = demarcate()
        .current_dir(repo.path())
        .args(["classify", "--format", "json"])
        .output()
        .unwrap();
    let n = serde_json::from_slice::<Value>(&json.stdout).unwrap()["settings"]
        .as_array()
        .unwrap()
        .len();
    let csv = demarcate()
        .current_dir(repo.path())
        .args(["classify", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("file,line,column,format,setting,value,area"));
    // Records end at newlines outside quoted fields.
    let mut quoted = false;
    let records = csv
        .chars()
        .filter(|&c| {
            if c == '"' {
                quoted = !quoted;
            }
            c == '\n' && !quoted
        })
        .count();
    assert_eq!(records, n + 1);
    let human = demarcate()
        .current_dir(repo.path())
        .arg("classify")
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains(&format!("{n} settings in 11 files")),
        "{human}"
    );
}

#[test]
fn parse_errors_are_findings_and_the_rest_is_still_read() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join("values.yaml"), "image:\n  tag: [1, 2\n").unwrap();
    std::fs::write(
        repo.path().join("main.tf"),
        "resource \"a\" \"b\" {\n  x = 1\n}\n",
    )
    .unwrap();
    let out = demarcate()
        .current_dir(repo.path())
        .args(["classify", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["settings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["setting"] == "resource.a.b.x")
    );
    let problem = &json["problems"][0];
    assert_eq!(problem["code"], "parse-error");
    assert_eq!(problem["file"], "values.yaml");
    assert_eq!(problem["line"], 3);

    let lint = demarcate()
        .current_dir(repo.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&lint.stdout).unwrap();
    assert_eq!(json["tool"]["name"], "demarcate");
    assert_eq!(json["findings"][0]["code"], "parse-error");
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["summary"]["files"], 2);
}

#[test]
fn lint_of_a_clean_tree_exits_zero_and_bad_paths_exit_two() {
    let repo = fixture_repo("example");
    demarcate()
        .current_dir(repo.path())
        .arg("lint")
        .assert()
        .code(0);
    demarcate()
        .current_dir(repo.path())
        .args(["lint", "no/such/dir"])
        .assert()
        .code(2);
}

/// `classify --fail-on` counts a problem at the severity the configuration
/// gives its code, as `lint` does.
#[test]
fn classify_exit_status_follows_severity_overrides() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "a: [1, 2\n").unwrap();
    let status = |config: &str| {
        std::fs::write(dir.path().join(".demarcate.yaml"), config).unwrap();
        demarcate()
            .current_dir(dir.path())
            .args(["classify", "--fail-on", "error"])
            .output()
            .unwrap()
            .status
            .code()
    };
    let model = "vendor: stackit-edge-cloud\ndeployment: edge-cloud\n";
    assert_eq!(status(model), Some(1));
    assert_eq!(
        status(&format!("{model}severity:\n  parse-error: warning\n")),
        Some(0)
    );
}
