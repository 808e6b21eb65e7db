//! Read-only guarantee: `lint`, `classify`, `explain` and `vendors` leave
//! every byte and every name of the repository as they were, write no cache
//! anywhere (home and temp folders stay empty), and never run a program from
//! the repository or the PATH (git hooks, helm, terraform, kubectl shims).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;

use common::run_with;

/// Every entry under `dir` (links not followed): path → kind and content.
fn snapshot(dir: &Path) -> BTreeMap<String, (String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, (String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let mode = {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::MetadataExt;
                    format!("{:o}", meta.mode())
                }
                #[cfg(not(unix))]
                {
                    String::new()
                }
            };
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.insert(
                    rel,
                    (
                        format!("link {mode}"),
                        target.to_string_lossy().into_owned().into_bytes(),
                    ),
                );
            } else if meta.is_dir() {
                out.insert(rel, (format!("dir {mode}"), Vec::new()));
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let modified = format!("{:?}", meta.modified().ok());
                out.insert(rel, (format!("file {mode} {modified}"), bytes));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

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
    std::fs::create_dir_all(root.join(".git/hooks")).unwrap();
    write(&root, ".git/HEAD", "ref: refs/heads/main\n");
    write(
        &root,
        ".git/config",
        "[core]\n\tfsmonitor = ../bin/git-fsmonitor\n",
    );
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
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, entry) in &before {
        assert!(after.get(path) == Some(entry), "{path} changed");
    }
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
