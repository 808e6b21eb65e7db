//! Opening the two ends of a run: the repository, the base commit and what
//! git lists about the change (the changed files, the submodule commits
//! that differ, and the symlinks that may stand for a changed file).
//! Commands that do not depend on each other run side by side, each in its
//! own thread, so that a large repository's walks (the untracked files, the
//! index, the head commit's tree) overlap instead of adding up.

use std::path::Path;
use std::thread::{self, ScopedJoinHandle};

use super::commit::Tree;
use crate::git::{self, Entry, FileChange, GitError, GitlinkChange, NewSide, Repo};

/// Which revisions are compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The merge-base of this revision and HEAD, against the work tree.
    Base(String),
    /// HEAD against the index.
    Staged,
    /// The merge-base of the first revision and the second, against the
    /// second commit: no work tree, no index (`--base REV --head REV2`).
    Commits(String, String),
}

/// The two revisions of a run and the files that differ between them.
#[derive(Debug)]
pub struct Revisions {
    /// The repository.
    pub repo: Repo,
    /// The commit compared with (`None` before the first commit).
    pub base: Option<String>,
    /// Where the new end is read.
    pub side: NewSide,
    pub(super) listed: Vec<FileChange>,
    /// Submodule commits that differ between the ends (none without a base).
    pub(super) gitlinks: Vec<GitlinkChange>,
    /// The head commit's tree (`--head`).
    pub(super) tree: Option<Tree>,
    /// The index's tracked symlinks (work tree and staged modes).
    pub(super) links: Vec<Entry>,
}

/// Finds the base commit of `mode` in the git work tree that holds `root`
/// (the workspace root) and lists the changed files.
pub fn open(root: &Path, mode: &Mode) -> anyhow::Result<Revisions> {
    match mode {
        Mode::Base(rev) => work_tree(root, rev),
        Mode::Staged => staged(root),
        Mode::Commits(rev, head) => commits(root, rev, head),
    }
}

/// The merge-base of `rev` and `head`: from the ids resolved with the
/// repository when there are some, else asked by name (which says
/// precisely why there is none).
fn base_of(repo: &Repo, ids: Option<&[String]>, rev: &str, head: &str) -> Result<String, GitError> {
    if let Some([head_id, base_id]) = ids {
        if let Some(base) = repo.merge_base_of(base_id, head_id)? {
            return Ok(base);
        }
    }
    repo.merge_base_with(rev, head)
}

/// `--base REV`: the merge-base against the work tree.
fn work_tree(root: &Path, rev: &str) -> anyhow::Result<Revisions> {
    let (repo, ids) = Repo::discover_resolving(root, &["HEAD", rev])?;
    let repo = &repo;
    let (base, listed, links, gitlinks) = thread::scope(|s| -> anyhow::Result<_> {
        // Neither needs the base: started first, they read every folder
        // and the index while the base is found.
        let untracked = s.spawn(|| repo.untracked());
        let links = s.spawn(|| repo.tracked_symlinks());
        let base = base_of(repo, ids.as_deref(), rev, "HEAD")?;
        let at = base.clone();
        let gitlinks = s.spawn(move || repo.gitlink_changes(&at));
        let tracked = repo.tracked_changes(&base);
        let untracked = git::joined(untracked, "ls-files --others")?;
        let listed = git::with_untracked(tracked?, &untracked);
        let links = git::joined(links, "ls-files --stage")?;
        let gitlinks = git::joined(gitlinks, "diff --cached --raw")?;
        Ok((base, listed, links, gitlinks))
    })?;
    Ok(Revisions {
        repo: repo.clone(),
        base: Some(base),
        side: NewSide::WorkTree,
        listed,
        gitlinks,
        tree: None,
        links,
    })
}

/// `--staged`: HEAD against the index.
fn staged(root: &Path) -> anyhow::Result<Revisions> {
    let (repo, ids) = Repo::discover_resolving(root, &["HEAD"])?;
    let head = match ids.and_then(|ids| ids.into_iter().next()) {
        Some(head) => Some(head),
        None => repo.head()?,
    };
    let repo = &repo;
    let ((listed, gitlinks), links) = thread::scope(|s| -> anyhow::Result<_> {
        let links = s.spawn(|| repo.tracked_symlinks());
        // Files and submodules from one diff: the index is read once here.
        let listed = repo.staged_with_gitlinks(head.as_deref());
        let links = git::joined(links, "ls-files --stage")?;
        Ok((listed?, links))
    })?;
    Ok(Revisions {
        repo: repo.clone(),
        base: head,
        side: NewSide::Index,
        listed,
        gitlinks,
        tree: None,
        links,
    })
}

/// `--base REV --head REV2`: the merge-base against the commit REV2; no
/// work tree, no index.
fn commits(root: &Path, rev: &str, head: &str) -> anyhow::Result<Revisions> {
    let (repo, ids) = Repo::discover_resolving(root, &[head, rev])?;
    let head = match ids.as_deref() {
        Some([head, _]) => head.clone(),
        _ => repo.commit_id(head)?,
    };
    let repo = &repo;
    let (base, listed, gitlinks, tree) = thread::scope(|s| -> anyhow::Result<_> {
        // The head's whole tree (for the symlinks that stand for a changed
        // file) is the longest listing: started first.
        let tree = s.spawn(|| Tree::read(repo, &head));
        let base = base_of(repo, ids.as_deref(), rev, &head)?;
        let listed = repo.commit_changes_with_gitlinks(&base, &head);
        let tree = joined_any(tree, "ls-tree")?;
        let (listed, gitlinks) = listed?;
        Ok((base, listed, gitlinks, tree))
    })?;
    Ok(Revisions {
        repo: repo.clone(),
        base: Some(base),
        side: NewSide::Commit(head),
        listed,
        gitlinks,
        tree: Some(tree),
        links: Vec::new(),
    })
}

/// The result of a scoped thread whose work returns any error.
fn joined_any<T>(
    handle: ScopedJoinHandle<'_, anyhow::Result<T>>,
    command: &str,
) -> anyhow::Result<T> {
    handle
        .join()
        .map_err(|_| anyhow::anyhow!("the thread running `git {command}` stopped"))?
}
