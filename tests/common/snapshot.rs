//! A byte-exact picture of a folder: every entry (links not followed) with
//! its kind, mode, modification time and content, to compare before and after.

use std::collections::BTreeMap;
use std::path::Path;

/// Path → (kind, mode and time) and content of every entry under `dir`.
pub type Snapshot = BTreeMap<String, (String, Vec<u8>)>;

/// Every entry under `dir` (links not followed): path → kind and content.
pub fn snapshot(dir: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Snapshot) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mode = {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                format!("{:o}", meta.mode())
            }
            #[cfg(not(unix))]
            {
                String::new()
            }
        };
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap();
            out.insert(
                rel,
                (
                    format!("link {mode}"),
                    target.to_string_lossy().into_owned().into_bytes(),
                ),
            );
        } else if meta.is_dir() {
            out.insert(rel, (format!("dir {mode}"), Vec::new()));
            walk(root, &path, out);
        } else if meta.is_file() {
            let bytes = std::fs::read(&path).unwrap_or_default();
            let modified = format!("{:?}", meta.modified().ok());
            out.insert(rel, (format!("file {mode} {modified}"), bytes));
        } else {
            out.insert(rel, (format!("special {mode}"), Vec::new()));
        }
    }
}

/// Fails with the first difference between two snapshots.
pub fn assert_same(before: &Snapshot, after: &Snapshot, what: &str) {
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "{what}: entries added {added:?}, removed {removed:?}"
    );
    for (path, entry) in before {
        assert!(after.get(path) == Some(entry), "{what}: {path} changed");
    }
}
