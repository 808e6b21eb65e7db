//! The git access layer against real temporary repositories: changed files
//! (work tree and index), blobs at a revision and in the index, merge bases,
//! shallow clones, errors, and a hostile repository configuration.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ffi::OsStr;
use std::fs;
#[cfg(unix)] // the hostile configuration's program is a shell script
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use demarcate::git::{Blob, BlobSpec, Contents, FileChange, FileStatus, GitError, NewSide, Repo};
use tempfile::TempDir;

/// Runs git for test setup, isolated from the user's configuration.
fn git_env(dir: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> String {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn git(dir: &Path, args: &[&str]) -> String {
    git_env(dir, args, &[])
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn new_repo() -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    git(tmp.path(), &["init", "-q", "-b", "main"]);
    tmp
}

fn commit_all(dir: &Path, message: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

fn change(path: &str, base: Option<&str>, status: FileStatus) -> FileChange {
    FileChange {
        path: path.to_string(),
        base_path: base.map(str::to_string),
        status,
    }
}

/// Enough lines that a rename with a small edit is still detected.
const LONG: &str = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\n";

/// A repository with one commit and, on top, every kind of change.
fn changed_repo() -> (TempDir, String) {
    let tmp = new_repo();
    let d = tmp.path();
    write(d, ".gitignore", "ignored.yaml\n");
    write(d, "keep.yaml", "keep: true\n");
    write(d, "mod.yaml", "replicas: 1\n");
    write(d, "del.yaml", "gone: soon\n");
    write(d, "old name.yaml", LONG);
    write(d, "ünï cödé/values.yaml", "x: 1\n");
    let base = commit_all(d, "base");
    write(d, "mod.yaml", "replicas: 2\n");
    fs::remove_file(d.join("del.yaml")).unwrap();
    fs::create_dir_all(d.join("dir")).unwrap();
    git(d, &["mv", "old name.yaml", "dir/new näme.yaml"]);
    write(d, "dir/new näme.yaml", &format!("{LONG}i: 9\n"));
    write(d, "added.yaml", "new: staged\n");
    git(d, &["add", "added.yaml"]);
    write(d, "untracked file.yaml", "new: untracked\n");
    write(d, "ignored.yaml", "secret: 1\n");
    write(d, "ünï cödé/values.yaml", "x: 2\n");
    (tmp, base)
}

#[test]
fn discovers_the_top_level_from_a_subfolder() {
    let tmp = new_repo();
    let sub = tmp.path().join("a/b");
    fs::create_dir_all(&sub).unwrap();
    let repo = Repo::discover(&sub).unwrap();
    assert_eq!(repo.root(), fs::canonicalize(tmp.path()).unwrap());
}

#[test]
fn a_plain_folder_is_not_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let err = Repo::discover(tmp.path()).unwrap_err();
    assert!(matches!(err, GitError::NotARepository { .. }), "{err}");
    assert!(err.to_string().contains("not inside a git work tree"));
}

#[test]
fn a_missing_git_program_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let err = Repo::discover_with(OsStr::new("/nonexistent/bin/git"), tmp.path()).unwrap_err();
    assert!(matches!(err, GitError::NotInstalled { .. }), "{err}");
    assert!(err.to_string().contains("git is not installed"));
}

#[test]
fn worktree_changes_list_every_kind_of_change() {
    let (tmp, base) = changed_repo();
    let repo = Repo::discover(tmp.path()).unwrap();
    assert_eq!(repo.merge_base("main").unwrap(), base);
    let changes = repo.worktree_changes(&base).unwrap();
    assert_eq!(
        changes,
        vec![
            change("added.yaml", None, FileStatus::Added),
            change("del.yaml", Some("del.yaml"), FileStatus::Deleted),
            change(
                "dir/new näme.yaml",
                Some("old name.yaml"),
                FileStatus::Renamed
            ),
            change("mod.yaml", Some("mod.yaml"), FileStatus::Modified),
            change("untracked file.yaml", None, FileStatus::Added),
            change(
                "ünï cödé/values.yaml",
                Some("ünï cödé/values.yaml"),
                FileStatus::Modified
            ),
        ]
    );
    assert!(changes[1].has_base() && !changes[1].has_new());
    assert!(!changes[0].has_base() && changes[0].has_new());
}

#[test]
fn worktree_changes_since_an_older_commit_include_committed_work() {
    let tmp = new_repo();
    let d = tmp.path();
    write(d, "a.yaml", "a: 1\n");
    let first = commit_all(d, "first");
    write(d, "b.yaml", "b: 1\n");
    commit_all(d, "second");
    write(d, "a.yaml", "a: 2\n");
    let repo = Repo::discover(d).unwrap();
    let changes = repo.worktree_changes(&first).unwrap();
    assert_eq!(
        changes,
        vec![
            change("a.yaml", Some("a.yaml"), FileStatus::Modified),
            change("b.yaml", None, FileStatus::Added),
        ]
    );
}

#[test]
fn an_unstaged_deletion_of_a_file_kept_on_disk_is_a_modification() {
    let tmp = new_repo();
    let d = tmp.path();
    write(d, "a.yaml", "a: 1\n");
    let base = commit_all(d, "base");
    git(d, &["rm", "-q", "--cached", "a.yaml"]);
    let repo = Repo::discover(d).unwrap();
    assert_eq!(
        repo.worktree_changes(&base).unwrap(),
        vec![change("a.yaml", Some("a.yaml"), FileStatus::Modified)]
    );
}

#[test]
fn reads_blobs_at_the_base_and_in_the_index() {
    let (tmp, base) = changed_repo();
    let repo = Repo::discover(tmp.path()).unwrap();
    let specs = [
        BlobSpec::AtRevision {
            rev: &base,
            path: "mod.yaml",
        },
        BlobSpec::AtRevision {
            rev: &base,
            path: "old name.yaml",
        },
        BlobSpec::AtRevision {
            rev: &base,
            path: "ünï cödé/values.yaml",
        },
        BlobSpec::AtRevision {
            rev: &base,
            path: "added.yaml",
        },
        BlobSpec::Index { path: "added.yaml" },
        BlobSpec::Index {
            path: "untracked file.yaml",
        },
        BlobSpec::AtRevision {
            rev: &base,
            path: "ünï cödé",
        },
        BlobSpec::AtRevision {
            rev: &base,
            path: "keep.yaml",
        },
    ];
    let blobs = repo.read_blobs(&specs, 32).unwrap();
    assert_eq!(
        blobs,
        vec![
            Blob::Found(b"replicas: 1\n".to_vec()),
            Blob::TooLarge(LONG.len() as u64),
            Blob::Found(b"x: 1\n".to_vec()),
            Blob::Missing,
            Blob::Found(b"new: staged\n".to_vec()),
            Blob::Missing,
            Blob::NotBlob,
            Blob::Found(b"keep: true\n".to_vec()),
        ]
    );
    assert!(repo.read_blobs(&[], 64).unwrap().is_empty());
}

#[test]
fn reads_many_blobs_through_one_process() {
    let tmp = new_repo();
    let d = tmp.path();
    for i in 0..300 {
        write(
            d,
            &format!("f/{i}.yaml"),
            &format!("n: {i}\n{}", "x".repeat(i * 50)),
        );
    }
    let base = commit_all(d, "many");
    let repo = Repo::discover(d).unwrap();
    let paths: Vec<String> = (0..300).map(|i| format!("f/{i}.yaml")).collect();
    let specs: Vec<BlobSpec<'_>> = paths
        .iter()
        .map(|p| BlobSpec::AtRevision {
            rev: &base,
            path: p,
        })
        .collect();
    let blobs = repo.read_blobs(&specs, 1 << 20).unwrap();
    assert_eq!(blobs.len(), 300);
    for (i, blob) in blobs.iter().enumerate() {
        let want = format!("n: {i}\n{}", "x".repeat(i * 50));
        assert_eq!(blob, &Blob::Found(want.into_bytes()), "blob {i}");
    }
}

#[test]
fn staged_changes_compare_the_index_with_head() {
    let (tmp, _) = changed_repo();
    let d = tmp.path();
    let repo = Repo::discover(d).unwrap();
    // Unstaged edits, deletions and untracked files are not staged.
    assert_eq!(
        repo.staged_changes().unwrap(),
        vec![
            change("added.yaml", None, FileStatus::Added),
            change(
                "dir/new näme.yaml",
                Some("old name.yaml"),
                FileStatus::Renamed
            ),
        ]
    );
}

#[test]
fn a_partially_staged_file_is_read_from_the_index() {
    let tmp = new_repo();
    let d = tmp.path();
    write(d, "talos.yaml", "version: 1\n");
    let head = commit_all(d, "v1");
    write(d, "talos.yaml", "version: 2\n");
    git(d, &["add", "talos.yaml"]);
    write(d, "talos.yaml", "version: 3\n");
    write(d, "other.yaml", "unstaged: true\n");
    let repo = Repo::discover(d).unwrap();
    assert_eq!(repo.head().unwrap().as_deref(), Some(head.as_str()));
    assert_eq!(
        repo.staged_changes().unwrap(),
        vec![change(
            "talos.yaml",
            Some("talos.yaml"),
            FileStatus::Modified
        )]
    );
    let blobs = repo
        .read_blobs(
            &[
                BlobSpec::AtRevision {
                    rev: &head,
                    path: "talos.yaml",
                },
                BlobSpec::Index { path: "talos.yaml" },
            ],
            1024,
        )
        .unwrap();
    assert_eq!(
        blobs,
        vec![
            Blob::Found(b"version: 1\n".to_vec()),
            Blob::Found(b"version: 2\n".to_vec()),
        ]
    );
    assert_eq!(
        fs::read_to_string(d.join("talos.yaml")).unwrap(),
        "version: 3\n"
    );
}

#[test]
fn before_the_first_commit_everything_staged_is_added() {
    let tmp = new_repo();
    let d = tmp.path();
    write(d, "a.yaml", "a: 1\n");
    git(d, &["add", "a.yaml"]);
    let repo = Repo::discover(d).unwrap();
    assert_eq!(repo.head().unwrap(), None);
    assert_eq!(
        repo.staged_changes().unwrap(),
        vec![change("a.yaml", None, FileStatus::Added)]
    );
    assert!(matches!(repo.merge_base("main"), Err(GitError::UnbornHead)));
}

/// Runs the ignored test `child_reads_the_index_named_by_the_environment`
/// in a new process with `GIT_INDEX_FILE` set, as git sets it for a
/// pre-commit hook (`git commit -a`, `git commit PATH`).
#[test]
fn git_index_file_from_the_environment_is_honoured() {
    let tmp = new_repo();
    let d = tmp.path();
    write(d, "a.yaml", "a: 1\n");
    commit_all(d, "base");
    let alt = d.join(".git/alt-index");
    git_env(
        d,
        &["read-tree", "HEAD"],
        &[("GIT_INDEX_FILE", alt.as_os_str())],
    );
    write(d, "a.yaml", "a: 2\n");
    git_env(
        d,
        &["add", "a.yaml"],
        &[("GIT_INDEX_FILE", alt.as_os_str())],
    );
    write(d, "a.yaml", "a: 3\n");
    // The default index has nothing staged.
    assert!(
        Repo::discover(d)
            .unwrap()
            .staged_changes()
            .unwrap()
            .is_empty()
    );
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_reads_the_index_named_by_the_environment",
            "--ignored",
            "--test-threads=1",
        ])
        .env("GIT_INDEX_FILE", &alt)
        .env("DEMARCATE_TEST_REPO", d)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("1 passed"), "{stdout}");
}

