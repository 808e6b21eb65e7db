//! The pipeline every command shares: discover files, read and parse them
//! in parallel, and collect settings and problems per file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

mod read;

pub use read::{FileRead, MAX_PROBLEMS_PER_FILE, read_bytes};

use crate::allow::{self, Allowance};
use crate::classify::Match;
use crate::discover::{self, Candidate, WalkOptions};
use crate::findings::Finding;
use crate::formats::{FileHint, FileKind};
use crate::limits::Limits;
use crate::models::Models;
use crate::setting::Setting;

/// What to scan.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    /// Repository root; output paths are relative to it.
    pub root: PathBuf,
    /// Absolute paths to walk (files or directories inside the root).
    pub paths: Vec<PathBuf>,
    /// Walk settings.
    pub walk: WalkOptions,
    /// Parse limits.
    pub limits: Limits,
}

/// One file's settings and problems.
#[derive(Debug, Clone)]
pub struct FileScan {
    /// Repository-relative path.
    pub rel: Arc<str>,
    /// Kind by name.
    pub kind: FileKind,
    /// Settings in document order.
    pub settings: Vec<Setting>,
    /// Parse errors and notes about this file.
    pub problems: Vec<Finding>,
    /// The model that judges this file (index into [`Models`]).
    pub model: Option<usize>,
    /// The area each setting belongs to (same order as `settings`).
    pub matches: Vec<Option<Match>>,
    /// Inline `demarcate:allow` comments.
    pub allowances: Vec<Allowance>,
}

impl FileScan {
    /// Classifies the settings under the model for this file.
    pub fn classify(&mut self, models: &Models<'_>) {
        self.model = models.for_file(&self.rel);
        self.matches = match self.model {
            Some(m) => self
                .settings
                .iter()
                .map(|s| models.classify(m, &s.view()))
                .collect(),
            None => vec![None; self.settings.len()],
        };
    }

    /// The settings with their area ids, for deciding which allowances are used.
    pub fn located<'s>(&'s self, models: &'s Models<'_>) -> Vec<allow::Located<'s>> {
        let pack = self.model.and_then(|m| models.model(m)).map(|m| m.pack);
        self.settings
            .iter()
            .zip(&self.matches)
            .map(|(s, m)| allow::Located {
                file: &self.rel,
                line: s.span.start.line,
                path: &s.path,
                area: pack.zip(*m).map(|(p, m)| p.areas[m.area].id.as_str()),
            })
            .collect()
    }
}

/// Everything read from a repository.
#[derive(Debug, Default)]
pub struct Scan {
    /// Files read, sorted by path.
    pub files: Vec<FileScan>,
    /// Files noted but not read.
    pub skipped: Vec<Finding>,
}

impl Scan {
    /// Every setting, file by file.
    pub fn settings(&self) -> impl Iterator<Item = &Setting> {
        self.files.iter().flat_map(|f| f.settings.iter())
    }

    /// Parse errors and file notes, in path order.
    pub fn problems(&self) -> Vec<Finding> {
        let mut all: Vec<Finding> = self
            .files
            .iter()
            .flat_map(|f| f.problems.iter().cloned())
            .chain(self.skipped.iter().cloned())
            .collect();
        all.sort_by(Finding::cmp_order);
        all
    }
}

/// Walks, parses and classifies a repository, keeping every file.
pub fn scan(req: &ScanRequest, models: &Models<'_>) -> Scan {
    let mut files = Vec::new();
    let skipped = scan_streamed(req, models, |f| f, |f| files.push(f));
    Scan { files, skipped }
}

/// Files parsed at once when streaming: memory holds one batch of parsed files.
const BATCH: usize = 64;

/// Walks, parses and classifies a repository batch by batch: `map` turns
/// each parsed and classified file into what the caller keeps (in
/// parallel), and `sink` receives the results in path order. Returns the
/// notes about files that were not read.
pub fn scan_streamed<T: Send>(
    req: &ScanRequest,
    models: &Models<'_>,
    map: impl Fn(FileScan) -> T + Sync,
    sink: impl FnMut(T),
) -> Vec<Finding> {
    stream_files(
        req,
        BATCH,
        |c, bytes| {
            let mut file = match bytes {
                Ok(bytes) => parse_bytes(&c.rel, c.kind, &c.hint, bytes, &req.limits),
                Err(message) => FileScan {
                    rel: Arc::clone(&c.rel),
                    kind: c.kind,
                    settings: Vec::new(),
                    problems: vec![Finding::file_skipped(&c.rel, message)],
                    model: None,
                    matches: Vec::new(),
                    allowances: Vec::new(),
                },
            };
            file.classify(models);
            map(file)
        },
        sink,
    )
}

/// Walks a repository and reads its files `batch` at a time: `each` gets a
/// file found and its bytes (or why they could not be read) and runs in
/// parallel; `sink` receives the results in path order. Memory holds one
/// batch of results; fewer, larger batches keep every core busy longer
/// (each batch ends when its slowest file is done). Returns the notes
/// about files that were not read.
pub fn stream_files<T: Send>(
    req: &ScanRequest,
    batch: usize,
    each: impl Fn(&Candidate, Result<Vec<u8>, String>) -> T + Sync,
    mut sink: impl FnMut(T),
) -> Vec<Finding> {
    let discovery = discover::walk(&req.root, &req.paths, &req.walk);
    for batch in discovery.files.chunks(batch.max(1)) {
        let results: Vec<T> = batch
            .par_iter()
            .map(|c| each(c, read_capped(&c.abs, req.limits.max_file_bytes)))
            .collect();
        results.into_iter().for_each(&mut sink);
    }
    discovery.skipped
}

/// Parses one file's bytes (from disk or from a git revision), keeping
/// every setting, in source order.
pub fn parse_bytes(
    rel: &Arc<str>,
    kind: FileKind,
    hint: &FileHint,
    bytes: Vec<u8>,
    limits: &Limits,
) -> FileScan {
    let read = read_bytes(rel, kind, hint, bytes, limits, |_| Vec::new());
    let mut settings = read.sink.unwrap_or_default();
    // Embedded documents are read after their carrier: put every setting in
    // source order (stable, so a block stays before children at its position).
    settings.sort_by_key(|s| s.span.start);
    FileScan {
        rel: Arc::clone(rel),
        kind,
        settings,
        problems: read.problems,
        model: None,
        matches: Vec::new(),
        allowances: read.allowances,
    }
}

/// Reads at most `max` bytes (a file that grew past the limit is refused).
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    crate::source::read_file(path, max)
}
