//! Git and diff together, as `lint --base` and `lint --staged` use them:
//! list the changed files, read their base (and staged) contents with one
//! `cat-file`, parse both ends under the new path, and diff the settings.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use demarcate::diff::{self, Change, ChangeKind};
use demarcate::discover;
use demarcate::formats::FileHint;
use demarcate::git::{Blob, NewSide, Repo};
use demarcate::limits::Limits;
use demarcate::scan;
use demarcate::setting::Setting;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn settings(rel: &str, bytes: Vec<u8>) -> Vec<Setting> {
    let name = rel.rsplit('/').next().unwrap();
    let hint = FileHint {
        values: discover::is_values_name(name),
        chart: None,
        ..Default::default()
    };
    let kind = discover::kind_of(name).unwrap();
    scan::parse_bytes(&Arc::from(rel), kind, &hint, bytes, &Limits::default()).settings
}

/// Every change of every changed YAML/Terraform file, as `(file, change)`.
fn lint(repo: &Repo, base_rev: Option<&str>, new_side: NewSide) -> Vec<(String, Change)> {
    let (changes, base) = match (&new_side, base_rev) {
        (NewSide::WorkTree, Some(rev)) => {
            let base = repo.merge_base(rev).unwrap();
            (repo.worktree_changes(&base).unwrap(), Some(base))
        }
        _ => (repo.staged_changes().unwrap(), repo.head().unwrap()),
    };
    let changes: Vec<_> = changes
        .into_iter()
        .filter(|c| discover::kind_of(&c.path).is_some())
        .collect();
    let contents = repo
        .read_changes(&changes, base.as_deref(), &new_side, 1 << 20)
        .unwrap();
    let mut out = Vec::new();
    for (change, content) in changes.iter().zip(contents) {
        let bytes = |blob: Option<Blob>| match blob {
            Some(Blob::Found(bytes)) => Some(bytes),
            _ => None,
        };
        // Both ends are parsed under the new path.
        let before = bytes(content.base).map_or_else(Vec::new, |b| settings(&change.path, b));
        let new_bytes = match new_side {
            NewSide::Index | NewSide::Commit(_) => bytes(content.new),
            NewSide::WorkTree => fs::read(repo.root().join(&change.path)).ok(),
        };
        let after = new_bytes.map_or_else(Vec::new, |b| settings(&change.path, b));
        for c in diff::diff(&before, &after) {
            out.push((change.path.clone(), c));
        }
    }
    out
}

fn lines(found: &[(String, Change)]) -> Vec<String> {
    found
        .iter()
        .map(|(file, c)| {
            let kind = match c.kind {
                ChangeKind::Added => "added",
                ChangeKind::Modified => "modified",
                ChangeKind::Removed => "removed",
            };
            let s = c.setting().unwrap();
            format!("{file}:{} {kind} {}", c.span.start.line, s.path)
        })
        .collect()
}

/// Long enough that git still sees a rename after the edits below.
const STABLE: &str = "cluster:\n  clusterName: edge\n  network:\n    dnsDomain: cluster.local\n    podSubnets: [10.244.0.0/16]\n    serviceSubnets: [10.96.0.0/12]\n  proxy:\n    disabled: true\n";
const TALOS: &str = "version: v1alpha1\nmachine:\n  install:\n    extensions:\n      - image: ghcr.io/siderolabs/edgehostlet:v1.7.1\n";

#[test]
fn base_and_staged_modes_report_semantic_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    git(d, &["init", "-q", "-b", "main"]);
    fs::create_dir_all(d.join("talos")).unwrap();
    fs::write(
        d.join("talos/control plane.yaml"),
        format!("{TALOS}{STABLE}"),
    )
    .unwrap();
    fs::write(d.join("values.yaml"), "replicas: 1\n").unwrap();
    fs::write(d.join("README.md"), "docs\n").unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "base"]);
    git(d, &["checkout", "-q", "-b", "change"]);
    // Renamed, reformatted and bumped; staged.
    fs::create_dir_all(d.join("cluster")).unwrap();
    git(
        d,
        &["mv", "talos/control plane.yaml", "cluster/contrôle.yaml"],
    );
    let bumped = "version: v1alpha1\nmachine:\n  install:\n    extensions: [{image: \"ghcr.io/siderolabs/edgehostlet:v1.8.0\"}]\n";
    fs::write(d.join("cluster/contrôle.yaml"), format!("{bumped}{STABLE}")).unwrap();
    git(d, &["add", "-A"]);
    // Not staged: a comment, and a deleted values file.
    fs::write(
        d.join("cluster/contrôle.yaml"),
        format!("# note\n{bumped}{STABLE}"),
    )
    .unwrap();
    fs::remove_file(d.join("values.yaml")).unwrap();
    fs::write(d.join("README.md"), "more docs\n").unwrap();

    let repo = Repo::discover(d).unwrap();
    assert_eq!(
        lines(&lint(&repo, Some("main"), NewSide::WorkTree)),
        vec![
            "cluster/contrôle.yaml:5 modified machine.install.extensions[0].image",
            "values.yaml:1 removed replicas",
        ]
    );
    assert_eq!(
        lines(&lint(&repo, None, NewSide::Index)),
        vec!["cluster/contrôle.yaml:4 modified machine.install.extensions[0].image"]
    );
}
