//! The walk of the work tree, step by step: the walker (what it never
//! enters), each entry's classification (kind, configuration file,
//! `ignore:` globs), what is noted instead of read (names that are not
//! UTF-8, links out of the repository, special files, files over the size
//! limit), charts found on the way, and the sorted result.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::{DirEntry, WalkBuilder};

use super::{
    Candidate, Discovery, SKIP_DIRS, WalkOptions, chart_info, check_symlink, hint_for,
    is_chart_templates, kind_of, relative,
};
use crate::finding::Finding;
use crate::formats::FileKind;
use crate::formats::chart::ChartInfo;
use crate::ignores::IgnoreRules;

/// Walks `paths` (absolute, inside `root`) and lists the files to read.
pub fn walk(root: &Path, paths: &[PathBuf], opts: &WalkOptions) -> Discovery {
    // Ignore files are read by us, bounded (see `crate::ignores`), not by the walker.
    let rules = Arc::new(IgnoreRules::new(root));
    let mut walk = Walk {
        root,
        opts,
        out: Discovery::default(),
        charts: HashMap::new(),
        found: Vec::new(),
    };
    for start in paths {
        for entry in walker(start, &rules).build() {
            match entry {
                Ok(entry) => walk.entry(&entry),
                Err(err) => note_walk_error(root, &err, &mut walk.out),
            }
        }
    }
    walk.out.skipped.extend(rules.take_notes());
    walk.finish()
}

/// A walker from `start` that never follows links, never enters
/// [`SKIP_DIRS`] or a chart's `templates/`, and leaves out what the ignore
/// rules ignore (but never `start` itself).
fn walker(start: &Path, rules: &Arc<IgnoreRules>) -> WalkBuilder {
    let mut builder = WalkBuilder::new(start);
    let filter = Arc::clone(rules);
    builder
        .hidden(false)
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(move |e| {
            let name = e.file_name().to_string_lossy();
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            if is_dir && (SKIP_DIRS.contains(&name.as_ref()) || is_chart_templates(e.path())) {
                return false;
            }
            e.depth() == 0 || !filter.is_ignored(e.path(), is_dir)
        });
    builder
}

/// A walk under way.
struct Walk<'a> {
    root: &'a Path,
    opts: &'a WalkOptions,
    out: Discovery,
    /// Folder → what its `Chart.yaml` says.
    charts: HashMap<String, ChartInfo>,
    /// Files to read: absolute path, relative path, kind.
    found: Vec<(PathBuf, String, FileKind)>,
}

impl Walk<'_> {
    /// One entry: left out, noted, kept as a chart, or kept to be read.
    fn entry(&mut self, entry: &DirEntry) {
        let path = entry.path();
        let Some(rel) = relative(self.root, path) else {
            return;
        };
        let name = entry.file_name().to_string_lossy();
        let Some(kind) = kind_of(&name) else { return };
        if name == crate::workspace::CONFIG_NAME
            || self.opts.ignore.as_ref().is_some_and(|g| g.is_match(&rel))
        {
            return;
        }
        // A name that is not UTF-8 cannot be shown exactly (two such
        // names may print alike): noted, not read.
        if path
            .strip_prefix(self.root)
            .map_or(true, |r| r.to_str().is_none())
        {
            self.skip(&rel, "file name is not UTF-8; not read".to_string());
            return;
        }
        if !self.is_readable_file(entry, &rel) || !self.within_size(path, &rel) {
            return;
        }
        if name == "Chart.yaml" {
            if let Some(chart) = chart_info(self.root, path) {
                let dir = rel
                    .rsplit_once('/')
                    .map_or(String::new(), |(d, _)| d.to_string());
                self.charts.insert(dir, chart);
            }
            return;
        }
        self.found.push((path.to_path_buf(), rel, kind));
    }

    /// Whether the entry is a regular file, or a link to a file inside the
    /// repository; links out of it and special files are noted.
    fn is_readable_file(&mut self, entry: &DirEntry, rel: &str) -> bool {
        let file_type = entry.file_type();
        if entry.path_is_symlink() {
            return match check_symlink(self.root, entry.path()) {
                Ok(readable) => readable,
                Err(message) => {
                    self.skip(rel, message);
                    false
                }
            };
        }
        if file_type.is_some_and(|t| t.is_file()) {
            return true;
        }
        if !file_type.is_some_and(|t| t.is_dir()) {
            self.skip(
                rel,
                "not a regular file (a FIFO, socket or device); not read".to_string(),
            );
        }
        false
    }

    /// Whether the file is within the size limit; a larger one is noted.
    fn within_size(&mut self, path: &Path, rel: &str) -> bool {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size <= self.opts.max_file_bytes {
            return true;
        }
        let message = format!(
            "file is {size} bytes, over the {} byte limit; not read",
            self.opts.max_file_bytes
        );
        self.skip(rel, message);
        false
    }

    /// Notes a file that is not read.
    fn skip(&mut self, rel: &str, message: String) {
        self.out.skipped.push(Finding::file_skipped(rel, message));
    }

    /// The files to read, sorted and each once, with their hints; the notes sorted by file.
    fn finish(self) -> Discovery {
        let Walk {
            opts,
            mut out,
            charts,
            mut found,
            ..
        } = self;
        found.sort_by(|a, b| a.1.cmp(&b.1));
        found.dedup_by(|a, b| a.1 == b.1);
        out.files = found
            .into_iter()
            .map(|(abs, rel, kind)| {
                let hint = hint_for(&rel, kind, &charts, opts);
                Candidate {
                    abs,
                    rel: Arc::from(rel),
                    kind,
                    hint,
                }
            })
            .collect();
        out.skipped.sort_by(|a, b| a.file.cmp(&b.file));
        out
    }
}

/// Notes a file or folder the walker could not read.
fn note_walk_error(root: &Path, err: &ignore::Error, out: &mut Discovery) {
    let path = match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => match err.as_ref() {
            ignore::Error::WithPath { path, .. } => Some(path.clone()),
            _ => None,
        },
        _ => None,
    };
    let rel = path
        .as_deref()
        .and_then(|p| relative(root, p))
        .unwrap_or_else(|| ".".to_string());
    out.skipped.push(Finding::file_skipped(
        &rel,
        format!("could not be read: {err}"),
    ));
}
