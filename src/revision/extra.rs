//! What a change touches without naming it: the values files a changed
//! `Chart.yaml` governs (their chart association changed, their text did
//! not), the tracked symlinks that stand for a changed file, and submodule
//! bumps.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use super::link::{dir_of, resolve};
use crate::discover;
use crate::findings::{Code, Finding, Severity};
use crate::formats::chart::ChartInfo;
use crate::git::{Blob, BlobSpec, Entry, FileChange, FileStatus, GitlinkChange, NewSide, Repo};
use crate::models::Models;
use crate::setting::{Pos, Span};

/// Whether a path names a `Chart.yaml`.
fn is_chart(path: &str) -> bool {
    path.rsplit('/').next() == Some("Chart.yaml")
}

/// Files whose chart may have changed with a `Chart.yaml` in `listed`
/// (its folder and the folders one level below), not already in `known`,
/// as unchanged files to be judged at both ends.
pub(super) fn chart_governed(
    repo: &Repo,
    listed: &[FileChange],
    known: &HashSet<&str>,
    tree: Option<&super::commit::Tree>,
) -> anyhow::Result<Vec<FileChange>> {
    let dirs: BTreeSet<String> = listed
        .iter()
        .flat_map(|c| [Some(c.path.as_str()), c.base_path.as_deref()])
        .flatten()
        .filter(|p| is_chart(p))
        .map(|p| dir_of(p).to_string())
        .collect();
    if dirs.is_empty() {
        return Ok(Vec::new());
    }
    let dirs: Vec<String> = dirs.into_iter().collect();
    let governed = match tree {
        Some(tree) => tree.files_under(&dirs),
        None => repo.tracked_under(&dirs)?,
    };
    Ok(governed
        .into_iter()
        .filter(|p| !known.contains(p.as_str()) && !is_chart(p))
        .filter(|p| {
            // `chart_near`: the file's folder or the one above holds the chart.
            let d = dir_of(p);
            dirs.iter()
                .any(|c| d == c || dir_of(d) == c && !d.is_empty())
        })
        .map(|p| FileChange {
            base_path: Some(p.clone()),
            path: p,
            status: FileStatus::Modified,
        })
        .collect())
}

/// Tracked symlinks inside the repository whose target is a changed file
/// (of the head commit's `tree`, else of the index's `links`): each gives
/// (the link's path, the target's change), so that the target's change is
/// judged as a change to the file the link stands for.
pub(super) fn link_stand_ins(
    repo: &Repo,
    side: &NewSide,
    changed: &[FileChange],
    links: &[Entry],
    tree: Option<&super::commit::Tree>,
) -> anyhow::Result<Vec<(String, FileChange)>> {
    if let Some(tree) = tree {
        return Ok(tree.stand_ins(changed));
    }
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let targets: Vec<Option<String>> = match side {
        NewSide::WorkTree => links
            .iter()
            .map(|l| {
                std::fs::read_link(repo.root().join(&l.path))
                    .ok()
                    .and_then(|t| t.to_str().map(str::to_string))
            })
            .collect(),
        // A commit's links are read from its tree (`tree` above).
        NewSide::Index | NewSide::Commit(_) => {
            let specs: Vec<BlobSpec<'_>> = links
                .iter()
                .map(|l| BlobSpec::Index { path: &l.path })
                .collect();
            repo.read_blobs(&specs, 4096)?
                .into_iter()
                .map(|b| match b {
                    Blob::Found(bytes) => String::from_utf8(bytes).ok(),
                    _ => None,
                })
                .collect()
        }
    };
    let mut out = Vec::new();
    for (link, target) in links.iter().zip(targets) {
        let Some(target) = target.and_then(|t| resolve(&link.path, &t)) else {
            continue;
        };
        if let Some(c) = changed.iter().find(|c| c.path == target) {
            out.push((link.path.clone(), c.clone()));
        }
    }
    Ok(out)
}

/// Findings for submodules whose commit changed between the ends (`links`,
/// listed when the run opened): a note, an error when a `scopes:` entry of
/// `models` covers the path.
pub(super) fn submodules(links: &[GitlinkChange], models: &Models<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for link in links {
        let what = match (&link.before, &link.after) {
            (Some(b), Some(a)) => format!("moved from commit {b} to {a}"),
            (None, Some(a)) => format!("added at commit {a}"),
            (Some(b), None) => format!("removed (was at commit {b})"),
            (None, None) => continue,
        };
        let scoped = models
            .for_file(&link.path)
            .and_then(|i| models.entries().get(i))
            .filter(|e| e.paths.is_some())
            .map(|e| e.model.pack.name.clone());
        let mut message = format!(
            "submodule `{}` {what}; demarcate does not read inside submodules",
            link.path
        );
        if let Some(name) = &scoped {
            message.push_str(&format!(
                ", and its path is in the {name} scope: review the new commit with the vendor"
            ));
        }
        let mut f = Finding::at(
            Code::SubmoduleChange,
            Arc::from(link.path.as_str()),
            Span::at(Pos::new(1, 1)),
            message,
        );
        f.before.clone_from(&link.before);
        f.after.clone_from(&link.after);
        if scoped.is_some() {
            f.severity = Severity::Error;
        }
        out.push(f);
    }
    out
}

/// Most bytes read of a `Chart.yaml` at a revision (for its name).
const CHART_MAX_BYTES: u64 = 1024 * 1024;

/// Where a blob is read: a commit or the index.
#[derive(Debug, Clone, Copy)]
pub(super) enum At<'a> {
    Revision(&'a str),
    Index,
}

/// The `Chart.yaml` files that can govern `paths`, read at one end: each
/// folder with the path of its `Chart.yaml`, and where that is read.
pub(super) struct ChartFiles<'a> {
    files: Vec<(String, String)>,
    at: Option<At<'a>>,
}

impl<'a> ChartFiles<'a> {
    /// The charts of the folders that can govern `paths`, at `at` (`None`:
    /// nothing is read there).
    pub(super) fn of<'p>(paths: impl Iterator<Item = &'p str>, at: Option<At<'a>>) -> Self {
        let dirs: BTreeSet<String> = match at {
            Some(_) => paths.flat_map(discover::chart_dirs).collect(),
            None => BTreeSet::new(),
        };
        let files = dirs
            .into_iter()
            .map(|d| {
                let file = if d.is_empty() {
                    "Chart.yaml".to_string()
                } else {
                    format!("{d}/Chart.yaml")
                };
                (d, file)
            })
            .collect();
        ChartFiles { files, at }
    }

    /// The blobs to read, each with its limit.
    pub(super) fn specs(&self) -> Vec<(BlobSpec<'_>, u64)> {
        let Some(at) = self.at else {
            return Vec::new();
        };
        self.files
            .iter()
            .map(|(_, path)| {
                let spec = match at {
                    At::Revision(rev) => BlobSpec::AtRevision { rev, path },
                    At::Index => BlobSpec::Index { path },
                };
                (spec, CHART_MAX_BYTES)
            })
            .collect()
    }

    /// What each chart says (name and dependencies), from the blobs read
    /// for [`ChartFiles::specs`], in order.
    pub(super) fn infos(self, blobs: impl Iterator<Item = Blob>) -> HashMap<String, ChartInfo> {
        self.files
            .into_iter()
            .zip(blobs)
            .filter_map(|((dir, _), blob)| match blob {
                Blob::Found(b) => {
                    let info = ChartInfo::parse(std::str::from_utf8(&b).ok()?)?;
                    Some((dir, info))
                }
                _ => None,
            })
            .collect()
    }
}
