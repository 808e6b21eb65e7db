//! The head commit of `lint --base REV --head REV2`, read from its tree
//! and blobs only: which changed paths are read (the walk's filters applied
//! by name, chart `templates/` folders found in the tree), what a tracked
//! symlink stands for, and which files a changed `Chart.yaml` governs. The
//! work tree and the index are never looked at.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::discover::{self, Candidate, WalkOptions};
use crate::git::{Blob, BlobSpec, FileChange, Repo, SYMLINK};
use crate::workspace::CONFIG_NAME;

/// Most bytes of a symlink's target text.
const LINK_MAX_BYTES: u64 = 4096;
/// Most links followed in a chain.
const MAX_HOPS: usize = 8;

/// What the head commit's tree holds: its raw listing (scanned on demand,
/// so a large tree costs one pass and no allocation per file), its
/// `Chart.yaml` files and its symlinks with their targets.
#[derive(Debug)]
pub(super) struct Tree {
    root: std::path::PathBuf,
    /// `ls-tree -r -z` output.
    listing: Vec<u8>,
    /// Paths of every `Chart.yaml`.
    charts: HashSet<String>,
    /// Each symlink's in-repository target (`None`: it leaves the repository).
    links: HashMap<String, Option<String>>,
}

/// The (mode, path) of each record of an `ls-tree -z` listing (records
/// without a tab are skipped). The separators are found with `memchr`: a
/// 20k-file tree is 2 MB of listing, scanned on every run.
fn records(listing: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = listing;
    std::iter::from_fn(move || {
        while !rest.is_empty() {
            let end = memchr::memchr(0, rest).unwrap_or(rest.len());
            let record = &rest[..end];
            rest = rest.get(end + 1..).unwrap_or_default();
            if let Some(tab) = memchr::memchr(b'\t', record) {
                let mode = &record[..memchr::memchr(b' ', record).unwrap_or(tab).min(tab)];
                return Some((mode, &record[tab + 1..]));
            }
        }
        None
    })
}

fn text(path: &[u8]) -> String {
    String::from_utf8_lossy(path).into_owned()
}

impl Tree {
    /// Lists the tree of the commit `head` and reads its symlinks' targets.
    pub(super) fn read(repo: &Repo, head: &str) -> anyhow::Result<Tree> {
        let listing = repo.tree_listing(head)?;
        let mut link_paths = Vec::new();
        let mut charts = HashSet::new();
        for (mode, path) in records(&listing) {
            if mode == SYMLINK.as_bytes() {
                link_paths.push(text(path));
            } else if path.ends_with(b"Chart.yaml")
                && (path.len() == 10 || path[path.len() - 11] == b'/')
            {
                charts.insert(text(path));
            }
        }
        let specs: Vec<BlobSpec<'_>> = link_paths
            .iter()
            .map(|path| BlobSpec::AtRevision { rev: head, path })
            .collect();
        let targets = repo.read_blobs(&specs, LINK_MAX_BYTES)?;
        let links = link_paths
            .iter()
            .zip(targets)
            .map(|(link, blob)| {
                let target = match blob {
                    Blob::Found(bytes) => String::from_utf8(bytes).ok(),
                    _ => None,
                };
                let resolved = target.and_then(|t| super::link::resolve(link, &t));
                (link.clone(), resolved)
            })
            .collect();
        Ok(Tree {
            root: repo.root().to_path_buf(),
            listing,
            charts,
            links,
        })
    }

    /// The file a path stands for at the head: itself, or the end of its
    /// chain of links (`Err` when a link leaves the repository, dangles or loops;
    /// `Ok(None)` when it names a folder, which is never followed).
    fn follow(&self, rel: &str) -> Result<Option<String>, String> {
        let mut at = rel.to_string();
        for _ in 0..MAX_HOPS {
            match self.links.get(&at) {
                None if self.has_file(&at) => return Ok(Some(at)),
                None if self.is_dir(&at) => return Ok(None),
                None => break,
                Some(None) => {
                    return Err("symlink points outside the repository; not followed".to_string());
                }
                Some(Some(next)) => at = next.clone(),
            }
        }
        Err("symlink cannot be resolved at the head revision; not followed".to_string())
    }