#[test]
#[ignore = "run by git_index_file_from_the_environment_is_honoured"]
fn child_reads_the_index_named_by_the_environment() {
    let Some(dir) = std::env::var_os("DEMARCATE_TEST_REPO") else {
        return;
    };
    let repo = Repo::discover(&PathBuf::from(dir)).unwrap();
    assert_eq!(
        repo.staged_changes().unwrap(),
        vec![change("a.yaml", Some("a.yaml"), FileStatus::Modified)]
    );
    assert_eq!(
        repo.read_blobs(&[BlobSpec::Index { path: "a.yaml" }], 100)
            .unwrap(),
        vec![Blob::Found(b"a: 2\n".to_vec())]
    );
}

/// An origin with two commits, and a depth-1 clone of it.
fn shallow_clone() -> (TempDir, TempDir, String) {
    let origin = new_repo();
    write(origin.path(), "a.yaml", "a: 1\n");
    let first = commit_all(origin.path(), "first");
    write(origin.path(), "a.yaml", "a: 2\n");
    commit_all(origin.path(), "second");
    let clone = tempfile::tempdir().unwrap();
    let url = file_url(origin.path());
    let target = clone.path().to_str().unwrap();
    git(
        origin.path(),
        &["clone", "-q", "--depth", "1", &url, target],
    );
    (origin, clone, first)
}

