//! Which files changed: between a commit and the work tree (with untracked
//! files as added), or between HEAD and the index. Renames are followed.

use std::collections::HashMap;

use super::change::{FileChange, FileStatus};
use super::{GitError, Repo};

/// Options of every `git diff` run here (see the module documentation of [`super`]).
const DIFF_ARGS: [&str; 9] = [
    "-c",
    "diff.relative=false",
    "diff",
    "-z",
    "--name-status",
    "-M",
    "--no-ext-diff",
    "--no-textconv",
    "--ignore-submodules=all",
];

impl Repo {
    /// Files changed between the commit `base` and the work tree: tracked
    /// files modified, added, deleted or renamed (staged or not), plus
    /// untracked files that are not ignored, as added. Sorted by path.
    pub fn worktree_changes(&self, base: &str) -> Result<Vec<FileChange>, GitError> {
        // The two walks of the work tree run side by side: `diff` stats the
        // tracked files while `ls-files` reads the directories.
        let (tracked, untracked) = std::thread::scope(|scope| {
            let untracked = scope.spawn(|| self.untracked());
            let tracked = self.tracked_changes(base);
            (tracked, joined(untracked, "ls-files --others"))
        });
        Ok(with_untracked(tracked?, &untracked?))
    }

    /// Tracked files changed between the commit `base` and the work tree
    /// (staged or not), unsorted; [`with_untracked`] completes them.
    pub fn tracked_changes(&self, base: &str) -> Result<Vec<FileChange>, GitError> {
        // A full object id comes from `merge_base`: it names a commit already.
        let base = if super::is_full_oid(base) {
            base.to_string()
        } else {
            self.resolve_commit(base)?
                .ok_or_else(|| GitError::UnknownRevision {
                    rev: base.to_string(),
                })?
        };
        let mut args: Vec<String> = self.filters_off()?;
        args.extend(DIFF_ARGS.iter().map(|s| s.to_string()));
        args.extend([base, "--".to_string()]);
        parse_name_status(&self.run(&args)?)
    }

    /// The untracked files that are not ignored (`ls-files -z --others
    /// --exclude-standard`), raw; [`with_untracked`] adds them as changes.
    /// It reads every folder of the work tree, and needs no revision, so
    /// callers start it first.
    pub fn untracked(&self) -> Result<Vec<u8>, GitError> {
        self.run(&["ls-files", "-z", "--others", "--exclude-standard"])
    }

    /// Files staged in the index compared with HEAD (`git diff --cached`;
    /// before the first commit, every staged file is added). Honours
    /// `GIT_INDEX_FILE`, as in a pre-commit hook. Sorted by path.
    pub fn staged_changes(&self) -> Result<Vec<FileChange>, GitError> {
        let mut args: Vec<&str> = DIFF_ARGS.to_vec();
        args.extend(["--cached", "--"]);
        let mut changes = parse_name_status(&self.run(&args)?)?;
        changes.sort();
        Ok(changes)
    }

    /// As [`Repo::staged_changes`] (against the commit `head`, HEAD's id;
    /// `None` before the first commit), and the submodules whose commit
    /// differs between `head` and the index, from one `diff --cached --raw`:
    /// the index is read once. No submodule is listed before the first commit.
    pub fn staged_with_gitlinks(
        &self,
        head: Option<&str>,
    ) -> Result<(Vec<FileChange>, Vec<super::GitlinkChange>), GitError> {
        let mut args: Vec<&str> = vec!["-c", "diff.relative=false", "diff"];
        args.extend(super::raw::RAW_ARGS);
        args.extend(["--ignore-submodules=dirty", "--cached"]);
        if let Some(head) = head {
            super::check_rev(head)?;
            args.push(head);
        }
        args.push("--");
        let (files, links) = super::raw::files_and_gitlinks(&self.run(&args)?)?;
        Ok((files, if head.is_some() { links } else { Vec::new() }))
    }

