//! What must hold on every OS the CI runs (Linux, macOS, Windows): files
//! with CRLF line ends (as a Windows checkout with `core.autocrlf` writes
//! them) are read with the same lines, columns and allowances; paths in
//! findings use `/` whatever the OS separator; `--base` finds the changes
//! of a folder given on the command line (git prints its top-level folder
//! as `C:/…` on Windows, the workspace paths are canonical `\\?\C:\…`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use serde_json::Value;
use support::process::{clean, git, text, write};

const CONFIG: &str = "vendor: stackit-edge-cloud\r\ndeployment: edge-cloud\r\n";

const TALOS: &str = "machine:\r
  install:\r
    extensions:\r
      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.1\r
";

const BUMPED: &str = "machine:\r
  install:\r
    extensions:\r
      # demarcate:allow edgehostlet ref=CHG-1 -- approved by STACKIT support\r
      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.8.0\r
      - image: registry.edge.stackit.cloud/extensions/other:v2\r
";

fn lint(dir: &Path, args: &[&str]) -> Value {
    let out = clean(env!("CARGO_BIN_EXE_demarcate"), dir)
        .arg("lint")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)))
}

#[test]
fn crlf_files_in_a_nested_folder_are_judged_with_slash_paths() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["config", "core.autocrlf", "false"]);
    write(repo, ".demarcate.yaml", CONFIG);
    write(repo, "sites/edge-1/talos/controlplane.yaml", TALOS);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "site"]);
    write(repo, "sites/edge-1/talos/controlplane.yaml", BUMPED);

    // The folder given as `sites/edge-1` (OS separators on the command line).
    let given = Path::new("sites").join("edge-1");
    let json = lint(repo, &["--base", "HEAD", given.to_str().unwrap()]);
    let findings = json["findings"].as_array().unwrap();
    let file = "sites/edge-1/talos/controlplane.yaml";
    // The changed EdgeHostLet image: line 5 (after the CRLF comment line),
    // accepted by the allowance on line 4 with its reason free of `\r`.
    let allowed = findings
        .iter()
        .find(|f| f["line"] == 5)
        .unwrap_or_else(|| panic!("no finding on line 5: {json}"));
    assert_eq!(allowed["file"], file);
    assert_eq!(allowed["code"], "vendor-owned-change");
    assert_eq!(allowed["column"], 9, "{allowed}");
    assert_eq!(
        allowed["end_column"], 73,
        "the `\\r` is not in the span: {allowed}"
    );
    assert_eq!(allowed["allowed"]["by"], format!("{file}:4"));
    assert_eq!(allowed["allowed"]["reason"], "approved by STACKIT support");
    // The added extension: not allowed, on line 6.
    let added = findings
        .iter()
        .find(|f| f["line"] == 6)
        .unwrap_or_else(|| panic!("no finding on line 6: {json}"));
    assert_eq!(added["file"], file);
    assert!(added["allowed"].is_null(), "{added}");
    assert!(
        findings
            .iter()
            .all(|f| !f["file"].as_str().unwrap_or("").contains('\\')),
        "{json}"
    );
}
