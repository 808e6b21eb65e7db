//! Findings as data: what demarcate reports, with a stable [`Code`], a
//! [`Severity`], a location and a message. A core module (ARCHITECTURE.md
//! section 2): every layer builds findings, so this imports only `setting`;
//! judging settings into findings is the engine's (`crate::findings`).

mod area;
mod codes;
mod severity;

use std::sync::Arc;

pub use area::{AreaRef, Role};
pub use codes::Code;
pub use severity::Severity;

use serde::Serialize;

use crate::setting::{Format, Pos, Span};

/// How a setting changed between the base and the new revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// New in the new revision.
    Added,
    /// Present in both with a different value.
    Modified,
    /// Gone from the new revision.
    Removed,
}

/// An allowance that accepted a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allowed {
    /// Where the allowance is written (`file:line`).
    pub by: String,
    /// The reason given.
    pub reason: String,
    /// Reference (ticket, change request), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#ref: Option<String>,
    /// Expiry date, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Whether it is a waiver in the configuration (not a comment next to the setting).
    #[serde(skip)]
    pub waiver: bool,
}

/// One reported finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable code.
    pub code: Code,
    /// Severity after configuration.
    pub severity: Severity,
    /// Repository-relative path.
    pub file: Arc<str>,
    /// Location in the file.
    pub span: Span,
    /// Key path of the setting, if the finding is about one.
    pub setting: Option<String>,
    /// Format of the setting.
    pub format: Option<Format>,
    /// Kind of change, in base or staged mode.
    pub change: Option<ChangeKind>,
    /// Value at the base revision.
    pub before: Option<String>,
    /// Value in the new revision.
    pub after: Option<String>,
    /// Area and responsibility.
    pub area: Option<Arc<AreaRef>>,
    /// The area id at the base end, when the two ends of a change classify
    /// differently (`Some(None)`: no area at the base).
    pub area_before: Option<Option<String>>,
    /// What happened and what to do.
    pub message: String,
    /// The allowance that accepted it, if any.
    pub allowed: Option<Allowed>,
    /// Whom to ask (from `contacts:` in `.demarcate.yaml`).
    pub contacts: Vec<String>,
}

impl Finding {
    /// The order findings are reported in: by file, start position, then code.
    pub fn sort_key(&self) -> (&str, Pos, Code) {
        (&self.file, self.span.start, self.code)
    }

    /// A `file-skipped` note about a file that is not read (at its first line).
    pub fn file_skipped(rel: &str, message: String) -> Finding {
        Finding::at(
            Code::FileSkipped,
            Arc::from(rel),
            Span::at(Pos::new(1, 1)),
            message,
        )
    }

    /// Compares two findings by [`Finding::sort_key`] (for `sort_by`).
    pub fn cmp_order(&self, other: &Finding) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }

    /// A finding about a file location that is not a setting.
    pub fn at(code: Code, file: Arc<str>, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity: code.default_severity(),
            file,
            span,
            setting: None,
            format: None,
            change: None,
            before: None,
            after: None,
            area: None,
            area_before: None,
            message: message.into(),
            allowed: None,
            contacts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: &str, line: u32, col: u32, code: Code) -> Finding {
        let pos = Pos::new(line, col);
        Finding::at(code, file.into(), Span::new(pos, pos), "m")
    }

    #[test]
    fn findings_order_by_file_then_position_then_code() {
        let mut found = [
            at("b.yaml", 1, 1, Code::ParseError),
            at("a.yaml", 2, 1, Code::SharedChange),
            at("a.yaml", 1, 5, Code::ParseError),
            at("a.yaml", 1, 5, Code::VendorOwnedChange),
            at("a.yaml", 1, 2, Code::DuplicateKey),
        ];
        found.sort_by(Finding::cmp_order);
        let order: Vec<(&str, u32, u32, Code)> = found
            .iter()
            .map(|f| (&*f.file, f.span.start.line, f.span.start.col, f.code))
            .collect();
        assert_eq!(
            order,
            [
                ("a.yaml", 1, 2, Code::DuplicateKey),
                ("a.yaml", 1, 5, Code::VendorOwnedChange),
                ("a.yaml", 1, 5, Code::ParseError),
                ("a.yaml", 2, 1, Code::SharedChange),
                ("b.yaml", 1, 1, Code::ParseError),
            ]
        );
    }
}
