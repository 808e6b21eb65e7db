//! A temporary repository with the test pack (tests/data/acme-pack.yaml) whose
//! tree-mode lint has findings of every severity: vendor-owned settings (one
//! allowed inline, one by a waiver), expired, invalid and unused allowances,
//! and a parse error in a file whose name needs escaping. Its allowances
//! hold until fixed far dates, so its horizon is raised.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

pub use super::files::write;

pub const CONFIG: &str = "vendor: acme-edge\ndeployment: self\npacks: [packs/acme.yaml]\nwaivers:\n  - paths: [\"talos/waived.yaml\"]\n    area: agent\n    reason: ACME approved the pinned agent\n    ref: CHG-9\nallowances:\n  max_days: 1000000\n";

pub const CP: &str = "machine:
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

/// The waived file; two unused allowances with the same message: their fingerprints must still differ.
pub const WAIVED: &str = "# demarcate:allow network -- left over\nmachine:\n  install:\n    # demarcate:allow network -- left over\n    extensions:\n      - image: reg/acme-agent:v9\n";

/// The file name needs escaping in workflow commands and URIs.
pub const ODD: &str = "talos/50%,a:b.yaml";

pub fn repo() -> tempfile::TempDir {
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

pub const GITHUB_VARS: [&str; 4] = [
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
    "GITHUB_SERVER_URL",
    "DEMARCATE_HEAD_SHA",
];

pub fn lint(dir: &Path, format: &str, env: &[(&str, &str)]) -> (i32, String) {
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

pub fn sarif(dir: &Path) -> Value {
    let (code, text) = lint(dir, "sarif", &[]);
    assert_eq!(code, 1, "errors in the report fail the run");
    serde_json::from_str(&text).unwrap()
}

pub fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

/// The result of a code at a file and line.
pub fn find<'a>(log: &'a Value, code: &str, file: &str, line: u64) -> &'a Value {
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
