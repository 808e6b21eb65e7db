//! The contents of changed files at both ends, read with one `cat-file`
//! process: the base blob of every change that has one, and the staged blob
//! when the new side is the index (the work tree is read by the caller).

use super::{Blob, BlobSpec, FileChange, GitError, Repo};

/// Where the new content of a change comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewSide {
    /// The files on disk (`lint --base`): read by the caller, not here.
    WorkTree,
    /// The index, stage 0 (`lint --staged`).
    Index,
    /// A commit, by its full object id (`lint --base REV --head REV2`).
    Commit(String),
}

/// The content of one changed file at both ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// At the base: `None` when the file is new (or there is no base commit).
    pub base: Option<Blob>,
    /// Content at the new end for [`NewSide::Index`] and
    /// [`NewSide::Commit`]: `None` when deleted, or when the new side is the
    /// work tree.
    pub new: Option<Blob>,
}

impl Repo {
    /// Reads the contents of `changes` (as listed by
    /// [`Repo::worktree_changes`] or [`Repo::staged_changes`]): the base
    /// blob at commit `base` under the change's base path, and the staged
    /// blob for [`NewSide::Index`] (the head commit's for [`NewSide::Commit`]).
    /// One result per change, in order.
    ///
    /// A base blob that git listed but cannot produce is an error, not a
    /// missing file: in a partial clone (`--filter=blob:none`) blobs are not
    /// fetched on demand here, since fetching would run programs the
    /// repository's configuration names (`core.sshCommand`, credential helpers).
    pub fn read_changes(
        &self,
        changes: &[FileChange],
        base: Option<&str>,
        new: &NewSide,
        max_bytes: u64,
    ) -> Result<Vec<Contents>, GitError> {
        Ok(self.read_changes_and(changes, base, new, max_bytes, &[])?.0)
    }

    /// As [`Repo::read_changes`], and the blobs of `extra` (each with its
    /// limit) read by the same process, in order.
    pub fn read_changes_and(
        &self,
        changes: &[FileChange],
        base: Option<&str>,
        new: &NewSide,
        max_bytes: u64,
        extra: &[(BlobSpec<'_>, u64)],
    ) -> Result<(Vec<Contents>, Vec<Blob>), GitError> {
        let mut specs = Vec::new();
        // For each change: the positions of its base and new blobs in `specs`.
        let mut slots = Vec::with_capacity(changes.len());
        for change in changes {
            let base_slot = match (base, change.base_path.as_deref()) {
                (Some(rev), Some(path)) => {
                    specs.push(BlobSpec::AtRevision { rev, path });
                    Some(specs.len() - 1)
                }
                _ => None,
            };
            let new_slot = match new {
                NewSide::Index if change.has_new() => {
                    specs.push(BlobSpec::Index { path: &change.path });
                    Some(specs.len() - 1)
                }
                NewSide::Commit(rev) if change.has_new() => {
                    specs.push(BlobSpec::AtRevision {
                        rev,
                        path: &change.path,
                    });
                    Some(specs.len() - 1)
                }
                _ => None,
            };
            slots.push((base_slot, new_slot));
        }
        let own = specs.len();
        let mut capped: Vec<(BlobSpec<'_>, u64)> =
            specs.into_iter().map(|s| (s, max_bytes)).collect();
        capped.extend_from_slice(extra);
        let mut all = self.read_blobs_capped(&capped)?;
        let extra_blobs = all.split_off(own);
        let mut blobs: Vec<Option<Blob>> = all.into_iter().map(Some).collect();
        let mut out = Vec::with_capacity(changes.len());
        for (change, (base_slot, new_slot)) in changes.iter().zip(slots) {
            let base_blob = base_slot.and_then(|i| blobs[i].take());
            if base_blob == Some(Blob::Missing) {
                return Err(GitError::MissingObject {
                    path: change.base_path.clone().unwrap_or_default(),
                    rev: base.unwrap_or_default().to_string(),
                    partial_clone: self.is_partial_clone()?,
                });
            }
            out.push(Contents {
                base: base_blob,
                new: new_slot.and_then(|i| blobs[i].take()),
            });
        }
        Ok((out, extra_blobs))
    }

    /// Whether this is a partial clone: a promisor remote may hold objects
    /// that are not here (`remote.<name>.promisor`, or the older
    /// `extensions.partialClone`).
    pub fn is_partial_clone(&self) -> Result<bool, GitError> {
        let out = self.output(&[
            "config",
            "--get-regexp",
            r"^(extensions\.partialclone|remote\..+\.promisor)$",
        ])?;
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(text.lines().any(|line| {
            let value = line.split_once(' ').map_or("", |(_, v)| v.trim());
            !value.is_empty() && !value.eq_ignore_ascii_case("false")
        }))
    }
}
