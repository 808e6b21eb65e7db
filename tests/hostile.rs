//! The hostile repository: `fixtures/hostile/` plus files made at test time
//! (links, huge and special files, nesting and alias bombs). `lint` and
//! `classify` must finish within a time limit, report every hostile case
//! exactly once (`parse-error` or `file-skipped` at its line), never show a
//! file from outside the repository, and still read the good files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Case, Expect, hostile_repo, run_demarcate};
use serde_json::Value;

/// Findings per file, leaving out notes on vendor-owned settings.
fn problems(json: &Value) -> BTreeMap<String, Vec<(String, u64, String)>> {
    let mut out: BTreeMap<String, Vec<(String, u64, String)>> = BTreeMap::new();
    for f in json["findings"].as_array().unwrap() {
        let code = f["code"].as_str().unwrap().to_string();
        if code == "vendor-owned-setting" {
            continue;
        }
        out.entry(f["file"].as_str().unwrap().to_string())
            .or_default()
            .push((
                code,
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            ));
    }
    out
}

/// What is wrong with one case's findings, if anything.
fn check_case(case: &Case, found: Option<&Vec<(String, u64, String)>>) -> Option<String> {
    let found = found.map(Vec::as_slice).unwrap_or_default();
    let ok = match &case.expect {
        Expect::Clean => found.is_empty(),
        Expect::Once {
            code,
            line,
            message,
        } => {
            found.len() == 1
                && found[0].0 == *code
                && line.is_none_or(|l| found[0].1 == l)
                && found[0].2.contains(message)
        }
        Expect::Capped { code, count } => {
            found.len() == *count
                && found.iter().all(|(c, _, _)| c == code)
                && found.last().is_some_and(|f| f.2.contains("not listed"))
        }
    };
    (!ok).then(|| format!("{}: expected {:?}, found {found:?}", case.file, case.expect))
}

#[test]
fn lint_and_classify_finish_and_report_each_hostile_case_once() {
    let repo = hostile_repo();
    let root = repo.root();

    let lint = run_demarcate(root, &["lint", "--format", "json"]);
    assert_eq!(lint.code, Some(1), "{}", lint.stderr);
    assert!(
        !lint.stdout.contains(common::SECRET),
        "a file outside the repo leaked"
    );
    let json: Value = serde_json::from_str(&lint.stdout).unwrap();
    let found = problems(&json);
    let wrong: Vec<String> = repo
        .cases
        .iter()
        .filter_map(|case| check_case(case, found.get(&case.file)))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let known: Vec<&str> = repo.cases.iter().map(|c| c.file.as_str()).collect();
    for file in found.keys() {
        assert!(
            known.contains(&file.as_str()),
            "unexpected findings for {file}: {found:?}"
        );
    }

    let classify = run_demarcate(root, &["classify", "--format", "json"]);
    assert!(!classify.stdout.contains(common::SECRET));
    let json: Value = serde_json::from_str(&classify.stdout).unwrap();
    let settings = json["settings"].as_array().unwrap();
    // The good files are read and classified as usual.
    for good in [
        "good/talos/edgehostlet.yaml",
        "good/terraform/edge.tf",
        "good/stec/edgeimage.yaml",
        "cr-only.yaml",
        "crlf.yaml",
    ] {
        let classified = settings
            .iter()
            .filter(|s| s["file"] == good && !s["area"].is_null())
            .count();
        assert!(classified > 0, "{good} has no classified setting");
    }
    // Line breaks of every kind count lines alike.
    for file in ["cr-only.yaml", "crlf.yaml"] {
        let host = settings
            .iter()
            .find(|s| s["file"] == file && s["setting"] == "machine.network.hostname")
            .unwrap();
        assert_eq!((&host["line"], &host["column"]), (&3.into(), &5.into()));
    }
    // A 50,000-item array on one line of non-ASCII text: exact columns.
    let last = settings
        .iter()
        .find(|s| s["file"] == "wide.tf" && s["setting"] == "locals.wide[49999]")
        .unwrap();
    assert_eq!(last["line"], 2);
    assert_eq!(last["column"], 11 + 49_999 * 5);
}

/// Files the human report cannot show yet: `report::Disk` reads a finding's
/// file without checks (a FIFO blocks, `/dev/zero` never ends, a link shows a
/// file outside the repository) and miette panics on columns past 65,535.
const HUMAN_REPORT_OPEN: [&str; 4] = [
    "pipe.yaml",
    "zero.yaml",
    "escape.yaml",
    "bombs/shared-budget.yaml",
];

/// Files that only make the run slower; the JSON test reads them.
const HEAVY: [&str; 8] = [
    "bombs/alias-text.yaml",
    "bombs/anchor-nest.yaml",
    "values-long-keys.yaml",
    "many-manifests.yaml",
    "values.yaml",
    "heredocs-endless.tf",
    "heredoc-mb.tf",
    "wide.tf",
];

#[test]
fn human_output_finishes() {
    let repo = hostile_repo();
    for file in HUMAN_REPORT_OPEN.iter().chain(&HEAVY) {
        let _ = std::fs::remove_file(repo.root().join(file));
    }
    let out = run_demarcate(repo.root(), &["lint"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stdout.contains("bombs/laughs.yaml"));
    assert!(out.stdout.contains("many-docs.yaml:20001:1"));
}

#[test]
fn human_output_never_reads_special_or_outside_files() {
    let repo = hostile_repo();
    let out = run_demarcate(repo.root(), &["lint"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(!out.stdout.contains(common::SECRET));
}

#[test]
fn every_case_is_listed_in_the_fixture_readme() {
    let readme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile/README.md"),
    )
    .unwrap();
    let repo = hostile_repo();
    for case in &repo.cases {
        let name = case.file.replace('\u{FFFD}', "\\xff");
        let shown = if name.starts_with("good/") {
            "`good/…`".to_string()
        } else {
            format!("`{name}`")
        };
        assert!(readme.contains(&shown), "{name} is not in the README");
    }
}

/// Leaves a hostile repository on disk for manual runs (`--ignored`).
#[test]
#[ignore = "makes a repository for manual runs"]
fn make_hostile_repo() {
    let repo = hostile_repo();
    let root = repo.root().to_path_buf();
    std::mem::forget(repo);
    std::fs::write(
        std::env::temp_dir().join("hostile-repo-path"),
        root.to_str().unwrap(),
    )
    .unwrap();
}
