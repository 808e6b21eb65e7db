//! Scanning what changed: the files that differ between the merge-base of a
//! revision and the work tree (`--base`), or between HEAD and the index
//! (`--staged`), or between the merge-base and a head commit (`--head`),
//! parsed at both ends, classified and diffed. Only changed
//! files are read, so the cost grows with the change, not the repository.

mod commit;
mod extra;
mod link;
mod open;
pub mod pair;

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diff::Change;
use crate::discover::{self, Candidate};
use crate::findings::{Code, Finding, Severity};
use crate::formats::FileHint;
use crate::git::{Blob, Contents, FileChange, FileStatus, NewSide};
use crate::scan::{self, FileScan, ScanRequest};
use crate::setting::{Pos, Span};
pub use open::{Mode, Revisions, open};
pub use pair::{End, Judges};

/// One changed file, read at both ends.
#[derive(Debug)]
pub struct ChangedFile {
    /// The new version, classified (no settings when the file was deleted).
    pub new: FileScan,
    /// The new text, for snippets (from the index in staged mode).
    pub new_text: Option<String>,
    /// The settings that changed.
    pub changes: Vec<Change>,
    /// Findings about the changes, judged at both ends.
    pub findings: Vec<Finding>,
}

/// Everything read for a base or staged run.
#[derive(Debug, Default)]
pub struct ChangeScan {
    /// Changed files in path order.
    pub files: Vec<ChangedFile>,
    /// Changed paths that could not be read at all (a link out of the repository).
    pub problems: Vec<Finding>,
    /// The commit the change is compared with (`None` before the first commit).
    pub base: Option<String>,
}

/// An error about a changed file that is not read.
pub fn unread(rel: &str, why: &str) -> Finding {
    let mut f = Finding::at(
        Code::FileSkipped,
        Arc::from(rel),
        Span::at(Pos::new(1, 1)),
        format!("changed file not read: {why}"),
    );
    f.severity = Severity::Error;
    f
}

/// Reads the changes listed in `revs` within the paths of `request` (under
/// its root, the workspace root), judged by `judges`, with the walk options
/// and limits of `request`.
pub fn scan_changes(
    revs: &Revisions,
    request: &ScanRequest,
    judges: &Judges<'_, '_>,
) -> anyhow::Result<ChangeScan> {
    let repo = &revs.repo;
    let root = repo.root().to_path_buf();
    let (base, listed, side) = (revs.base.clone(), revs.listed.clone(), &revs.side);
    // The head commit's tree: its symlinks, charts and files (no work tree).
    let tree = revs.tree.as_ref();
    // Against the workspace root, canonical like the requested paths: git
    // prints its top-level folder as `C:/…` on Windows, which no canonical
    // (`\\?\C:\…`) path starts with.
    let ws_root = &request.root;
    let within = |rel: &str| {
        let abs = ws_root.join(rel);
        request
            .paths
            .iter()
            .any(|p| abs.starts_with(p) || p == ws_root)
    };
    let mut problems = Vec::new();
    let listed = split_kind_changing_renames(listed);
    let known: HashSet<&str> = listed.iter().map(|c| c.path.as_str()).collect();
    // A renamed chart changes what its unchanged values files are.
    let governed: Vec<FileChange> = extra::chart_governed(repo, &listed, &known, tree)?;
    // (what to read, the file it is reported as, the base path it is judged at)
    let mut changes: Vec<(FileChange, Candidate, Option<String>)> = Vec::new();
    for (change, pulled) in listed
        .iter()
        .map(|c| (c, false))
        .chain(governed.iter().map(|c| (c, true)))
    {
        if !within(&change.path) {
            continue;
        }
        if let Some(tree) = tree {
            match tree.candidate(change, &request.walk) {
                Some(Ok((read, c))) if !pulled || c.hint.values => changes.push((read, c, None)),
                Some(Err(why)) => problems.push(unread(&change.path, &why)),
                _ => {}
            }
        } else if let Some(c) = discover::candidate_for(&root, &change.path, &request.walk) {
            if !pulled || c.hint.values {
                changes.push((change.clone(), c, None));
            }
        } else if change.has_new() && *side == NewSide::WorkTree {
            if let Some(why) = discover::unreadable_link(&root, &change.path) {
                problems.push(unread(&change.path, &why));
            }
        }
    }
    // A tracked symlink stands for its target: the target's change is its change.
    let stand_ins = if listed.is_empty() {
        Vec::new()
    } else {
        extra::link_stand_ins(repo, side, &listed, &revs.links, tree)?
    };
    for (link, target) in stand_ins {
        if known.contains(link.as_str()) || !within(&link) {
            continue;
        }
        let candidate = match tree {
            Some(tree) => tree.stand_in(&link, &request.walk),
            None => discover::candidate_for(&root, &link, &request.walk),
        };
        if let Some(c) = candidate {
            let base_as = target.base_path.as_ref().map(|_| link.clone());
            changes.push((target, c, base_as));
        }
    }
    problems.extend(extra::submodules(&revs.gitlinks, judges.base));
    changes.sort_by(|a, b| a.1.rel.cmp(&b.1.rel));
    let list: Vec<FileChange> = changes.iter().map(|(c, _, _)| c.clone()).collect();
    let judged_base = |(c, _, as_): &(FileChange, Candidate, Option<String>)| -> Option<String> {
        as_.clone().or_else(|| c.base_path.clone())
    };
    // The charts that govern each end, read by the process that reads the files.
    let base_paths: Vec<String> = changes.iter().filter_map(judged_base).collect();
    let base_charts = extra::ChartFiles::of(
        base_paths.iter().map(String::as_str),
        base.as_deref().map(extra::At::Revision),
    );
    let at = match side {
        NewSide::Index => Some(extra::At::Index),
        NewSide::Commit(head) => Some(extra::At::Revision(head)),
        NewSide::WorkTree => None,
    };
    let new_charts = extra::ChartFiles::of(changes.iter().map(|(_, c, _)| &*c.rel), at);
    let mut charts = base_charts.specs();
    let base_count = charts.len();
    charts.extend(new_charts.specs());
    let (contents, chart_blobs) = repo.read_changes_and(
        &list,
        base.as_deref(),
        side,
        request.limits.max_file_bytes,
        &charts,
    )?;
    let mut chart_blobs = chart_blobs.into_iter();
    let base_charts = base_charts.infos(chart_blobs.by_ref().take(base_count));
    let new_charts = at.map(|_| new_charts.infos(chart_blobs));
    let files = changes
        .par_iter()
        .zip(contents.into_par_iter())
        .map(|(item, contents)| {
            let (change, candidate, _) = item;
            let base_rel = judged_base(item);
            let base_hint = base_rel
                .as_deref()
                .map(|p| discover::hint_for(p, candidate.kind, &base_charts, &request.walk));
            let new_hint = match &new_charts {
                Some(charts) => {
                    discover::hint_for(&candidate.rel, candidate.kind, charts, &request.walk)
                }
                None => candidate.hint.clone(),
            };
            read_pair(
                change,
                candidate,
                contents,
                side,
                request,
                judges,
                (base_rel, base_hint.unwrap_or_default(), new_hint),
            )
        })
        .collect();
    Ok(ChangeScan {
        files,
        problems,
        base,
    })
}

