//! Reading one file's bytes: decoding, the guards that refuse a file
//! (binary, not UTF-8, an over-long line, a control character), its inline
//! allowances, and its parse, with the readers' problems mapped to finding
//! codes and capped.

use std::sync::Arc;

use crate::allow::{self, Allowance};
use crate::findings::{Code, Finding};
use crate::formats::{self, FileHint, FileKind, ProblemKind, Sink};
use crate::limits::Limits;
use crate::setting::{Pos, Span};
use crate::source::{DecodeError, Source};

/// What reading one file gave besides its settings (which went to a sink).
#[derive(Debug, Default)]
pub struct FileRead<S> {
    /// Parse errors and notes about the file (at most
    /// [`MAX_PROBLEMS_PER_FILE`] and one more that counts the rest).
    pub problems: Vec<Finding>,
    /// Inline `demarcate:allow` comments.
    pub allowances: Vec<Allowance>,
    /// The sink the settings went to; `None` when the file was refused
    /// before it was parsed.
    pub sink: Option<S>,
}

/// Reads one file's bytes, handing its settings to the sink `sink` makes
/// once the file's inline allowances are known (so that it can keep what
/// settling them needs).
pub fn read_bytes<S: Sink>(
    rel: &Arc<str>,
    kind: FileKind,
    hint: &FileHint,
    bytes: Vec<u8>,
    limits: &Limits,
    sink: impl FnOnce(&[Allowance]) -> S,
) -> FileRead<S> {
    let refused = |code, pos, message| FileRead {
        problems: vec![Finding::at(code, Arc::clone(rel), Span::at(pos), message)],
        allowances: Vec::new(),
        sink: None,
    };
    let src = match Source::from_bytes(bytes) {
        Ok(src) => src,
        Err(err) => {
            let pos = match err {
                DecodeError::Binary { line } => Pos::new(line, 1),
                DecodeError::NotUtf8 { line, col } => Pos::new(line, col),
            };
            return refused(Code::FileSkipped, pos, format!("{err}; not read"));
        }
    };
    let (longest, line) = src.longest_line();
    if longest > limits.max_line_bytes {
        return refused(
            Code::FileSkipped,
            Pos::new(line, 1),
            format!(
                "line {line} is {longest} bytes long, over the {} byte limit; not read",
                limits.max_line_bytes
            ),
        );
    }
    if let Some((at, c)) = control_character(src.text()) {
        return refused(
            Code::ParseError,
            src.pos_of_byte(at),
            format!(
                "control character U+{:04X} in the text (YAML and HCL files may not hold one unescaped); not read",
                u32::from(c)
            ),
        );
    }
    let (allowances, invalid) = allow::inline(rel, &src);
    let mut sink = sink(&allowances);
    let mut problems: Vec<Finding> = formats::parse_into(rel, kind, &src, hint, limits, &mut sink)
        .into_iter()
        .map(|p| Finding::at(problem_code(p.kind), Arc::clone(rel), p.span, p.message))
        .collect();
    problems.extend(invalid);
    cap_problems(&mut problems, rel);
    FileRead {
        problems,
        allowances,
        sink: Some(sink),
    }
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
