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

/// `.demarcate.yaml` and packs are read bounded: a link to `/dev/zero`, a
/// FIFO, a link out of the repository or an oversized file stops the run
/// with a clear error (exit 2) instead of reading without end.
#[cfg(unix)]
#[test]
fn configuration_and_packs_are_read_bounded() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("outside.yaml"), "vendor: x\n").unwrap();
    let fresh = |name: &str| {
        let root = dir.path().join(name);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("a.yaml"), "machine:\n  type: worker\n").unwrap();
        root
    };
    let mkfifo = |path: &Path| {
        std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .is_ok_and(|s| s.success())
    };
    let mut cases: Vec<(std::path::PathBuf, &str)> = Vec::new();

    let root = fresh("config-zero");
    symlink("/dev/zero", root.join(".demarcate.yaml")).unwrap();
    cases.push((root, "not a regular file"));
    let root = fresh("config-out");
    symlink(
        dir.path().join("outside.yaml"),
        root.join(".demarcate.yaml"),
    )
    .unwrap();
    cases.push((root, "outside the repository"));
    let root = fresh("config-fifo");
    if mkfifo(&root.join(".demarcate.yaml")) {
        cases.push((root, "not a regular file"));
    }
    let root = fresh("config-big");
    std::fs::write(
        root.join(".demarcate.yaml"),
        format!("vendor: x\n{}", "# padding\n".repeat(500_000)),
    )
    .unwrap();
    cases.push((root, "byte limit"));
    // A pull request may lower limits, never raise them.
    let root = fresh("config-limits");
    std::fs::write(
        root.join(".demarcate.yaml"),
        "limits:\n  max_file_bytes: 999999999999\n",
    )
    .unwrap();
    cases.push((root, "max_file_bytes must be at most"));
    let pack_config = "packs: [pack.yaml]\n";
    let root = fresh("pack-zero");
    std::fs::write(root.join(".demarcate.yaml"), pack_config).unwrap();
    symlink("/dev/zero", root.join("pack.yaml")).unwrap();
    cases.push((root, "outside the repository"));
    let root = fresh("pack-fifo");
    std::fs::write(root.join(".demarcate.yaml"), pack_config).unwrap();
    if mkfifo(&root.join("pack.yaml")) {
        cases.push((root, "not a regular file"));
    }
    let root = fresh("pack-big");
    std::fs::write(root.join(".demarcate.yaml"), pack_config).unwrap();
    std::fs::write(root.join("pack.yaml"), "# padding\n".repeat(500_000)).unwrap();
    cases.push((root, "byte limit"));

    for (root, message) in &cases {
        for args in [&["lint"][..], &["classify"]] {
            let out = run_demarcate(root, args);
            assert_eq!(out.code, Some(2), "{root:?} {args:?}: {}", out.stdout);
            assert!(
                out.stderr.contains(message),
                "{root:?} {args:?}: {}",
                out.stderr
            );
        }
    }
}

/// A committed `.gitignore` linked to `/dev/zero` (and a FIFO `.ignore`)
/// used to make tree-mode `lint`, `classify` and `init` read without end.
#[cfg(unix)]
#[test]
fn ignore_files_linked_to_dev_zero_do_not_hang_any_command() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.yaml"), "machine:\n  type: worker\n").unwrap();
    std::os::unix::fs::symlink("/dev/zero", root.join(".gitignore")).unwrap();
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("sub/b.yaml"), "machine:\n  type: worker\n").unwrap();
    let _ = std::process::Command::new("mkfifo")
        .arg(root.join("sub/.ignore"))
        .status();
    for args in [
        &["lint", "--format", "json"][..],
        &["classify", "--format", "json"],
        &["init"],
    ] {
        let out = run_demarcate(root, args);
        assert!(
            matches!(out.code, Some(0 | 1)),
            "{args:?}: {:?} {}",
            out.code,
            out.stderr
        );
        if args[0] != "init" {
            assert!(
                out.stdout.contains(".gitignore"),
                "{args:?}: {}",
                out.stdout
            );
        }
        if args[0] == "classify" {
            assert!(
                out.stdout.contains("sub/b.yaml"),
                "{args:?}: {}",
                out.stdout
            );
        }
    }
    // In change mode git reads the ignore files itself, and refuses links.
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap()
    };
    let _ = std::fs::remove_file(root.join("sub/.ignore"));
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    assert!(git(&["commit", "-q", "-m", "base"]).status.success());
    std::fs::write(root.join("sub/c.yaml"), "machine:\n  type: worker\n").unwrap();
    let model = [
        "--vendor",
        "stackit-edge-cloud",
        "--deployment",
        "edge-cloud",
    ];
    for args in [
        &[
            "lint", "--base", "HEAD", model[0], model[1], model[2], model[3],
        ][..],
        &["classify", "--base", "HEAD"],
    ] {
        let out = run_demarcate(root, args);
        assert!(
            matches!(out.code, Some(0 | 1)),
            "{args:?}: {:?} {}",
            out.code,
            out.stderr
        );
    }
}

/// A file name with a line break and a workflow command, ESC, BEL, CR, C1
/// and bidi controls, and a source line holding them: no command prints a
/// raw control character or a line GitHub would read as a workflow command.
#[cfg(unix)]
#[test]
fn hostile_names_and_source_lines_are_escaped_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let name = "x\n::error file=a::pwned\u{1b}[31m\u{7}\r\u{9b}\u{202e}lmay.yaml";
    std::fs::write(
        root.join(name),
        "machine:\n  type: \"\u{1b}[2J\u{7}\rover\u{202e}\"\n  bad: \u{1b}\n",
    )
    .unwrap();
    std::fs::write(root.join("ok.yaml"), "machine:\n  type: worker\n").unwrap();
    let bad = |c: char| {
        c != '\n'
            && (c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'))
    };
    for args in [
        &["lint"][..],
        &["lint", "--format", "github"],
        &["classify"],
        &["classify", "--format", "csv"],
        &["explain", name],
    ] {
        let out = run_demarcate(root, args);
        assert!(matches!(out.code, Some(0 | 1)), "{args:?}: {}", out.stderr);
        if args[1..] != ["--format", "csv"] {
            assert!(out.stdout.contains("lmay.yaml"), "{args:?}: {}", out.stdout);
        }
        for text in [&out.stdout, &out.stderr] {
            assert!(!text.chars().any(bad), "{args:?}: raw control in {text:?}");
            for line in text.lines() {
                let ours = args.contains(&"github")
                    && (line.starts_with("::error file=")
                        || line.starts_with("::warning file=")
                        || line.starts_with("::notice file=")
                        || line.starts_with("::warning title=demarcate::"));
                assert!(
                    ours || !line.trim_start().starts_with("::"),
                    "{args:?}: {line:?}"
                );
            }
        }
    }
}
