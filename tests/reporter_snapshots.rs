//! Every reporter's whole output (human without color, JSON, SARIF, GitHub
//! annotations, Markdown) for one tree-mode run and one `--base` run over the
//! fixture repository of tests/support/showcase.rs, pinned as insta
//! snapshots (tests/snapshots/reporter_snapshots__*.snap). The tool version
//! and any temporary path are replaced (`[version]`, `[repo]`), so the
//! snapshots do not change with a release or a machine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::gitrepo::GitRepo;
use support::showcase::{self, Mode};

/// The output of `lint --format FORMAT` in `mode`, made stable.
fn output(repo: &GitRepo, mode: Mode, format: &str) -> String {
    let out = showcase::lint(repo, mode, format);
    assert!(
        out.stderr.is_empty(),
        "{mode:?} {format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut text = String::from_utf8(out.stdout).unwrap();
    for root in [repo.dir().to_path_buf(), repo.dir().canonicalize().unwrap()] {
        text = text.replace(&*root.to_string_lossy(), "[repo]");
    }
    let tmp = std::env::temp_dir();
    assert!(!text.contains(&*tmp.to_string_lossy()), "{text}");
    text.replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[version]\"",
    )
}

/// The five reporters of one mode, each its own snapshot.
fn snapshots(mode: Mode, prefix: &str) {
    let repo = showcase::repo();
    for format in ["human", "json", "sarif", "github", "markdown"] {
        insta::assert_snapshot!(format!("{prefix}_{format}"), output(&repo, mode, format));
    }
}

#[test]
fn tree_mode_reporters() {
    snapshots(Mode::Tree, "tree");
}

#[test]
fn base_mode_reporters() {
    snapshots(Mode::Base, "base");
}
