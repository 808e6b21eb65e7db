//! The GitHub Action's shell step (`action/run.sh`) run locally with the
//! environment GitHub gives it: a pull_request event with the base and head
//! commits, a shallow checkout of the merge commit (the base must be
//! fetched), `GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT`, `GITHUB_WORKSPACE`, and
//! `DEMARCATE_BIN` pointing at the binary under test. Checks the
//! annotations, the job summary, the SARIF file, the outputs and the exit
//! status.

//!
//! Unix only: the scripts run under bash (on Windows, `bash` may resolve to
//! WSL's launcher rather than Git Bash).

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use support::process::{clean, git, root, text, write};

const TALOS: &str = "machine:
  network:
    hostname: edge-1
  install:
    extensions:
      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.1
";

const SHOP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: shop
spec:
  replicas: 2
";

/// An origin with a base commit on `main`, a pull request branch that bumps
/// the EdgeHostLet and scales the shop, and its merge commit at
/// `refs/pull/1/merge`; and a shallow checkout of that merge commit, as
/// actions/checkout makes it.
struct Pr {
    _dir: tempfile::TempDir,
    workspace: PathBuf,
    base: String,
    head: String,
    merge: String,
    files: PathBuf,
}

fn pull_request() -> Pr {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin.git");
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "-q", "--bare", "-b", "main"]);
    // GitHub serves any commit by id.
    git(
        &origin,
        &["config", "uploadpack.allowAnySHA1InWant", "true"],
    );
    let author = dir.path().join("author");
    std::fs::create_dir_all(&author).unwrap();
    git(&author, &["init", "-q", "-b", "main"]);
    write(
        &author,
        ".demarcate.yaml",
        "vendor: stackit-edge-cloud\ndeployment: edge-cloud\n",
    );
    write(&author, "talos/controlplane.yaml", TALOS);
    write(&author, "apps/shop.yaml", SHOP);
    git(&author, &["add", "."]);
    git(&author, &["commit", "-q", "-m", "site"]);
    // History before the base, so the shallow checkout has to deepen to reach it.
    for i in 0..3 {
        write(&author, "docs/notes.txt", &format!("{i}\n"));
        git(&author, &["add", "."]);
        git(&author, &["commit", "-q", "-m", &format!("notes {i}")]);
    }
    let base = git(&author, &["rev-parse", "HEAD"]);
    git(&author, &["checkout", "-q", "-b", "pr"]);
    write(
        &author,
        "talos/controlplane.yaml",
        &TALOS.replace("v1.7.1", "v1.8.0"),
    );
    write(
        &author,
        "apps/shop.yaml",
        &SHOP.replace("replicas: 2", "replicas: 3"),
    );
    git(
        &author,
        &[
            "commit",
            "-q",
            "-am",
            "bump the edgehostlet, scale the shop",
        ],
    );
    let head = git(&author, &["rev-parse", "HEAD"]);
    git(&author, &["checkout", "-q", "--detach", "main"]);
    git(
        &author,
        &["merge", "-q", "--no-ff", "-m", "Merge pr into main", "pr"],
    );
    let merge = git(&author, &["rev-parse", "HEAD"]);
    let url = format!("file://{}", origin.display());
    git(
        &author,
        &["push", "-q", &url, "main", "pr", "HEAD:refs/pull/1/merge"],
    );
    let workspace = dir.path().join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    git(&workspace, &["init", "-q"]);
    git(&workspace, &["remote", "add", "origin", &url]);
    git(
        &workspace,
        &[
            "fetch",
            "-q",
            "--no-tags",
            "--depth=1",
            "origin",
            "+refs/pull/1/merge:refs/remotes/pull/1/merge",
        ],
    );
    git(
        &workspace,
        &["checkout", "-q", "--detach", "refs/remotes/pull/1/merge"],
    );
    assert_eq!(
        git(&workspace, &["rev-parse", "--is-shallow-repository"]),
        "true"
    );
    let files = dir.path().join("github");
    std::fs::create_dir_all(&files).unwrap();
    let event = serde_json::json!({
        "action": "synchronize",
        "number": 1,
        "pull_request": {"base": {"sha": base, "ref": "main"}, "head": {"sha": head, "ref": "pr"}},
    });
    std::fs::write(files.join("event.json"), event.to_string()).unwrap();
    std::fs::write(files.join("summary.md"), "previous step\n").unwrap();
    std::fs::write(files.join("output"), "").unwrap();
    Pr {
        _dir: dir,
        workspace,
        base,
        head,
        merge,
        files,
    }
}

