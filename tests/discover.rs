//! Repository walk: ignore rules, skipped folders, symlinks and size limits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use support::files::write;

use demarcate::discover::{self, WalkOptions};

fn walk(root: &Path, max: u64) -> discover::Discovery {
    let opts = WalkOptions {
        max_file_bytes: max,
        ..WalkOptions::default()
    };
    discover::walk(root, &[root.to_path_buf()], &opts)
}

fn listed(d: &discover::Discovery) -> Vec<&str> {
    d.files.iter().map(|f| &*f.rel).collect()
}

#[test]
fn walk_honours_gitignore_and_skips_tool_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "generated/\n*.secret.yaml\n");
    write(root, "generated/out.yaml", "a: 1\n");
    write(root, "prod.secret.yaml", "a: 1\n");
    write(root, ".terraform/modules/x/main.tf", "");
    write(root, ".git/config.yaml", "a: 1\n");
    write(root, "node_modules/p/values.yaml", "a: 1\n");
    write(root, "chart/Chart.yaml", "apiVersion: v2\nname: halo\n");
    write(
        root,
        "chart/templates/deploy.yaml",
        "kind: {{ .Values.kind }}\n",
    );
    write(root, "chart/values.yaml", "a: 1\n");
    write(root, "other/templates/config.yaml", "machine: {}\n");
    write(root, "main.tf", "");
    write(root, "prod.tfvars", "");
    write(root, "README.md", "");
    let d = walk(root, 1 << 20);
    assert_eq!(
        listed(&d),
        vec![
            "chart/values.yaml",
            "main.tf",
            "other/templates/config.yaml",
            "prod.tfvars"
        ]
    );
    let values = &d.files[0];
    assert!(values.hint.values);
    assert_eq!(values.hint.chart.as_deref(), Some("halo"));
}

#[test]
fn oversized_files_are_noted_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "big.yaml", &"a: 1\n".repeat(100));
    write(dir.path(), "small.yaml", "a: 1\n");
    let d = walk(dir.path(), 100);
    assert_eq!(listed(&d), vec!["small.yaml"]);
    assert_eq!(d.skipped.len(), 1);
    assert_eq!(d.skipped[0].code.as_str(), "file-skipped");
    assert_eq!(&*d.skipped[0].file, "big.yaml");
    assert!(d.skipped[0].message.contains("over the 100 byte limit"));
}

#[cfg(unix)]
#[test]
fn symlinks_never_leave_the_root() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.yaml", "machine: {type: worker}\n");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "real/values.yaml", "a: 1\n");
    symlink(outside.path().join("secret.yaml"), root.join("escape.yaml")).unwrap();
    symlink(outside.path(), root.join("escape-dir")).unwrap();
    symlink(root.join("real/values.yaml"), root.join("values-link.yaml")).unwrap();
    symlink(root.join("loop-a.yaml"), root.join("loop-b.yaml")).unwrap();
    symlink(root.join("loop-b.yaml"), root.join("loop-a.yaml")).unwrap();
    symlink(root, root.join("real/self")).unwrap();
    let d = walk(root, 1 << 20);
    assert_eq!(listed(&d), vec!["real/values.yaml", "values-link.yaml"]);
    let notes: Vec<(&str, &str)> = d
        .skipped
        .iter()
        .map(|f| (&*f.file, f.message.as_str()))
        .collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(
        notes
            .iter()
            .any(|(f, m)| *f == "escape.yaml" && m.contains("outside the repository"))
    );
    assert!(
        notes
            .iter()
            .any(|(f, m)| *f == "loop-a.yaml" && m.contains("cannot be resolved"))
    );
    assert!(
        notes
            .iter()
            .any(|(f, m)| *f == "loop-b.yaml" && m.contains("cannot be resolved"))
    );
}

#[test]
fn values_globs_from_configuration_mark_files_with_their_chart() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "halo/prod.yaml", "a: 1\n");
    let glob = globset::Glob::new("halo/*.yaml").unwrap().compile_matcher();
    let opts = WalkOptions {
        max_file_bytes: 1 << 20,
        values: vec![(glob, Some("cdrplatform-engine".to_string()))],
        ..WalkOptions::default()
    };
    let d = discover::walk(dir.path(), &[dir.path().to_path_buf()], &opts);
    assert!(d.files[0].hint.values);
    assert_eq!(d.files[0].hint.chart.as_deref(), Some("cdrplatform-engine"));
}

#[test]
fn a_single_changed_file_gets_the_walks_filters_and_hints() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "chart/Chart.yaml", "apiVersion: v2\nname: halo\n");
    write(root, "chart/values-prod.yaml", "a: 1\n");
    write(root, "chart/templates/x.yaml", "a: 1\n");
    let opts = WalkOptions {
        max_file_bytes: 1 << 20,
        ignore: Some(
            globset::GlobSetBuilder::new()
                .add(globset::Glob::new("gen/**").unwrap())
                .build()
                .unwrap(),
        ),
        ..WalkOptions::default()
    };
    let c = discover::candidate_for(root, "chart/values-prod.yaml", &opts).unwrap();
    assert!(c.hint.values);
    assert_eq!(c.hint.chart.as_deref(), Some("halo"));
    assert!(discover::candidate_for(root, "chart/templates/x.yaml", &opts).is_none());
    assert!(discover::candidate_for(root, "gen/out.yaml", &opts).is_none());
    assert!(discover::candidate_for(root, ".terraform/m/main.tf", &opts).is_none());
    assert!(discover::candidate_for(root, "README.md", &opts).is_none());
    assert!(discover::candidate_for(root, ".demarcate.yaml", &opts).is_none());
    // A deleted file is still a candidate: its old version is read from git.
    assert!(discover::candidate_for(root, "gone/main.tf", &opts).is_some());
}
