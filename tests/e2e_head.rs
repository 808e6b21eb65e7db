//! End to end: `lint --base REV --head REV2` compares two commits without
//! reading the work tree or the index (the pull request's head in the
//! GitHub Action), in temporary git repositories.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::files::copy_fixture;
use support::gitrepo::{GitRepo, with_code};

const TALOS: &str = "talos/controlplane.yaml";
const EXT_OLD: &str = "edgehostlet:v1.7.1";

/// The example platform committed on `main`, and a branch `pr` whose commit
/// bumps the EdgeHostLet (vendor-owned); `main` is checked out again.
fn repo_with_pr() -> GitRepo {
    let repo = GitRepo::new();
    copy_fixture("example", &repo.root);
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v1.8.0");
    repo.commit("bump the EdgeHostLet");
    repo.git(&["checkout", "-q", "main"]);
    repo
}

fn settings(json: &serde_json::Value, code: &str) -> Vec<String> {
    with_code(json, code)
        .iter()
        .map(|f| format!("{}:{}", f["file"].as_str().unwrap(), f["setting"]))
        .collect()
}

#[test]
fn a_change_on_a_branch_is_found_while_another_commit_is_checked_out() {
    let repo = repo_with_pr();
    // The work tree is at `main`: without --head there is nothing to report.
    let (code, json) = repo.lint_json(&["--base", "main"]);
    assert_eq!(code, 0, "{json:#}");
    assert!(with_code(&json, "vendor-owned-change").is_empty());
    let (code, json) = repo.lint_json(&["--base", "main", "--head", "pr"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(
        settings(&json, "vendor-owned-change"),
        vec![format!("{TALOS}:\"machine.install.extensions[0].image\"")]
    );
    let f = with_code(&json, "vendor-owned-change")[0];
    assert_eq!(f["line"], 38);
    assert_eq!(
        f["after"],
        "registry.edge.stackit.cloud/extensions/edgehostlet:v1.8.0"
    );
    // The snippet comes from the head commit's text, not from the work tree.
    let out = repo.run(&["lint", "--base", "main", "--head", "pr"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("edgehostlet:v1.8.0"), "{text}");
}

#[test]
fn the_work_tree_and_the_index_are_never_read() {
    let repo = repo_with_pr();
    repo.git(&["checkout", "-q", "pr"]);
    // Dirty, vendor-owned edits in the work tree and in the index: not part
    // of the commits compared.
    let untracked = "talos/worker.yaml";
    repo.edit(TALOS, "edgehostlet:v1.8.0", "edgehostlet:v9.9.9");
    repo.git(&["add", TALOS]);
    repo.edit(TALOS, "edgehostlet:v9.9.9", "edgehostlet:v7.7.7");
    std::fs::write(repo.path(untracked), "machine: [unclosed\n").ok();
    let (code, json) = repo.lint_json(&["--base", "main", "--head", "pr"]);
    assert_eq!(code, 1, "{json:#}");
    let found = with_code(&json, "vendor-owned-change");
    assert_eq!(found.len(), 1, "{json:#}");
    assert_eq!(
        found[0]["after"],
        "registry.edge.stackit.cloud/extensions/edgehostlet:v1.8.0"
    );
    assert!(with_code(&json, "parse-error").is_empty(), "{json:#}");
    // The same commits compared: nothing changed, whatever the work tree holds.
    let (code, json) = repo.lint_json(&["--base", "pr", "--head", "pr"]);
    assert_eq!(code, 0, "{json:#}");
    assert!(json["findings"].as_array().unwrap().is_empty(), "{json:#}");
}

#[test]
fn a_dirty_vendor_owned_edit_is_not_reported_with_head() {
    let repo = repo_with_pr();
    // On `main`, an uncommitted vendor-owned edit that `--base` alone reports.
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v2.0.0");
    let (code, _) = repo.lint_json(&["--base", "main"]);
    assert_eq!(code, 1);
    // `pr` has a customer-owned change only: the dirty edit does not count.
    repo.git(&["stash", "-q"]);
    repo.git(&["checkout", "-q", "-b", "pr2", "main"]);
    repo.edit(TALOS, "hostname: edge-muc-1", "hostname: edge-muc-01");
    repo.commit("rename the host");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["stash", "pop", "-q"]);
    let (code, json) = repo.lint_json(&["--base", "main", "--head", "pr2"]);
    assert_eq!(code, 0, "{json:#}");
    assert!(
        with_code(&json, "vendor-owned-change").is_empty(),
        "{json:#}"
    );
    assert_eq!(
        settings(&json, "best-effort-area"),
        vec![format!("{TALOS}:\"machine.network.hostname\"")]
    );
}

#[test]
fn the_configuration_of_both_commits_is_read_from_git() {
    let repo = repo_with_pr();
    // The work tree deletes the configuration: --head still judges with the
    // base commit's and sees no config change.
    repo.remove(".demarcate.yaml");
    let (code, json) = repo.lint_json(&["--base", "main", "--head", "pr"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(with_code(&json, "vendor-owned-change").len(), 1);
    assert!(with_code(&json, "config-change").is_empty(), "{json:#}");
    // A branch that deletes the configuration in a commit: reported.
    repo.git(&["checkout", "-q", "-f", "-b", "weaken", "pr"]);
    repo.remove(".demarcate.yaml");
    repo.commit("drop the check");
    repo.git(&["checkout", "-q", "main"]);
    let (code, json) = repo.lint_json(&["--base", "main", "--head", "weaken"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(with_code(&json, "config-change").len(), 1, "{json:#}");
    assert_eq!(with_code(&json, "vendor-owned-change").len(), 1);
}

#[test]
fn an_invalid_configuration_in_the_work_tree_does_not_stop_a_head_run() {
    let repo = repo_with_pr();
    // The work tree's configuration does not parse and names a pack that
    // is not there: the work-tree modes stop on it (exit 2) ...
    repo.write(
        ".demarcate.yaml",
        "vendor: [unclosed\npacks: [missing-pack.yaml]\n",
    );
    let out = repo.run(&["lint", "--base", "main"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // ... but --head reads both commits' configurations from git only.
    let (code, json) = repo.lint_json(&["--base", "main", "--head", "pr"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(
        settings(&json, "vendor-owned-change"),
        vec![format!("{TALOS}:\"machine.install.extensions[0].image\"")]
    );
    assert!(with_code(&json, "config-change").is_empty(), "{json:#}");
    let out = repo.run(&[
        "classify", "--base", "main", "--head", "pr", "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("edgehostlet:v1.8.0"), "{text}");
}

#[test]
fn a_values_file_behind_a_committed_symlink_is_judged() {
    let repo = repo_with_pr();
    repo.git(&["checkout", "-q", "pr"]);
    std::os::unix::fs::symlink("controlplane.yaml", repo.path("talos/current.yaml")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", repo.path("talos/out.yaml")).unwrap();
    repo.commit("links");
    repo.git(&["checkout", "-q", "main"]);
    let (code, json) = repo.lint_json(&["--base", "main", "--head", "pr"]);
    assert_eq!(code, 1, "{json:#}");
    let files: Vec<&str> = with_code(&json, "vendor-owned-change")
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"talos/current.yaml"), "{json:#}");
    let skipped = with_code(&json, "file-skipped");
    assert!(
        skipped
            .iter()
            .any(|f| f["file"] == "talos/out.yaml" && f["severity"] == "error"),
        "{json:#}"
    );
}

#[test]
fn an_unknown_head_or_head_without_base_is_a_usage_error() {
    let repo = repo_with_pr();
    let out = repo.run(&["lint", "--base", "main", "--head", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no-such-branch"),
        "{}",
        support::process::text(&out)
    );
    let out = repo.run(&["lint", "--head", "pr"]);
    assert_eq!(out.status.code(), Some(2));
    let out = repo.run(&["lint", "--base", "main", "--head", "pr", "--staged"]);
    assert_eq!(out.status.code(), Some(2));
}

const HALO: &str = "vendor: glasswall-halo\ndeployment: onprem-vm\n";
const CHART: &str = "apiVersion: v2\nname: cdrplatform-engine\nversion: 1.0.0\n";
const VALUES: &str = "image:\n  registry: glasswallhub.azurecr.io\n  repository: cdrplatform/engine\n  tag: \"2.15.0\"\nreplicas: 2\n";

#[test]
fn a_chart_renamed_in_the_head_commit_governs_its_unchanged_values() {
    let repo = GitRepo::with(&[
        (".demarcate.yaml", HALO),
        ("charts/engine/Chart.yaml", CHART),
        ("charts/engine/values.yaml", VALUES),
        (
            "charts/engine/templates/deploy.yaml",
            "kind: {{ .Values.x }}\n",
        ),
    ]);
    repo.git(&["checkout", "-q", "-b", "pr"]);
    repo.edit(
        "charts/engine/Chart.yaml",
        "name: cdrplatform-engine",
        "name: halo-engine",
    );
    // A template is not a values file: never read, even when it changed.
    repo.write("charts/engine/templates/deploy.yaml", "{{ broken\n");
    repo.commit("rename the chart");
    repo.git(&["checkout", "-q", "main"]);
    let (code, json) = repo.lint_json(&["--base", "main", "--head", "pr"]);
    let found = with_code(&json, "vendor-owned-change");
    assert!(!found.is_empty(), "{json:#}");
    assert!(
        found
            .iter()
            .all(|f| f["file"] == "charts/engine/values.yaml"),
        "{json:#}"
    );
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("the chart changed from cdrplatform-engine to halo-engine"),
        "{message}"
    );
    assert!(with_code(&json, "parse-error").is_empty(), "{json:#}");
    assert_eq!(code, 1);
}

/// A `.demarcate.yaml` in the work tree that is not a regular file (a FIFO)
/// stops the work-tree modes, never opened; a --head run reads both
/// commits' configurations from git and goes on.
#[test]
fn a_fifo_in_place_of_the_work_tree_configuration_does_not_stop_a_head_run() {
    let repo = repo_with_pr();
    let config = repo.root.join(".demarcate.yaml");
    std::fs::remove_file(&config).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&config)
        .status()
        .unwrap();
    assert!(made.success());
    let out = repo.run(&["lint", "--base", "main"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let (code, json) = repo.lint_json(&["--base", "main", "--head", "pr"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(
        settings(&json, "vendor-owned-change"),
        vec![format!("{TALOS}:\"machine.install.extensions[0].image\"")]
    );
}
