//! One `--raw` diff read as both lists the diff modes need: the changed
//! files (as `--name-status` with `--ignore-submodules=all` gives them) and
//! the submodule commits that differ (as a `--no-renames` listing of the
//! gitlinks gives them), so that a comparison of the index or of two
//! commits runs one git process and reads the index at most once.

use super::GitError;
use super::change::{FileChange, FileStatus};
use super::entries::{GITLINK, GitlinkChange};

/// The options of every diff whose `--raw -z` output [`files_and_gitlinks`]
/// reads: full object ids, renames followed, no external diff or textconv.
pub(super) const RAW_ARGS: [&str; 6] = [
    "-z",
    "--raw",
    "--no-abbrev",
    "-M",
    "--no-ext-diff",
    "--no-textconv",
];

/// The mode of an absent side.
const ABSENT: &str = "000000";

/// Parses `diff --raw -z -M --no-abbrev` output: `:<old mode> <new mode>
/// <old oid> <new oid> <status>\0<path>\0`, with a second path after a
/// rename or copy. Files come first in the pair, submodules second; both
/// sorted by path.
pub(super) fn files_and_gitlinks(
    bytes: &[u8],
) -> Result<(Vec<FileChange>, Vec<GitlinkChange>), GitError> {
    let unexpected = |detail: String| GitError::Unexpected {
        command: "diff --raw".to_string(),
        detail,
    };
    let mut fields = bytes.split(|&b| b == 0).filter(|f| !f.is_empty());
    let (mut files, mut links) = (Vec::new(), Vec::new());
    while let Some(head) = fields.next() {
        let head = String::from_utf8_lossy(head);
        let parts: Vec<&str> = head.trim_start_matches(':').split(' ').collect();
        let [old_mode, new_mode, old_oid, new_oid, status] = parts.as_slice() else {
            return Err(unexpected(format!("record `{head}`")));
        };
        let mut path = || {
            fields
                .next()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .ok_or_else(|| unexpected("a status without its path".to_string()))
        };
        let first = path()?;
        let second = match status.as_bytes().first() {
            Some(b'R' | b'C') => Some(path()?),
            Some(b'A' | b'D' | b'M' | b'T' | b'U' | b'X') => None,
            _ => return Err(unexpected(format!("unknown status `{status}`"))),
        };
        let commit = |mode: &str, oid: &str| (mode == GITLINK).then(|| oid.to_string());
        let (before, after) = (commit(old_mode, old_oid), commit(new_mode, new_oid));
        if before.is_some() || after.is_some() {
            match &second {
                // A submodule moved: listed as removed and added, as without renames.
                Some(to) => {
                    links.extend(before.clone().map(|b| GitlinkChange {
                        path: first.clone(),
                        before: Some(b),
                        after: None,
                    }));
                    links.extend(after.clone().map(|a| GitlinkChange {
                        path: to.clone(),
                        before: None,
                        after: Some(a),
                    }));
                }
                None => links.push(GitlinkChange {
                    path: first.clone(),
                    before,
                    after,
                }),
            }
        }
        // Submodules only on both sides (or absent): not a file change.
        let submodule_only = [old_mode, new_mode]
            .iter()
            .all(|m| **m == GITLINK || **m == ABSENT);
        if submodule_only {
            continue;
        }
        files.push(match (status.as_bytes()[0], second) {
            (b'A', _) => FileChange {
                path: first,
                base_path: None,
                status: FileStatus::Added,
            },
            (b'D', _) => FileChange {
                base_path: Some(first.clone()),
                path: first,
                status: FileStatus::Deleted,
            },
            (b'R', Some(to)) => FileChange {
                path: to,
                base_path: Some(first),
                status: FileStatus::Renamed,
            },
            // Copies (only with -C): the copy is new content.
            (b'C', Some(to)) => FileChange {
                path: to,
                base_path: None,
                status: FileStatus::Added,
            },
            // Modified, type changed, unmerged, unknown: content at both ends.
            _ => FileChange {
                base_path: Some(first.clone()),
                path: first,
                status: FileStatus::Modified,
            },
        });
    }
    files.sort();
    links.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, links))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_submodules_come_apart() {
        let z = "0".repeat(40);
        let (a, b, c) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let raw = format!(
            ":100644 100644 {a} {b} M\0x.yaml\0\
             :160000 160000 {a} {b} M\0sub\0\
             :000000 160000 {z} {c} A\0new-sub\0\
             :100644 160000 {a} {c} T\0was-file\0\
             :100644 100644 {a} {a} R100\0old.yaml\0new.yaml\0\
             :160000 160000 {b} {b} R100\0moved\0moved-to\0\
             :100644 000000 {a} {z} D\0gone.tf\0"
        );
        let (files, links) = files_and_gitlinks(raw.as_bytes()).unwrap();
        let names: Vec<(&str, FileStatus)> =
            files.iter().map(|f| (f.path.as_str(), f.status)).collect();
        assert_eq!(
            names,
            vec![
                ("gone.tf", FileStatus::Deleted),
                ("new.yaml", FileStatus::Renamed),
                ("was-file", FileStatus::Modified),
                ("x.yaml", FileStatus::Modified),
            ]
        );
        assert_eq!(files[1].base_path.as_deref(), Some("old.yaml"));
        let links: Vec<(&str, Option<&str>, Option<&str>)> = links
            .iter()
            .map(|l| (l.path.as_str(), l.before.as_deref(), l.after.as_deref()))
            .collect();
        assert_eq!(
            links,
            vec![
                ("moved", Some(b.as_str()), None),
                ("moved-to", None, Some(b.as_str())),
                ("new-sub", None, Some(c.as_str())),
                ("sub", Some(a.as_str()), Some(b.as_str())),
                ("was-file", None, Some(c.as_str())),
            ]
        );
    }

    #[test]
    fn truncated_or_unknown_records_are_errors() {
        let a = "a".repeat(40);
        let cut = format!(":100644 100644 {a} {a} R100\0old.yaml\0");
        assert!(files_and_gitlinks(cut.as_bytes()).is_err());
        let odd = format!(":100644 100644 {a} {a} Q\0x\0");
        assert!(files_and_gitlinks(odd.as_bytes()).is_err());
        assert!(files_and_gitlinks(b"").unwrap().0.is_empty());
    }
}