    fn has_file(&self, rel: &str) -> bool {
        records(&self.listing).any(|(_, p)| p == rel.as_bytes())
    }

    fn is_dir(&self, rel: &str) -> bool {
        records(&self.listing)
            .any(|(_, p)| p.starts_with(rel.as_bytes()) && p.get(rel.len()) == Some(&b'/'))
    }

    /// Whether the walk reads `rel`, judged by name and tree alone (as
    /// [`discover::candidate_for`] does on disk), with its kind.
    fn readable(&self, rel: &str, walk: &WalkOptions) -> Option<Candidate> {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let kind = discover::kind_of(name)?;
        let dirs: Vec<&str> = rel.split('/').collect();
        let dirs = &dirs[..dirs.len().saturating_sub(1)];
        if name == CONFIG_NAME
            || name == "Chart.yaml"
            || dirs.iter().any(|d| discover::SKIP_DIRS.contains(d))
        {
            return None;
        }
        // Inside a chart's `templates/` folder: a Chart.yaml beside that folder.
        let in_templates = (0..dirs.len()).any(|i| {
            dirs[i] == "templates" && {
                let parent = dirs[..i].join("/");
                let chart = if parent.is_empty() {
                    "Chart.yaml".to_string()
                } else {
                    format!("{parent}/Chart.yaml")
                };
                self.charts.contains(&chart)
            }
        });
        if in_templates || walk.ignore.as_ref().is_some_and(|g| g.is_match(rel)) {
            return None;
        }
        Some(Candidate {
            abs: self.root.join(rel),
            rel: Arc::from(rel),
            kind,
            // The chart is read at the head by the caller; this says only
            // whether the file is a values file.
            hint: discover::hint_for(rel, kind, &HashMap::new(), walk),
        })
    }

    /// The candidate for a changed path and the change to read for it (a
    /// link's target at the head), or why it cannot be read.
    pub(super) fn candidate(
        &self,
        change: &FileChange,
        walk: &WalkOptions,
    ) -> Option<Result<(FileChange, Candidate), String>> {
        let candidate = self.readable(&change.path, walk)?;
        if !change.has_new() || !self.links.contains_key(&change.path) {
            return Some(Ok((change.clone(), candidate)));
        }
        match self.follow(&change.path) {
            Ok(Some(target)) => {
                let read = FileChange {
                    path: target,
                    ..change.clone()
                };
                Some(Ok((read, candidate)))
            }
            Ok(None) => None,
            Err(why) => Some(Err(why)),
        }
    }

    /// The candidate for a link that stands for a changed file.
    pub(super) fn stand_in(&self, link: &str, walk: &WalkOptions) -> Option<Candidate> {
        self.readable(link, walk)
    }

    /// Links whose target is a changed file: (link, the target's change).
    pub(super) fn stand_ins(&self, changed: &[FileChange]) -> Vec<(String, FileChange)> {
        let mut out: Vec<(String, FileChange)> = self
            .links
            .iter()
            .filter_map(|(link, target)| {
                let target = target.as_deref()?;
                let c = changed.iter().find(|c| c.path == target)?;
                Some((link.clone(), c.clone()))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Files in the folders `dirs` (`""`: the root) and below.
    pub(super) fn files_under(&self, dirs: &[String]) -> Vec<String> {
        let mut out: Vec<String> = records(&self.listing)
            .filter(|(_, f)| {
                dirs.iter().any(|d| {
                    d.is_empty() || f.starts_with(d.as_bytes()) && f.get(d.len()) == Some(&b'/')
                })
            })
            .map(|(_, f)| text(f))
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_give_mode_and_path() {
        let listing = b"100644 blob aaaa\ta b.yaml\x00no tab here\x00120000 blob bbbb\tlink.yaml\x00\x00040000 tree cccc\td";
        let got: Vec<(&[u8], &[u8])> = records(listing).collect();
        assert_eq!(
            got,
            vec![
                (&b"100644"[..], &b"a b.yaml"[..]),
                (&b"120000"[..], &b"link.yaml"[..]),
                (&b"040000"[..], &b"d"[..]),
            ]
        );
    }
}
