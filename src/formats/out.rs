//! What the readers produce besides the document trees: settings handed
//! to a [`Sink`] as they are read, and the problems of a file with the
//! budget its settings may take.

use crate::setting::{Setting, SettingRef, Span};

/// What kind of problem a file has; the caller maps it to a finding code
/// (`scan`), so that the readers need nothing from `findings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file (or a document in it) could not be parsed, or hit a limit
    /// while parsing (`parse-error`).
    Parse,
    /// A key written twice where the tool that reads the file keeps the last
    /// one (`duplicate-key`).
    DuplicateKey,
    /// The file is deliberately not read (`file-skipped`).
    Skipped,
}

/// A problem in one file (the file is known to the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
}

/// Receives the settings of a file as the readers produce them: each
/// document in order, a block before its children, and the documents a
/// setting carries after it. Classifying and judging in a sink, while the
/// document is walked, keeps an owned [`Setting`] only for what is reported.
pub trait Sink {
    /// One setting, borrowed from the reader.
    fn setting(&mut self, s: SettingRef<'_>);
}

impl Sink for Vec<Setting> {
    fn setting(&mut self, s: SettingRef<'_>) {
        self.push(s.to_setting());
    }
}

/// What the readers write besides settings.
#[derive(Debug, Default)]
pub struct Out {
    /// Parse errors and limits hit.
    pub problems: Vec<Problem>,
    /// Bytes of key paths and values emitted.
    pub settings_bytes: usize,
    /// Most bytes of key paths and values (see [`tree::settings_bytes_limit`]).
    pub settings_limit: usize,
    /// Whether settings stopped being emitted at that limit.
    pub settings_full: bool,
}
