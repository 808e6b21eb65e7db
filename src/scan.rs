//! The pipeline every command shares: discover files, read and parse them
//! in parallel, and collect settings and problems per file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::allow::{self, Allowance};
use crate::classify::Match;
use crate::discover::{self, Candidate, WalkOptions};
use crate::findings::{Code, Finding};
use crate::formats::{self, FileHint, FileKind, ProblemKind};
use crate::limits::Limits;
use crate::models::Models;
use crate::setting::{Pos, Setting, Span};
use crate::source::{DecodeError, Source};

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
                .map(|s| models.classify(m, s))
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
    mut sink: impl FnMut(T),
) -> Vec<Finding> {
    let discovery = discover::walk(&req.root, &req.paths, &req.walk);
    for batch in discovery.files.chunks(BATCH) {
        let results: Vec<T> = batch
            .par_iter()
            .map(|c| {
                let mut file = scan_candidate(c, &req.limits);
                file.classify(models);
                map(file)
            })
            .collect();
        results.into_iter().for_each(&mut sink);
    }
    discovery.skipped
}

fn scan_candidate(c: &Candidate, limits: &Limits) -> FileScan {
    match read_capped(&c.abs, limits.max_file_bytes) {
        Ok(bytes) => parse_bytes(&c.rel, c.kind, &c.hint, bytes, limits),
        Err(message) => FileScan {
            rel: Arc::clone(&c.rel),
            kind: c.kind,
            settings: Vec::new(),
            problems: vec![Finding::file_skipped(&c.rel, message)],
            model: None,
            matches: Vec::new(),
            allowances: Vec::new(),
        },
    }
}

/// Reads at most `max` bytes (a file that grew past the limit is refused).
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    crate::source::read_file(path, max)
}

/// Parses one file's bytes (from disk or from a git revision).
pub fn parse_bytes(
    rel: &Arc<str>,
    kind: FileKind,
    hint: &FileHint,
    bytes: Vec<u8>,
    limits: &Limits,
) -> FileScan {
    let mut scan = FileScan {
        rel: Arc::clone(rel),
        kind,
        settings: Vec::new(),
        problems: Vec::new(),
        model: None,
        matches: Vec::new(),
        allowances: Vec::new(),
    };
    let src = match Source::from_bytes(bytes) {
        Ok(src) => src,
        Err(err) => {
            let pos = match err {
                DecodeError::Binary { line } => Pos::new(line, 1),
                DecodeError::NotUtf8 { line, col } => Pos::new(line, col),
            };
            scan.problems.push(Finding::at(
                Code::FileSkipped,
                Arc::clone(rel),
                Span::at(pos),
                format!("{err}; not read"),
            ));
            return scan;
        }
    };
    let (longest, line) = src.longest_line();
    if longest > limits.max_line_bytes {
        scan.problems.push(Finding::at(
            Code::FileSkipped,
            Arc::clone(rel),
            Span::at(Pos::new(line, 1)),
            format!(
                "line {line} is {longest} bytes long, over the {} byte limit; not read",
                limits.max_line_bytes
            ),
        ));
        return scan;
    }
    if let Some((at, c)) = control_character(src.text()) {
        scan.problems.push(Finding::at(
            Code::ParseError,
            Arc::clone(rel),
            Span::at(src.pos_of_byte(at)),
            format!(
                "control character U+{:04X} in the text (YAML and HCL files may not hold one unescaped); not read",
                u32::from(c)
            ),
        ));
        return scan;
    }
    let parsed = formats::parse_file(rel, kind, &src, hint, limits);
    scan.settings = parsed.settings;
    scan.problems = parsed
        .problems
        .into_iter()
        .map(|p| Finding::at(problem_code(p.kind), Arc::clone(rel), p.span, p.message))
        .collect();
    let (allowances, invalid) = allow::inline(rel, &src);
    scan.allowances = allowances;
    scan.problems.extend(invalid);
    cap_problems(&mut scan.problems, rel);
    scan
}

/// The first control character other than tab and line breaks (C0, DEL,
/// C1 but NEL): YAML does not allow them, and they could steer a terminal
/// showing a key or value.
fn control_character(text: &str) -> Option<(usize, char)> {
    // C0 and DEL are single bytes; C1 is 0xC2 0x80..=0x9F in UTF-8.
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(p) = bytes[from..]
        .iter()
        .position(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC2)
    {
        let at = from + p;
        match bytes[at] {
            0xC2 => {
                if let Some(&next) = bytes.get(at + 1) {
                    if (0x80..=0x9F).contains(&next) && next != 0x85 {
                        return Some((at, char::from_u32(u32::from(next)).unwrap_or('\u{80}')));
                    }
                }
            }
            b => return Some((at, char::from(b))),
        }
        from = at + 1;
    }
    None
}

/// The finding code of a reader's problem.
fn problem_code(kind: ProblemKind) -> Code {
    match kind {
        ProblemKind::Parse => Code::ParseError,
        ProblemKind::DuplicateKey => Code::DuplicateKey,
        ProblemKind::Skipped => Code::FileSkipped,
    }
}

/// Most problems reported for one file; the rest are summed up in one more.
pub const MAX_PROBLEMS_PER_FILE: usize = 20;

/// Keeps the first [`MAX_PROBLEMS_PER_FILE`] problems of a file (by
/// position) and says how many more there are.
fn cap_problems(problems: &mut Vec<Finding>, rel: &Arc<str>) {
    if problems.len() <= MAX_PROBLEMS_PER_FILE {
        return;
    }
    problems.sort_by_key(|p| p.span.start);
    let more = problems.len() - MAX_PROBLEMS_PER_FILE;
    let at = problems[MAX_PROBLEMS_PER_FILE].span;
    problems.truncate(MAX_PROBLEMS_PER_FILE);
    problems.push(Finding::at(
        Code::ParseError,
        Arc::clone(rel),
        at,
        format!("further problems in this file are not listed ({more} or more)"),
    ));
}
