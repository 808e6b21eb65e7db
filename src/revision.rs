//! Scanning what changed: the files that differ between the merge-base of a
//! revision and the work tree (`--base`), or between HEAD and the index
//! (`--staged`), parsed at both ends, classified and diffed. Only changed
//! files are read, so the cost grows with the change, not the repository.

use std::sync::Arc;

use rayon::prelude::*;

use crate::diff::{self, Change};
use crate::discover::{self, Candidate};
use crate::git::{Blob, Contents, FileChange, FileStatus, NewSide, Repo};
use crate::models::Models;
use crate::scan::{self, FileScan};
use crate::session::Session;

/// Which revisions are compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The merge-base of this revision and HEAD, against the work tree.
    Base(String),
    /// HEAD against the index.
    Staged,
}

/// One changed file, read at both ends.
#[derive(Debug)]
pub struct ChangedFile {
    /// The new version, classified (no settings when the file was deleted).
    pub new: FileScan,
    /// The new text, for snippets (from the index in staged mode).
    pub new_text: Option<String>,
    /// The settings that changed.
    pub changes: Vec<Change>,
}

/// Everything read for a base or staged run.
#[derive(Debug, Default)]
pub struct ChangeScan {
    /// Changed files in path order.
    pub files: Vec<ChangedFile>,
}

/// Reads the changes of `mode` within the session's paths.
pub fn scan_changes(
    session: &Session,
    models: &Models<'_>,
    mode: &Mode,
) -> anyhow::Result<ChangeScan> {
    let repo = Repo::discover(&session.ws.root)?;
    let root = repo.root().to_path_buf();
    let (base, listed, side) = match mode {
        Mode::Base(rev) => {
            let base = repo.merge_base(rev)?;
            let listed = repo.worktree_changes(&base)?;
            (Some(base), listed, NewSide::WorkTree)
        }
        Mode::Staged => (repo.head()?, repo.staged_changes()?, NewSide::Index),
    };
    // Against the workspace root, canonical like the requested paths: git
    // prints its top-level folder as `C:/…` on Windows, which no canonical
    // (`\\?\C:\…`) path starts with.
    let ws_root = &session.ws.root;
    let within = |rel: &str| {
        let abs = ws_root.join(rel);
        session
            .request
            .paths
            .iter()
            .any(|p| abs.starts_with(p) || p == ws_root)
    };
    let mut changes: Vec<(FileChange, Candidate)> = Vec::new();
    for change in split_kind_changing_renames(listed) {
        if !within(&change.path) {
            continue;
        }
        if let Some(c) = discover::candidate_for(&root, &change.path, &session.request.walk) {
            changes.push((change, c));
        }
    }
    changes.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let list: Vec<FileChange> = changes.iter().map(|(c, _)| c.clone()).collect();
    let contents = repo.read_changes(
        &list,
        base.as_deref(),
        side,
        session.request.limits.max_file_bytes,
    )?;
    let limits = &session.request.limits;
    let files = changes
        .par_iter()
        .zip(contents.into_par_iter())
        .map(|((change, candidate), contents)| {
            read_pair(change, candidate, contents, side, limits, models)
        })
        .collect();
    Ok(ChangeScan { files })
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

/// Bytes of a blob, or a note for the new side when it cannot be read.
fn bytes(
    blob: Option<Blob>,
    rel: &str,
    max: u64,
    notes: &mut Vec<crate::findings::Finding>,
) -> Option<Vec<u8>> {
    match blob? {
        Blob::Found(b) => Some(b),
        Blob::TooLarge(size) => {
            notes.push(discover::skip_note(
                rel,
                format!("file is {size} bytes, over the {max} byte limit; not read"),
            ));
            None
        }
        Blob::Missing | Blob::NotBlob => None,
    }
}

fn read_pair(
    change: &FileChange,
    candidate: &Candidate,
    contents: Contents,
    side: NewSide,
    limits: &crate::limits::Limits,
    models: &Models<'_>,
) -> ChangedFile {
    let rel = &candidate.rel;
    let mut notes = Vec::new();
    let mut base_notes = Vec::new();
    let base_bytes = bytes(contents.base, rel, limits.max_file_bytes, &mut base_notes);
    let new_bytes = if !change.has_new() {
        None
    } else if side == NewSide::Index {
        bytes(contents.new, rel, limits.max_file_bytes, &mut notes)
    } else {
        match scan::read_capped(&candidate.abs, limits.max_file_bytes) {
            Ok(b) => Some(b),
            Err(message) => {
                notes.push(discover::skip_note(rel, message));
                None
            }
        }
    };
    let parse = |bytes: Option<Vec<u8>>| match bytes {
        Some(b) => scan::parse_bytes(rel, candidate.kind, &candidate.hint, b, limits),
        None => scan::parse_bytes(rel, candidate.kind, &candidate.hint, Vec::new(), limits),
    };
    let new_text = new_bytes
        .as_ref()
        .and_then(|b| String::from_utf8(b.clone()).ok());
    // Both ends are parsed under the new path, so settings name the file reported.
    // Only the new side is classified: its model judges the changes, and
    // its settings settle the file's allowances.
    // Allowances carried over unchanged approve only what they approved then.
    let carried = crate::allow::base_comments(base_bytes.as_deref());
    let base = parse(base_bytes);
    let mut new = parse(new_bytes);
    crate::allow::mark_carried(&mut new.allowances, &carried);
    new.classify(models);
    new.problems.extend(notes);
    let changes = diff::diff(&base.settings, &new.settings);
    ChangedFile {
        new,
        new_text,
        changes,
    }
}

impl ChangedFile {
    /// The repository-relative path.
    pub fn rel(&self) -> &Arc<str> {
        &self.new.rel
    }
}
