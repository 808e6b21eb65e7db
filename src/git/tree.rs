//! Two commits compared without a work tree or an index (`lint --head`):
//! the files changed between them (`git diff-tree`, renames followed as in
//! work-tree mode), the submodule commits that differ, and the entries of
//! a commit's tree (`git ls-tree`), for symlinks and chart folders.

use super::entries::{Entry, GitlinkChange, parse_entries};
use super::{FileChange, GitError, Repo, check_rev};

impl Repo {
    /// The files changed between the commits `base` and `head`, with the
    /// options of the work-tree comparison (`-M`, no external diff, no
    /// textconv), and the submodules whose commit differs, from one
    /// `diff-tree --raw` process (see [`super::raw`]). Each sorted by path.
    pub fn commit_changes_with_gitlinks(
        &self,
        base: &str,
        head: &str,
    ) -> Result<(Vec<FileChange>, Vec<GitlinkChange>), GitError> {
        check_rev(base)?;
        check_rev(head)?;
        let mut args = vec!["diff-tree", "-r"];
        args.extend(super::raw::RAW_ARGS);
        args.extend([base, head, "--"]);
        let out = self.run_without_index(&args)?;
        super::raw::files_and_gitlinks(&out)
    }

    /// Every file of the commit `rev`'s tree (`ls-tree -r --full-tree`),
    /// with its mode and object id.
    pub fn tree_entries(&self, rev: &str) -> Result<Vec<Entry>, GitError> {
        Ok(parse_ls_tree(&self.tree_listing(rev)?))
    }

    /// The raw listing of the commit `rev`'s tree (`ls-tree -r -z
    /// --full-tree`: `<mode> <type> <oid>\t<path>\0` records), for callers
    /// that scan it without an allocation per file.
    pub fn tree_listing(&self, rev: &str) -> Result<Vec<u8>, GitError> {
        check_rev(rev)?;
        self.run(&["ls-tree", "-r", "-z", "--full-tree", rev])
    }

    /// The full object id of the commit `rev` names; an unknown revision is
    /// [`GitError::UnknownRevision`].
    pub fn commit_id(&self, rev: &str) -> Result<String, GitError> {
        self.resolve_commit(rev)?
            .ok_or_else(|| GitError::UnknownRevision {
                rev: rev.to_string(),
            })
    }
}

/// Parses `ls-tree -z`: `<mode> <type> <oid>\t<path>\0`.
fn parse_ls_tree(bytes: &[u8]) -> Vec<Entry> {
    parse_entries(bytes, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ls_tree_output() {
        let out = b"100644 blob aaaa\ta b.yaml\x00120000 blob bbbb\tlink.yaml\x00160000 commit cccc\tsub\x00";
        let entries = parse_ls_tree(out);
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].path, "a b.yaml");
        assert_eq!(entries[1].mode, super::super::entries::SYMLINK);
        assert_eq!(entries[2].oid, "cccc");
    }
}
