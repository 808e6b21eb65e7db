//! No command runs a git hook or writes into `.git`: a repository with an
//! executable hook of every name git knows, in `.git/hooks` and in a tracked
//! folder that `core.hooksPath` names, with every tracked file's timestamp
//! changed (content unchanged, so that `git diff` would refresh the index
//! and run `post-index-change`), is linted, classified and explained in
//! every mode; no hook runs and `.git`, index included, stays byte-identical.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::run_with;
use common::snapshot::{assert_same, snapshot};

/// Every hook name git documents (githooks(5)), and git-p4's.
const HOOKS: [&str; 28] = [
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "proc-receive",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "fsmonitor-watchman",
    "p4-changelist",
    "p4-prepare-changelist",
    "p4-post-changelist",
    "p4-pre-submit",
    "post-index-change",
];

const ENV: [(&str, &str); 2] = [
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
];

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args(args)
        .envs(ENV)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// An executable hook that appends its name to `record`.
fn plant(dir: &Path, name: &str, record: &Path) {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\necho \"{} {name} $*\" >> '{}'\n",
            dir.display(),
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Sets a file's modification time without touching its content.
fn touch(path: &Path, when: SystemTime) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(when).unwrap();
}

/// Every command in every mode: tree, `--base`, `--staged`.
const RUNS: [&[&str]; 12] = [
    &["lint"],
    &["lint", "--format", "json"],
    &["lint", "--base", "base"],
    &["lint", "--base", "base", "--format", "github"],
    &["lint", "--staged"],
    &["lint", "--staged", "--format", "sarif"],
    &["classify"],
    &["classify", "--base", "base"],
    &["classify", "--base", "base", "--format", "json"],
    &["explain", "talos/patches/edgehostlet.yaml:5"],
    &["explain", "--code", "vendor-owned-change"],
    &["vendors"],
];

#[test]
fn no_hook_runs_and_git_is_untouched_in_any_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stackit-edge-cloud");
    let files = [
        "talos/patches/edgehostlet.yaml",
        "terraform/edge.tf",
        "stec/edgeimage.yaml",
        "apps/shop.yaml",
        ".demarcate.yaml",
    ];
    for rel in files {
        write(
            &root,
            rel,
            &std::fs::read_to_string(fixture.join(rel)).unwrap(),
        );
    }
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "base"]);
    git(&root, &["tag", "base"]);
    // A second commit with changes (for `--base base`), a staged change
    // (for `--staged`) and an untracked file.
    let tf = root.join("terraform/edge.tf");
    let text = std::fs::read_to_string(&tf).unwrap();
    std::fs::write(&tf, format!("{text}\nlocals {{\n  extra = 1\n}}\n")).unwrap();
    git(&root, &["commit", "-q", "-am", "change"]);
    let apps = root.join("apps/shop.yaml");
    let text = std::fs::read_to_string(&apps).unwrap();
    std::fs::write(&apps, format!("{text}\n# staged\n")).unwrap();
    git(&root, &["add", "apps/shop.yaml"]);
    write(&root, "new/untracked.yaml", "machine:\n  type: worker\n");

    // Hooks in `.git/hooks` and in a tracked folder named by core.hooksPath.
    let record = dir.path().join("hooks-ran.log");
    for name in HOOKS {
        plant(&root.join(".git/hooks"), name, &record);
    }
    std::fs::create_dir_all(root.join("githooks")).unwrap();
    for name in HOOKS {
        plant(&root.join("githooks"), name, &record);
    }
    git(&root, &["add", "githooks"]);
    git(&root, &["commit", "-q", "-m", "hooks"]);
    assert!(record.exists(), "the planted hooks do not run under git");
    std::fs::remove_file(&record).unwrap();
    // From now on, git itself would run the tracked hooks.
    git(&root, &["config", "core.hooksPath", "githooks"]);
    git(&root, &["commit", "-q", "--allow-empty", "-m", "empty"]);
    assert!(
        std::fs::read_to_string(&record)
            .unwrap()
            .contains("githooks pre-commit"),
        "the tracked hooks folder is not used by git"
    );
    std::fs::remove_file(&record).unwrap();

    // Every tracked file looks modified by its time only.
    let later = SystemTime::now() + Duration::from_secs(3600);
    for rel in files {
        touch(&root.join(rel), later);
    }
    for name in HOOKS {
        touch(&root.join("githooks").join(name), later);
    }

    let before = snapshot(&root.join(".git"));
    assert!(before.contains_key("index"));
    let env: Vec<(&str, &OsStr)> = ENV.iter().map(|(k, v)| (*k, OsStr::new(v))).collect();
    for args in RUNS {
        let out = run_with(&root, args, &env);
        assert!(
            matches!(out.code, Some(0 | 1)),
            "{args:?}: {:?} {}",
            out.code,
            out.stderr
        );
        assert!(
            !record.exists(),
            "{args:?} ran a hook: {}",
            std::fs::read_to_string(&record).unwrap_or_default()
        );
        assert_same(&before, &snapshot(&root.join(".git")), &format!("{args:?}"));
    }
}
