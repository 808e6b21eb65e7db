//! The action's `reviewers` output (`action/run.sh`): the `@` handles among
//! the contacts of unallowed error and warning findings, without the `@`,
//! comma-separated, in order; e-mail addresses, allowed findings and names
//! GitHub would not accept are left out (nothing else reaches GITHUB_OUTPUT).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;

use support::process::{clean, git, root, text, write};

const CONFIG: &str = "vendor: stackit-edge-cloud
deployment: edge-cloud
contacts:
  - who: [\"@acme/edge-liaison\", \"edge-support@stackit.example\"]
    area: edgehostlet
  - who: [\"@acme/platform\"]
    role: customer
  - who: [\"@acme/netops\", \"@evil\\nerrors=0\", \"@acme/edge-liaison\"]
    role: vendor
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

/// Runs the action's lint step on a repository whose last commit bumps the
/// EdgeHostLet and renames the edge instance; `edge` is the new edge.tf.
fn reviewers(edge: &str) -> (BTreeMap<String, String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, ".demarcate.yaml", CONFIG);
    write(d, "talos/controlplane.yaml", TALOS);
    write(d, "terraform/edge.tf", EDGE);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    let base = git(d, &["rev-parse", "HEAD"]);
    write(
        d,
        "talos/controlplane.yaml",
        &TALOS.replace("v1.7.1", "v1.8.0"),
    );
    write(d, "terraform/edge.tf", edge);
    git(d, &["commit", "-q", "-am", "change"]);
    let output = d.join("github-output");
    std::fs::write(&output, "").unwrap();
    let out = clean("bash", d)
        .arg(root().join("action/run.sh"))
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_WORKSPACE", d)
        .env("DEMARCATE_BIN", env!("CARGO_BIN_EXE_demarcate"))
        .env("INPUT_BASE", &base)
        .env("INPUT_FAIL_ON", "error")
        .env("INPUT_SARIF", "")
        .env("INPUT_SUMMARY", "false")
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    let lines = std::fs::read_to_string(&output).unwrap();
    let map = lines
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (map, lines)
}

#[test]
fn reviewers_are_the_handles_of_unallowed_error_and_warning_findings() {
    let (o, lines) = reviewers(&EDGE.replace("\"muc\"\n", "\"munich\"\n"));
    // The vendor-owned change (error): edge-liaison, then netops; the shared
    // change (warning) adds platform. E-mail addresses and a name with a
    // line break are left out.
    assert_eq!(
        o["reviewers"], "acme/edge-liaison,acme/netops,acme/platform",
        "{lines}"
    );
    assert_eq!(o["errors"], "1", "{lines}");
    assert!(!lines.contains("evil"), "{lines}");
    assert_eq!(
        lines.lines().filter(|l| l.starts_with("errors=")).count(),
        1,
        "{lines}"
    );
}

#[test]
fn allowed_findings_ask_nobody() {
    let allowed = "resource \"stackit_edgecloud_instance\" \"muc\" {
  display_name = \"munich\" # demarcate:allow edge-cloud ref=CHG-1 -- renamed with STACKIT
}
";
    let (o, lines) = reviewers(allowed);
    assert_eq!(o["reviewers"], "acme/edge-liaison,acme/netops", "{lines}");
}