#[test]
fn a_shallow_clone_without_the_base_says_how_to_fetch_it() {
    let (_origin, clone, first) = shallow_clone();
    let repo = Repo::discover(clone.path()).unwrap();
    assert!(repo.is_shallow().unwrap());
    let err = repo.merge_base(&first).unwrap_err();
    assert!(matches!(err, GitError::ShallowMissingBase { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("shallow clone"), "{text}");
    assert!(text.contains("git fetch --deepen="), "{text}");
    assert!(text.contains("fetch-depth: 0"), "{text}");
    let err = repo.merge_base("HEAD~1").unwrap_err();
    assert!(matches!(err, GitError::ShallowMissingBase { .. }), "{err}");
}

#[test]
fn a_shallow_clone_with_a_disconnected_base_branch_says_how_to_fetch_it() {
    let origin = new_repo();
    let o = origin.path();
    write(o, "a.yaml", "a: 1\n");
    commit_all(o, "root");
    git(o, &["checkout", "-q", "-b", "feature"]);
    write(o, "b.yaml", "b: 1\n");
    commit_all(o, "feature");
    git(o, &["checkout", "-q", "main"]);
    write(o, "a.yaml", "a: 2\n");
    commit_all(o, "main moves on");
    let clone = tempfile::tempdir().unwrap();
    let url = file_url(o);
    let target = clone.path().to_str().unwrap();
    git(
        o,
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            "--branch",
            "feature",
            &url,
            target,
        ],
    );
    let repo = Repo::discover(clone.path()).unwrap();
    let err = repo.merge_base("origin/main").unwrap_err();
    assert!(matches!(err, GitError::ShallowMissingBase { .. }), "{err}");
}

#[test]
fn unknown_and_invalid_revisions_are_errors() {
    let tmp = new_repo();
    write(tmp.path(), "a.yaml", "a: 1\n");
    commit_all(tmp.path(), "one");
    let repo = Repo::discover(tmp.path()).unwrap();
    let err = repo.merge_base("no-such-branch").unwrap_err();
    assert!(matches!(err, GitError::UnknownRevision { .. }), "{err}");
    assert!(err.to_string().contains("no-such-branch"));
    assert!(matches!(
        repo.worktree_changes("no-such-branch"),
        Err(GitError::UnknownRevision { .. })
    ));
    for bad in ["--output=/tmp/x", "", "a\nb"] {
        assert!(
            matches!(repo.merge_base(bad), Err(GitError::InvalidRevision { .. })),
            "{bad:?}"
        );
    }
}

#[test]
fn unrelated_histories_have_no_merge_base() {
    let tmp = new_repo();
    let d = tmp.path();
    write(d, "a.yaml", "a: 1\n");
    commit_all(d, "one");
    git(d, &["checkout", "-q", "--orphan", "other"]);
    write(d, "b.yaml", "b: 1\n");
    commit_all(d, "unrelated");
    let repo = Repo::discover(d).unwrap();
    let err = repo.merge_base("main").unwrap_err();
    assert!(matches!(err, GitError::NoMergeBase { .. }), "{err}");
}

/// A repository whose configuration would run a program from every hook
/// point git offers to `diff`, `ls-files` and `cat-file`.
#[cfg(unix)]
#[test]
fn a_hostile_repository_configuration_runs_nothing() {
    let tmp = new_repo();
    let d = tmp.path();
    let marker = d.join("ran");
    let script = d.join("evil.sh");
    fs::write(
        &script,
        format!("#!/bin/sh\necho \"$0 $*\" >> '{}'\ncat\n", marker.display()),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    write(d, ".gitignore", "evil.sh\nran\n");
    write(d, ".gitattributes", "*.yaml filter=evil diff=evil\n");
    write(d, "a.yaml", "a: 1\n");
    let base = commit_all(d, "base");
    let s = script.to_str().unwrap();
    for (key, value) in [
        ("core.fsmonitor", s),
        ("filter.evil.clean", s),
        ("filter.evil.smudge", s),
        ("filter.evil.required", "true"),
        ("diff.evil.textconv", s),
        ("diff.evil.command", s),
        ("diff.external", s),
        ("core.pager", s),
        ("diff.relative", "true"),
    ] {
        git(d, &["config", key, value]);
    }
    fs::create_dir_all(d.join("sub")).unwrap();
    write(d, "a.yaml", "a: 22\n");
    write(d, "sub/b.yaml", "b: 1\n");
    git(d, &["add", "sub/b.yaml"]);
    // Setup ran the programs; from here on only the module under test runs git.
    let _ = fs::remove_file(&marker);
    // Make the index entry stat-dirty, so that git must hash the file again.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    write(d, "sub/b.yaml", "b: 2\n");
    let repo = Repo::discover(&d.join("sub")).unwrap();
    let changes = repo.worktree_changes(&base).unwrap();
    assert_eq!(
        changes,
        vec![
            change("a.yaml", Some("a.yaml"), FileStatus::Modified),
            change("sub/b.yaml", None, FileStatus::Added),
        ]
    );
    assert_eq!(repo.staged_changes().unwrap().len(), 1);
    let blobs = repo
        .read_blobs(
            &[
                BlobSpec::AtRevision {
                    rev: &base,
                    path: "a.yaml",
                },
                BlobSpec::Index { path: "sub/b.yaml" },
            ],
            100,
        )
        .unwrap();
    assert_eq!(blobs[0], Blob::Found(b"a: 1\n".to_vec()));
    assert!(!marker.exists(), "{}", fs::read_to_string(&marker).unwrap());
    // The setup is effective: plain git runs the program.
    write(d, "a.yaml", "a: 333\n");
    git(d, &["diff", "--stat"]);
    assert!(marker.exists());
}

fn found(text: &str) -> Option<Blob> {
    Some(Blob::Found(text.as_bytes().to_vec()))
}

#[test]
fn read_changes_gives_the_base_of_every_change_and_the_staged_content() {
    let (tmp, base) = changed_repo();
    let repo = Repo::discover(tmp.path()).unwrap();
    let changes = repo.worktree_changes(&base).unwrap();
    let contents = repo
        .read_changes(&changes, Some(&base), &NewSide::WorkTree, 1 << 20)
        .unwrap();
    let bases: Vec<Option<Blob>> = contents.iter().map(|c| c.base.clone()).collect();
    assert_eq!(
        bases,
        vec![
            None,
            found("gone: soon\n"),
            found(LONG),
            found("replicas: 1\n"),
            None,
            found("x: 1\n"),
        ]
    );
    assert!(contents.iter().all(|c| c.new.is_none()));
    let staged = repo.staged_changes().unwrap();
    let head = repo.head().unwrap().unwrap();
    let contents = repo
        .read_changes(&staged, Some(&head), &NewSide::Index, 1 << 20)
        .unwrap();
    assert_eq!(
        contents,
        vec![
            Contents {
                base: None,
                new: found("new: staged\n"),
            },
            Contents {
                base: found(LONG),
                new: found(LONG),
            },
        ]
    );
}

#[test]
fn a_partial_clone_without_the_base_blob_is_an_error_not_an_added_file() {
    let origin = new_repo();
    let o = origin.path();
    git(o, &["config", "uploadpack.allowFilter", "true"]);
    write(o, "a.yaml", "a: 1\n");
    let first = commit_all(o, "first");
    write(o, "a.yaml", "a: 2\n");
    commit_all(o, "second");
    let clone = tempfile::tempdir().unwrap();
    let url = file_url(o);
    let target = clone.path().to_str().unwrap();
    git(o, &["clone", "-q", "--filter=blob:none", &url, target]);
    let repo = Repo::discover(clone.path()).unwrap();
    assert!(repo.is_partial_clone().unwrap());
    let base = repo.merge_base(&first).unwrap();
    let changes = repo.worktree_changes(&base).unwrap();
    assert_eq!(
        changes,
        vec![change("a.yaml", Some("a.yaml"), FileStatus::Modified)]
    );
    let err = repo
        .read_changes(&changes, Some(&base), &NewSide::WorkTree, 1024)
        .unwrap_err();
    assert!(
        matches!(
            err,
            GitError::MissingObject {
                partial_clone: true,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("partial clone"), "{err}");
}

/// A `file://` URL for a local repository (`file:///C:/…` on Windows).
fn file_url(path: &Path) -> String {
    let text = path.display().to_string().replace('\\', "/");
    if text.starts_with('/') {
        format!("file://{text}")
    } else {
        format!("file:///{text}")
    }
}