/// A rename that changes the file kind (`.yaml` → `.tf`) is a deletion and an addition.
fn split_kind_changing_renames(listed: Vec<FileChange>) -> Vec<FileChange> {
    let mut out = Vec::with_capacity(listed.len());
    for c in listed {
        let changes_kind = c.status == FileStatus::Renamed
            && c.base_path.as_deref().map(discover::kind_of) != Some(discover::kind_of(&c.path));
        if changes_kind {
            let old = c.base_path.clone().unwrap_or_default();
            out.push(FileChange {
                path: old.clone(),
                base_path: Some(old),
                status: FileStatus::Deleted,
            });
            out.push(FileChange {
                path: c.path,
                base_path: None,
                status: FileStatus::Added,
            });
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads both ends of one changed file and judges it.
fn read_pair(
    change: &FileChange,
    candidate: &Candidate,
    contents: Contents,
    side: &NewSide,
    request: &ScanRequest,
    judges: &Judges<'_, '_>,
    (base_rel, base_hint, new_hint): (Option<String>, FileHint, FileHint),
) -> ChangedFile {
    let rel = &candidate.rel;
    let max = request.limits.max_file_bytes;
    let mut errors = Vec::new();
    let base_bytes = match contents.base {
        Some(Blob::Found(b)) => Some(b),
        Some(Blob::TooLarge(size)) => {
            errors.push(unread(
                rel,
                &format!(
                    "the base version is {size} bytes, over the {max} byte limit, so what the \
                     change removed is not judged"
                ),
            ));
            None
        }
        _ => None,
    };
    let new_bytes = if !change.has_new() {
        Ok(None)
    } else if *side != NewSide::WorkTree {
        match contents.new {
            Some(Blob::Found(b)) => Ok(Some(b)),
            Some(Blob::TooLarge(size)) => Err(format!(
                "file is {size} bytes, over the {max} byte limit; not read"
            )),
            _ if *side == NewSide::Index => {
                Err("the staged file is not a file; not read".to_string())
            }
            _ => Err("at the head revision it is not a file; not read".to_string()),
        }
    } else {
        scan::read_capped(&candidate.abs, max).map(Some)
    };
    let new_bytes = match new_bytes {
        Ok(b) => b,
        Err(why) => {
            // The new end cannot be read: nothing is judged from it (its
            // settings would all look removed), and the run fails.
            errors.push(unread(rel, &why));
            return ChangedFile {
                new: scan::parse_bytes(rel, candidate.kind, &new_hint, Vec::new(), &request.limits),
                new_text: None,
                changes: Vec::new(),
                findings: errors,
            };
        }
    };
    let base_rel: Arc<str> = base_rel.map_or_else(|| Arc::clone(rel), Arc::from);
    let judged = pair::judge(
        candidate.kind,
        End {
            rel: base_rel,
            hint: base_hint,
            bytes: base_bytes,
        },
        End {
            rel: Arc::clone(rel),
            hint: new_hint,
            bytes: new_bytes,
        },
        judges,
    );
    let mut findings = judged.findings;
    findings.extend(errors);
    ChangedFile {
        new: judged.new,
        new_text: judged.new_text,
        changes: judged.changes,
        findings,
    }
}

impl ChangedFile {
    /// The repository-relative path.
    pub fn rel(&self) -> &Arc<str> {
        &self.new.rel
    }
}
