//! Index entries and gitlinks: the tracked symlinks of the index (mode
//! 120000) and the submodule commits that differ between a commit and the
//! index (mode 160000), read from `ls-files --stage` and `diff --cached
//! --raw`. Neither enters a submodule's work tree or runs a filter.

use super::{GitError, Repo};

/// A tracked file of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Mode, e.g. `100644`, `120000` (symlink), `160000` (submodule).
    pub mode: String,
    /// Object id.
    pub oid: String,
    /// Path relative to the top level.
    pub path: String,
}

/// A submodule whose commit differs between the base and the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitlinkChange {
    /// Its path.
    pub path: String,
    /// The commit at the base (`None`: added).
    pub before: Option<String>,
    /// The commit now (`None`: removed).
    pub after: Option<String>,
}

/// Mode of a symlink.
pub const SYMLINK: &str = "120000";
/// Mode of a submodule (gitlink).
pub(super) const GITLINK: &str = "160000";

impl Repo {
    /// The tracked symlinks of the index.
    pub fn tracked_symlinks(&self) -> Result<Vec<Entry>, GitError> {
        let out = self.run(&["ls-files", "--stage", "-z"])?;
        Ok(parse_stage(&out)
            .into_iter()
            .filter(|e| e.mode == SYMLINK)
            .collect())
    }

    /// Tracked files under the folders `dirs` (`""`: the root), from the index.
    pub fn tracked_under(&self, dirs: &[String]) -> Result<Vec<String>, GitError> {
        if dirs.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = vec!["ls-files".to_string(), "-z".to_string(), "--".to_string()];
        // The root's chart governs files anywhere below it: no pathspec.
        if !dirs.iter().any(String::is_empty) {
            args.extend(dirs.iter().map(|d| format!(":(literal){d}")));
        }
        let out = self.run(&args)?;
        Ok(out
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect())
    }

    /// Submodules whose commit differs between the commit `base` and the index.
    pub fn gitlink_changes(&self, base: &str) -> Result<Vec<GitlinkChange>, GitError> {
        super::check_rev(base)?;
        let out = self.run(&[
            "-c",
            "diff.relative=false",
            "diff",
            "--cached",
            "--raw",
            "--no-abbrev",
            "-z",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules=dirty",
            base,
            "--",
        ])?;
        Ok(parse_raw_gitlinks(&out))
    }
}

/// Parses `ls-files --stage -z`: `<mode> <oid> <stage>\t<path>\0`.
fn parse_stage(bytes: &[u8]) -> Vec<Entry> {
    parse_entries(bytes, 1)
}

/// Parses NUL-separated `<fields>\t<path>` records whose first field is the
/// mode and whose field `oid_at` is the object id (`ls-files --stage`,
/// `ls-tree`).
pub(super) fn parse_entries(bytes: &[u8], oid_at: usize) -> Vec<Entry> {
    bytes
        .split(|&b| b == 0)
        .filter(|r| !r.is_empty())
        .filter_map(|record| {
            let text = String::from_utf8_lossy(record);
            let (head, path) = text.split_once('\t')?;
            let fields: Vec<&str> = head.split(' ').collect();
            Some(Entry {
                mode: (*fields.first()?).to_string(),
                oid: (*fields.get(oid_at)?).to_string(),
                path: path.to_string(),
            })
        })
        .collect()
}

/// Parses `diff --raw -z --no-renames`: `:<old mode> <new mode> <old oid>
/// <new oid> <status>\0<path>\0`, keeping gitlinks.
pub(super) fn parse_raw_gitlinks(bytes: &[u8]) -> Vec<GitlinkChange> {
    let mut out = Vec::new();
    let mut fields = bytes.split(|&b| b == 0);
    while let Some(head) = fields.next() {
        if head.is_empty() {
            continue;
        }
        let Some(path) = fields.next() else { break };
        let head = String::from_utf8_lossy(head);
        let parts: Vec<&str> = head.trim_start_matches(':').split(' ').collect();
        let [old_mode, new_mode, old_oid, new_oid, ..] = parts.as_slice() else {
            continue;
        };
        if *old_mode != GITLINK && *new_mode != GITLINK {
            continue;
        }
        let commit = |mode: &str, oid: &str| (mode == GITLINK).then(|| oid.to_string());
        out.push(GitlinkChange {
            path: String::from_utf8_lossy(path).into_owned(),
            before: commit(old_mode, old_oid),
            after: commit(new_mode, new_oid),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stage_and_raw_output() {
        let stage = b"100644 aaaa 0\ta.yaml\x00120000 bbbb 0\tlink.yaml\x00";
        let entries = parse_stage(stage);
        assert_eq!(entries[1].mode, SYMLINK);
        assert_eq!(entries[1].path, "link.yaml");
        let raw = b":160000 160000 1111 2222 M\0sub\0:100644 100644 3333 4444 M\0a.yaml\0:000000 160000 0000 5555 A\0new\0";
        let links = parse_raw_gitlinks(raw);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].before.as_deref(), Some("1111"));
        assert_eq!(links[0].after.as_deref(), Some("2222"));
        assert_eq!(links[1].before, None);
    }
}