/// Runs the action's lint step like GitHub would.
fn run(pr: &Pr, inputs: &[(&str, &str)]) -> Output {
    std::fs::write(pr.files.join("output"), "").unwrap();
    let mut cmd = clean("bash", &pr.workspace);
    cmd.arg(root().join("action/run.sh"))
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", pr.files.join("event.json"))
        .env("GITHUB_STEP_SUMMARY", pr.files.join("summary.md"))
        .env("GITHUB_OUTPUT", pr.files.join("output"))
        .env("GITHUB_WORKSPACE", &pr.workspace)
        .env("GITHUB_REPOSITORY", "acme/edge")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_SHA", &pr.merge)
        .env("GITHUB_BASE_REF", "main")
        .env("DEMARCATE_BIN", env!("CARGO_BIN_EXE_demarcate"))
        // action.yml's defaults.
        .env("INPUT_FAIL_ON", "error")
        .env("INPUT_SARIF", "demarcate.sarif")
        .env("INPUT_SUMMARY", "true")
        .env("INPUT_WORKING_DIRECTORY", ".");
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn outputs(pr: &Pr) -> BTreeMap<String, String> {
    std::fs::read_to_string(pr.files.join("output"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_pull_request_gets_annotations_a_summary_sarif_and_outputs() {
    let pr = pull_request();
    let out = run(&pr, &[]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let annotation = stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("{all}"));
    assert!(
        annotation.starts_with("::error file=talos/controlplane.yaml,line=6,col="),
        "{annotation}"
    );
    assert!(
        annotation.contains("title=demarcate vendor-owned-change%3A EdgeHostLet (STACKIT)::"),
        "{annotation}"
    );
    assert!(
        !stdout.contains("apps/shop.yaml,line=7"),
        "the customer's change is not annotated: {stdout}"
    );
    // The base was fetched into the shallow checkout, and the history deepened to the merge base.
    assert!(all.contains(&format!("fetching base {}", pr.base)), "{all}");
    assert!(all.contains("deepening the clone by 10 commits"), "{all}");
    // The pull request is compared at its head commit, fetched into the checkout.
    assert!(all.contains(&format!("fetching head {}", pr.head)), "{all}");
    assert!(all.contains(&format!("head: {}", pr.head)), "{all}");
    let o = outputs(&pr);
    assert_eq!(o["base"], pr.base, "{all}");
    assert_eq!(o["errors"], "1");
    assert_eq!(o["exit-code"], "1");
    let sarif_path = pr.workspace.join("demarcate.sarif");
    assert_eq!(Path::new(&o["sarif"]), sarif_path.canonicalize().unwrap());
    // The job summary is appended, with links to the pull request's head.
    let summary = std::fs::read_to_string(pr.files.join("summary.md")).unwrap();
    assert!(
        summary.starts_with("previous step\n## demarcate\n"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(
            "(https://github.com/acme/edge/blob/{}/talos/controlplane.yaml#L6)",
            pr.head
        )),
        "{summary}"
    );
    assert!(
        summary.contains("`machine.install.extensions[0].image`"),
        "{summary}"
    );
    // SARIF for code scanning: valid (by the SARIF Multitool, when installed), with the change.
    support::multitool::check(&sarif_path);
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "vendor-owned-change")
        .unwrap();
    assert_eq!(result["properties"]["change"], "modified");
    assert_eq!(result["properties"]["owner"], "STACKIT");
}

#[test]
fn fail_on_never_passes_and_options_reach_the_model() {
    let pr = pull_request();
    let out = run(
        &pr,
        &[
            ("INPUT_FAIL_ON", "never"),
            ("INPUT_VENDOR", "nexgen-cloud"),
            ("INPUT_DEPLOYMENT", "iaas"),
            ("INPUT_OPTIONS", "extended-support=true,\n"),
            ("INPUT_SARIF", "reports/out.sarif"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let summary = std::fs::read_to_string(pr.files.join("summary.md")).unwrap();
    assert!(
        summary.contains(
            "Model: **nexgen-cloud**, deployment **iaas**, options extended-support=true."
        ),
        "{summary}"
    );
    assert!(pr.workspace.join("reports/out.sarif").is_file());
    assert_eq!(outputs(&pr)["exit-code"], "0");
}

#[test]
fn working_directory_and_paths_narrow_the_check() {
    let pr = pull_request();
    let out = run(
        &pr,
        &[("INPUT_PATHS", "apps\n"), ("INPUT_SUMMARY", "false")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let summary = std::fs::read_to_string(pr.files.join("summary.md")).unwrap();
    assert_eq!(summary, "previous step\n", "summary: false writes nothing");
    let out = run(
        &pr,
        &[("INPUT_WORKING_DIRECTORY", "talos"), ("INPUT_SARIF", "")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!outputs(&pr).contains_key("sarif"));
}

#[test]
fn push_and_merge_queue_events_name_the_base_and_errors_exit_2() {
    let pr = pull_request();
    let event = serde_json::json!({"before": pr.base, "after": pr.merge});
    std::fs::write(pr.files.join("event.json"), event.to_string()).unwrap();
    let out = run(&pr, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outputs(&pr)["base"], pr.base);
    // A merge queue names its base.
    let event = serde_json::json!({"merge_group": {"base_sha": pr.base, "head_sha": pr.merge}});
    std::fs::write(pr.files.join("event.json"), event.to_string()).unwrap();
    let out = run(&pr, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outputs(&pr)["base"], pr.base);
    // A bad vendor is a configuration error: exit 2 and an error annotation.
    let out = run(&pr, &[("INPUT_VENDOR", "nobody")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("::error title=demarcate::demarcate lint failed (exit 2)")
    );
}

#[test]
fn without_an_event_the_tree_is_checked() {
    let pr = pull_request();
    std::fs::remove_file(pr.files.join("event.json")).unwrap();
    let out = run(&pr, &[("GITHUB_BASE_REF", "")]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("checking the tree as it is"), "{all}");
    assert!(
        all.contains("::notice file=talos/controlplane.yaml,line=6"),
        "{all}"
    );
    assert_eq!(outputs(&pr)["base"], "");
}

#[test]
fn mode_tree_checks_the_tree_even_on_a_pull_request() {
    let pr = pull_request();
    // The pull request's event names a base, but `mode: tree` ignores it:
    // the tree is checked as it is and the vendor-owned change is a note.
    let out = run(&pr, &[("INPUT_MODE", "tree")]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("checking the tree as it is"), "{all}");
    assert_eq!(outputs(&pr)["base"], "");
    // A base with mode tree, or an unknown mode, is a usage error.
    let out = run(&pr, &[("INPUT_MODE", "tree"), ("INPUT_BASE", "HEAD~1")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = run(&pr, &[("INPUT_MODE", "everything")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("input mode must be"), "{}", text(&out));
}

#[test]
fn the_pull_request_is_judged_at_its_head_not_the_work_tree() {
    let pr = pull_request();
    // A later step (or the merge) left the work tree without the bump: the
    // head commit still holds it, and that is what is judged.
    write(&pr.workspace, "talos/controlplane.yaml", TALOS);
    let out = run(&pr, &[]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=talos/controlplane.yaml,line=6,col=")),
        "{all}"
    );
}
