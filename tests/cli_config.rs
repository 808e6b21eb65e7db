//! `.demarcate.yaml`, extra packs, scopes and `explain` through the binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use support::files::write;

use assert_cmd::Command;
use serde_json::Value;

fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pack = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/acme-pack.yaml"),
    )
    .unwrap();
    write(dir.path(), "acme-pack.yaml", &pack);
    write(dir.path(), ".demarcate.yaml", config);
    let talos = "machine:\n  network:\n    hostname: edge-1\n  install:\n    extensions:\n      - image: reg/acme-agent:v1\n";
    write(dir.path(), "talos/cp.yaml", talos);
    write(dir.path(), "legacy/cp.yaml", talos);
    dir
}

const CONFIG: &str = "vendor: acme-edge\ndeployment: self\npacks: [acme-pack.yaml]\nscopes:\n  - paths: [\"legacy/**\"]\n    vendor: acme-edge\n    deployment: managed\n";

fn classify(dir: &Path, extra: &[&str]) -> (Option<i32>, Value, String) {
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(dir)
        .args(["classify", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn find<'a>(json: &'a Value, file: &str, path: &str) -> &'a Value {
    json["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"] == file && s["setting"] == path)
        .unwrap()
}

#[test]
fn scopes_pick_the_model_per_path() {
    let dir = repo(CONFIG);
    let (code, json, err) = classify(dir.path(), &[]);
    assert_eq!(code, Some(0), "{err}");
    let own = find(&json, "talos/cp.yaml", "machine.network.hostname");
    assert_eq!(own["area"], "network");
    assert_eq!(own["area_title"], "Network");
    assert_eq!(own["owner"], "Customer");
    let legacy = find(&json, "legacy/cp.yaml", "machine.network.hostname");
    assert_eq!(legacy["owner"], "ACME and Customer");
    assert_eq!(
        legacy["responsible"],
        serde_json::json!(["vendor", "customer"])
    );
    let agent = find(
        &json,
        "talos/cp.yaml",
        "machine.install.extensions[0].image",
    );
    assert_eq!(agent["area"], "agent");
    assert_eq!(agent["consulted"], serde_json::json!(["customer"]));
}

#[test]
fn command_line_model_overrides_the_configuration() {
    let dir = repo(CONFIG);
    let (code, json, err) = classify(
        dir.path(),
        &["--deployment", "managed", "--option", "support=extended"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        find(&json, "talos/cp.yaml", "machine.network.hostname")["owner"],
        "ACME and Customer"
    );
    let (code, _, err) = classify(dir.path(), &["--vendor", "nobody"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown vendor `nobody`"), "{err}");
    let (code, _, err) = classify(dir.path(), &["--option", "support=gold"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("option `support` cannot be `gold`"), "{err}");
}

#[test]
fn configuration_problems_exit_two_with_every_line() {
    let dir = repo(
        "vendor: acme-edge\ndeploymnt: self\npacks: [acme-pack.yaml]\nscopes:\n  - paths: [a]\n    vendr: x\n",
    );
    let (code, _, err) = classify(dir.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(".demarcate.yaml:2:1: unknown key `deploymnt`"),
        "{err}"
    );
    assert!(err.contains("(did you mean `deployment`?)"), "{err}");
    assert!(
        err.contains(".demarcate.yaml:6:5: unknown key `vendr`"),
        "{err}"
    );
}

#[test]
fn explain_shows_area_raci_duties_and_the_deciding_rule() {
    let dir = repo(CONFIG);
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(dir.path())
        .args(["explain", "talos/cp.yaml:6"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("machine.install.extensions[0].image"),
        "{text}"
    );
    assert!(
        text.contains("area: ACME agent [agent] — owner: ACME"),
        "{text}"
    );
    assert!(text.contains("RACI: responsible [vendor], accountable [vendor], consulted [customer], informed [customer]"), "{text}");
    assert!(
        text.contains("duty of ACME (responsible, accountable): Ships the agent"),
        "{text}"
    );
    assert!(text.contains("decided by: acme-pack.yaml:61"), "{text}");
    let json = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(dir.path())
        .args(["explain", "talos/cp.yaml:3", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["settings"][0]["setting"], "machine.network.hostname");
    assert_eq!(json["settings"][0]["area"]["id"], "network");
    let code = Command::cargo_bin("demarcate")
        .unwrap()
        .args(["explain", "--code", "vendor-owned-change"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(code.stdout)
            .unwrap()
            .contains("default severity: error")
    );
}
