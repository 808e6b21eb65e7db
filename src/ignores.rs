//! `.gitignore`, `.ignore` and `.git/info/exclude`, read by us, bounded:
//! the walker's own ignore-file reading is off, because it opens whatever
//! the name points at (a committed `.gitignore` linked to `/dev/zero` reads
//! without end). Here an ignore file is read only when it is a regular file
//! (never through a link, never a FIFO or device) under a size cap; one that
//! is not is noted and its patterns are not applied, so that files are read
//! rather than hidden. Precedence is the `ignore` crate's: `.ignore` over
//! `.gitignore` over `.git/info/exclude`, the deepest folder first.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::finding::Finding;

/// Largest ignore file read; a larger one is noted and not applied.
pub const MAX_IGNORE_BYTES: u64 = 1024 * 1024;

/// Ignore-file names per folder, strongest first.
const NAMES: [&str; 2] = [".ignore", ".gitignore"];

/// The matchers of one folder, by [`NAMES`] order.
type FolderRules = [Option<Arc<Gitignore>>; 2];

/// Ignore rules of a repository, read lazily folder by folder.
#[derive(Debug)]
pub struct IgnoreRules {
    root: PathBuf,
    exclude: Option<Gitignore>,
    folders: Mutex<HashMap<PathBuf, FolderRules>>,
    notes: Mutex<Vec<Finding>>,
}

impl IgnoreRules {
    /// Rules for the repository at `root` (`.git/info/exclude` read now).
    pub fn new(root: &Path) -> IgnoreRules {
        let mut notes = Vec::new();
        let info = root.join(".git");
        let exclude = std::fs::symlink_metadata(&info)
            .is_ok_and(|m| m.is_dir())
            .then(|| matcher(root, root, &info.join("info/exclude"), &mut notes))
            .flatten();
        IgnoreRules {
            root: root.to_path_buf(),
            exclude,
            folders: Mutex::new(HashMap::new()),
            notes: Mutex::new(notes),
        }
    }

    /// Whether `path` (absolute, inside the root) is ignored.
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        let dirs: Vec<&Path> = path
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(&self.root))
            .collect();
        let rules: Vec<FolderRules> = dirs.iter().map(|d| self.folder(d)).collect();
        for kind in 0..NAMES.len() {
            for folder in &rules {
                if let Some(m) = &folder[kind] {
                    match m.matched(path, is_dir) {
                        Match::None => {}
                        Match::Ignore(_) => return true,
                        Match::Whitelist(_) => return false,
                    }
                }
            }
        }
        self.exclude
            .as_ref()
            .is_some_and(|m| m.matched(path, is_dir).is_ignore())
    }

    /// Notes about ignore files that were not read.
    pub fn take_notes(&self) -> Vec<Finding> {
        std::mem::take(&mut *self.notes.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn folder(&self, dir: &Path) -> FolderRules {
        let mut folders = self.folders.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(rules) = folders.get(dir) {
            return rules.clone();
        }
        let mut notes = Vec::new();
        let rules =
            NAMES.map(|name| matcher(&self.root, dir, &dir.join(name), &mut notes).map(Arc::new));
        folders.insert(dir.to_path_buf(), rules.clone());
        drop(folders);
        self.notes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(notes);
        rules
    }
}

/// The patterns of one ignore file, relative to `dir`; `None` when there is
/// no such file or it may not be read (then a note says why).
fn matcher(root: &Path, dir: &Path, file: &Path, notes: &mut Vec<Finding>) -> Option<Gitignore> {
    let note = |notes: &mut Vec<Finding>, why: String| {
        let rel =
            crate::workspace::relative(root, file).unwrap_or_else(|| file.display().to_string());
        notes.push(Finding::file_skipped(
            &rel,
            format!("{why}; its ignore patterns are not applied"),
        ));
    };
    let meta = std::fs::symlink_metadata(file).ok()?;
    if meta.file_type().is_symlink() {
        note(notes, "ignore file is a symlink; not followed".to_string());
        return None;
    }
    let text = match crate::source::read_file(file, MAX_IGNORE_BYTES) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            note(notes, e);
            return None;
        }
    };
    let mut builder = GitignoreBuilder::new(dir);
    for line in text.lines() {
        // A bad pattern is skipped, as git does.
        let _ = builder.add_line(Some(file.to_path_buf()), line);
    }
    builder.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeper_and_stronger_files_win() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let w = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
        };
        w(".gitignore", "*.log\nbuild/\n");
        w("sub/.gitignore", "!keep.log\n");
        w("sub/.ignore", "secret.yaml\n");
        w("sub/keep.yaml", "");
        let rules = IgnoreRules::new(root);
        assert!(rules.is_ignored(&root.join("a.log"), false));
        assert!(rules.is_ignored(&root.join("build"), true));
        assert!(!rules.is_ignored(&root.join("sub/keep.log"), false));
        assert!(rules.is_ignored(&root.join("sub/x.log"), false));
        assert!(rules.is_ignored(&root.join("sub/secret.yaml"), false));
        assert!(!rules.is_ignored(&root.join("sub/keep.yaml"), false));
        assert!(rules.take_notes().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn links_and_special_files_are_noted_not_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("/dev/zero", root.join("a/.gitignore"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(root.join("b")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("b/.ignore"), "x\n".repeat(600_000))
            .unwrap_or_else(|e| panic!("{e}"));
        let rules = IgnoreRules::new(root);
        assert!(!rules.is_ignored(&root.join("a/x"), false));
        assert!(!rules.is_ignored(&root.join("b/x"), false));
        let notes: Vec<String> = rules
            .take_notes()
            .iter()
            .map(|n| format!("{}: {}", n.file, n.message))
            .collect();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0].starts_with("a/.gitignore: ignore file is a symlink"),
            "{notes:?}"
        );
        assert!(
            notes[1].starts_with("b/.ignore: file is 1200000 bytes"),
            "{notes:?}"
        );
    }
}
