//! Read-only guarantee: `lint`, `classify`, `explain` and `vendors` leave
//! every byte and every name of the repository (`.git` and its index
//! included) as they were, write no cache
//! anywhere (home and temp folders stay empty), and never run a program from
//! the repository or the PATH (git hooks, helm, terraform, kubectl shims).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::ffi::OsString;
use std::path::Path;

use common::run_with;
use common::snapshot::{assert_same, snapshot};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[cfg(unix)]
fn shim(dir: &Path, name: &str, record: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\necho \"{name} $*\" >> '{}'\nexit 1\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn commands_change_nothing_and_run_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stackit-edge-cloud");
    for entry in [
        "talos/patches/edgehostlet.yaml",
        "terraform/edge.tf",
        "stec/edgeimage.yaml",
        "apps/shop.yaml",
        ".demarcate.yaml",
    ] {
        let text = std::fs::read_to_string(fixture.join(entry)).unwrap();
        write(&root, entry, &text);
    }
    write(&root, "broken.yaml", "a: [\n");
    write(&root, "chart/Chart.yaml", "apiVersion: v2\nname: halo\n");
    write(&root, "chart/values.yaml", "image:\n  tag: 1.0\n");
    // A git repository whose hooks and config would record any git run.
    let record = dir.path().join("ran.log");
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    // A real repository (index, objects, refs) made before the PATH shims,
    // so that `.git` is part of the snapshot as git leaves it.
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["config", "core.fsmonitor", "../bin/git-fsmonitor"]);
    assert!(root.join(".git/index").is_file());
    std::fs::create_dir_all(root.join(".git/hooks")).unwrap();
    for hook in [
        "pre-commit",
        "post-checkout",
        "pre-push",
        "post-index-change",
    ] {
        shim(&root.join(".git/hooks"), hook, &record);
    }
    shim(&root, "helm", &record);
    for tool in [
        "git",
        "helm",
        "terraform",
        "tofu",
        "kubectl",
        "talosctl",
        "sh",
        "bash",
    ] {
        shim(&bin, tool, &record);
    }
    let home = dir.path().join("home");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let before = snapshot(&root);
    let path: OsString = bin.clone().into_os_string();
    let env: Vec<(&str, &std::ffi::OsStr)> = vec![
        ("PATH", path.as_os_str()),
        ("HOME", home.as_os_str()),
        ("XDG_CACHE_HOME", home.as_os_str()),
        ("TMPDIR", tmp.as_os_str()),
    ];
    let runs: [&[&str]; 12] = [
        &["lint"],
        &["lint", "--format", "json"],
        &["lint", "--format", "sarif"],
        &["lint", "--format", "github"],
        &["lint", "--format", "markdown"],
        &["classify"],
        &["classify", "--format", "json"],
        &["classify", "--format", "csv"],
        &["explain", "talos/patches/edgehostlet.yaml:5"],
        &["explain", "--code", "parse-error"],
        &["vendors"],
        &["vendors", "stackit-edge-cloud", "--format", "json"],
    ];
    for args in runs {
        let out = run_with(&root, args, &env);
        assert!(
            matches!(out.code, Some(0 | 1)),
            "{args:?}: {:?} {}",
            out.code,
            out.stderr
        );
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
    }
    let after = snapshot(&root);
    assert!(before.keys().any(|k| k == ".git/index"));
    assert_same(&before, &after, "the repository (with .git)");
    assert!(
        !record.exists(),
        "a program was run: {}",
        std::fs::read_to_string(&record).unwrap_or_default()
    );
    assert_eq!(
        std::fs::read_dir(&home).unwrap().count(),
        0,
        "files written to HOME"
    );
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "files written to TMPDIR"
    );
}