    /// `-c` options that empty every configured filter driver, so that
    /// hashing work-tree files runs no clean filter.
    fn filters_off(&self) -> Result<Vec<String>, GitError> {
        let out = self.output(&[
            "config",
            "--name-only",
            "--get-regexp",
            r"^filter\..+\.(clean|smudge|process|required)$",
        ])?;
        // Exit 1: no such keys.
        if !out.status.success() && out.status.code() != Some(1) {
            return Err(super::failed("config --get-regexp", &out));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut drivers: Vec<&str> = text
            .lines()
            .filter_map(|key| {
                let rest = key.strip_prefix("filter.")?;
                rest.rsplit_once('.').map(|(driver, _)| driver)
            })
            .collect();
        drivers.sort_unstable();
        drivers.dedup();
        let mut args = Vec::new();
        for driver in drivers {
            // `-c` splits at the first `=`: such a driver cannot be switched off.
            if driver.contains('=') {
                return Err(GitError::Unexpected {
                    command: "config --get-regexp".to_string(),
                    detail: format!(
                        "filter driver `{driver}` has `=` in its name and cannot be disabled; \
                         refusing to let git run it"
                    ),
                });
            }
            for (key, value) in [
                ("clean", ""),
                ("smudge", ""),
                ("process", ""),
                ("required", "false"),
            ] {
                args.push("-c".to_string());
                args.push(format!("filter.{driver}.{key}={value}"));
            }
        }
        Ok(args)
    }
}

/// Parses `git diff -z --name-status` output.
pub(super) fn parse_name_status(bytes: &[u8]) -> Result<Vec<FileChange>, GitError> {
    let unexpected = |detail: String| GitError::Unexpected {
        command: "diff --name-status".to_string(),
        detail,
    };
    let mut fields = bytes.split(|&b| b == 0).filter(|f| !f.is_empty());
    let mut out = Vec::new();
    while let Some(status) = fields.next() {
        let mut path = || {
            fields
                .next()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .ok_or_else(|| unexpected("a status without its path".to_string()))
        };
        let change = match status.first() {
            Some(b'A') => {
                let path = path()?;
                FileChange {
                    path,
                    base_path: None,
                    status: FileStatus::Added,
                }
            }
            Some(b'D') => {
                let path = path()?;
                FileChange {
                    base_path: Some(path.clone()),
                    path,
                    status: FileStatus::Deleted,
                }
            }
            // Modified, type changed, unmerged, unknown: content at both ends.
            Some(b'M' | b'T' | b'U' | b'X') => {
                let path = path()?;
                FileChange {
                    base_path: Some(path.clone()),
                    path,
                    status: FileStatus::Modified,
                }
            }
            Some(b'R') => {
                let from = path()?;
                let to = path()?;
                FileChange {
                    path: to,
                    base_path: Some(from),
                    status: FileStatus::Renamed,
                }
            }
            // Copies (only with -C): the copy is new content.
            Some(b'C') => {
                let _from = path()?;
                let path = path()?;
                FileChange {
                    path,
                    base_path: None,
                    status: FileStatus::Added,
                }
            }
            _ => {
                return Err(unexpected(format!(
                    "unknown status `{}`",
                    String::from_utf8_lossy(status)
                )));
            }
        };
        out.push(change);
    }
    Ok(out)
}

/// The changes of [`Repo::tracked_changes`] with the untracked files of
/// [`Repo::untracked`] added, sorted by path.
pub fn with_untracked(mut changes: Vec<FileChange>, untracked: &[u8]) -> Vec<FileChange> {
    add_untracked(&mut changes, untracked);
    changes.sort();
    changes
}

/// The result of a scoped thread that ran a git command.
pub fn joined<T>(
    handle: std::thread::ScopedJoinHandle<'_, Result<T, GitError>>,
    command: &str,
) -> Result<T, GitError> {
    handle.join().map_err(|_| GitError::Unexpected {
        command: command.to_string(),
        detail: "the thread running it stopped".to_string(),
    })?
}

/// Adds untracked files (`ls-files -z --others`) as added. A file deleted
/// from the index but still on disk (`git rm --cached`) is listed by both:
/// it exists at the base and now, so it is modified.
fn add_untracked(changes: &mut Vec<FileChange>, ls_files: &[u8]) {
    let deleted: HashMap<String, usize> = changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.status == FileStatus::Deleted)
        .map(|(i, c)| (c.path.clone(), i))
        .collect();
    for raw in ls_files.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        let path = String::from_utf8_lossy(raw).into_owned();
        match deleted.get(&path) {
            Some(&i) => changes[i].status = FileStatus::Modified,
            None => changes.push(FileChange {
                path,
                base_path: None,
                status: FileStatus::Added,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_status() {
        let raw = b"M\0a.yaml\0A\0dir/new file.tf\0D\0gone.yaml\0R087\0old.yaml\0new.yaml\0T\0link.yaml\0";
        let changes = parse_name_status(raw).unwrap();
        assert_eq!(
            changes,
            vec![
                FileChange {
                    path: "a.yaml".into(),
                    base_path: Some("a.yaml".into()),
                    status: FileStatus::Modified
                },
                FileChange {
                    path: "dir/new file.tf".into(),
                    base_path: None,
                    status: FileStatus::Added
                },
                FileChange {
                    path: "gone.yaml".into(),
                    base_path: Some("gone.yaml".into()),
                    status: FileStatus::Deleted
                },
                FileChange {
                    path: "new.yaml".into(),
                    base_path: Some("old.yaml".into()),
                    status: FileStatus::Renamed
                },
                FileChange {
                    path: "link.yaml".into(),
                    base_path: Some("link.yaml".into()),
                    status: FileStatus::Modified
                },
            ]
        );
        assert!(parse_name_status(b"").unwrap().is_empty());
    }

    #[test]
    fn truncated_or_unknown_output_is_an_error() {
        assert!(matches!(
            parse_name_status(b"R100\0old.yaml\0"),
            Err(GitError::Unexpected { .. })
        ));
        assert!(matches!(
            parse_name_status(b"Q\0x\0"),
            Err(GitError::Unexpected { .. })
        ));
    }

    #[test]
    fn untracked_files_are_added_and_unstaged_deletions_merge() {
        let mut changes = parse_name_status(b"D\0kept.yaml\0").unwrap();
        add_untracked(&mut changes, b"kept.yaml\0new one.yaml\0");
        assert_eq!(changes[0].status, FileStatus::Modified);
        assert_eq!(changes[0].base_path.as_deref(), Some("kept.yaml"));
        assert_eq!(changes[1].path, "new one.yaml");
        assert_eq!(changes[1].status, FileStatus::Added);
    }
}
