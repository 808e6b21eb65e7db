//! Allowances: inline `demarcate:allow` comments and waivers from
//! `.demarcate.yaml` that accept findings with a reason, a reference and an
//! expiry date; and the findings about allowances themselves (invalid,
//! expired, unused).

mod apply;
mod bind;
mod dates;

pub use apply::{Located, apply_inline, apply_waivers, waiver_evidence};
pub use bind::{Terms, base_comments, mark_carried};
pub use dates::{check_date, day_number, today};

use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::Waiver;
use crate::findings::{Allowed, Code, Finding};
use crate::packs::glob::TextGlob;
use crate::setting::{Pos, Span};
use crate::source::Source;

/// The marker of an inline allowance.
pub const MARKER: &str = "demarcate:allow";

/// Where an allowance applies.
#[derive(Debug, Clone)]
pub enum Reach {
    /// An inline comment: findings starting on this line of its file.
    Line(u32),
    /// A waiver: files matching `paths` (all when empty), settings whose key
    /// path matches one of `settings` (all when empty).
    Waiver {
        /// File globs.
        paths: Option<GlobSet>,
        /// Key-path text globs.
        settings: Vec<TextGlob>,
    },
}

/// One allowance.
#[derive(Debug, Clone)]
pub struct Allowance {
    /// The file it is written in.
    pub file: Arc<str>,
    /// Where it is written.
    pub at: Span,
    /// Area ids or finding codes it accepts.
    pub targets: Vec<String>,
    /// Why.
    pub reason: String,
    /// Ticket or change reference.
    pub r#ref: Option<String>,
    /// Last valid day, `YYYY-MM-DD`.
    pub until: Option<String>,
    /// The only new value it approves (`value=…`, or `value:` in a waiver).
    pub value: Option<String>,
    /// What it applies to.
    pub reach: Reach,
    /// An inline allowance's comment from its marker on (empty for a waiver).
    pub comment: String,
    /// Whether the comment is in the base revision unchanged (see [`mark_carried`]).
    pub carried: bool,
}

impl Allowance {
    /// `file:line` of the allowance, for `allowed.by`.
    pub fn by(&self) -> String {
        format!("{}:{}", self.file, self.at.start.line)
    }

    /// Whether the allowance reaches a location and key path.
    pub fn reaches(&self, file: &str, line: u32, setting: Option<&str>) -> bool {
        match &self.reach {
            Reach::Line(l) => *l == line && &*self.file == file,
            Reach::Waiver { paths, settings } => {
                paths.as_ref().is_none_or(|g| g.is_match(file))
                    && (settings.is_empty()
                        || setting.is_some_and(|s| settings.iter().any(|g| g.matches(s))))
            }
        }
    }

    /// Whether the allowance is past its `until` date on `today`.
    pub fn expired(&self, today: &str) -> bool {
        self.until.as_deref().is_some_and(|u| u < today)
    }
}

/// Reads the inline allowances of a file; malformed ones become `allowance-invalid` findings.
pub fn inline(file: &Arc<str>, src: &Source) -> (Vec<Allowance>, Vec<Finding>) {
    let mut found = Vec::new();
    let mut invalid = Vec::new();
    if !src.text().contains(MARKER) {
        return (found, invalid);
    }
    for n in 1..=crate::source::to_u32(src.line_count()) {
        let line = src.line(n);
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let before = line[..at].trim_end();
        // A comment marker at the line start or after whitespace (not `x#y` or `http://`).
        let comment = match before
            .strip_suffix('#')
            .or_else(|| before.strip_suffix("//"))
        {
            Some(b) if b.is_empty() || b.ends_with(char::is_whitespace) => b,
            _ => continue,
        };
        let own_line = comment.trim().is_empty();
        let col = crate::source::to_u32(line[..at].chars().count() + 1);
        let span = Span::new(
            Pos::new(n, col),
            Pos::new(n, crate::source::to_u32(line.chars().count() + 1)),
        );
        let reach = Reach::Line(if own_line { n + 1 } else { n });
        match parse_body(&line[at + MARKER.len()..]) {
            Ok(Body {
                targets,
                r#ref,
                until,
                value,
                reason,
            }) => {
                found.push(Allowance {
                    file: Arc::clone(file),
                    at: span,
                    targets,
                    reason,
                    r#ref,
                    until,
                    value,
                    reach,
                    comment: comment_key(line).unwrap_or_default().to_string(),
                    carried: false,
                });
            }
            Err(why) => invalid.push(Finding::at(
                Code::AllowanceInvalid,
                Arc::clone(file),
                span,
                why,
            )),
        }
    }
    (found, invalid)
}

/// The parts of an allowance comment.
struct Body {
    targets: Vec<String>,
    r#ref: Option<String>,
    until: Option<String>,
    value: Option<String>,
    reason: String,
}

/// Parses `TARGET[,TARGET] [ref=…] [until=YYYY-MM-DD] [value=…] -- reason`.
fn parse_body(text: &str) -> Result<Body, String> {
    let (head, reason) = match text.split_once("--") {
        Some((h, r)) => (h, r.trim()),
        None => (text, ""),
    };
    let mut words = head.split_whitespace();
    let targets: Vec<String> = words
        .next()
        .map(|t| {
            t.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if targets.is_empty() {
        return Err("`demarcate:allow` needs an area id or finding code".to_string());
    }
    let (mut r#ref, mut until, mut value) = (None, None, None);
    for w in words {
        match w.split_once('=') {
            Some(("ref", v)) if !v.is_empty() => r#ref = Some(v.to_string()),
            Some(("until", v)) => until = Some(check_date(v)?),
            Some(("value", v)) if !v.is_empty() => value = Some(v.to_string()),
            _ => {
                return Err(format!(
                    "unexpected `{w}` in the allowance; use `ref=…`, `until=YYYY-MM-DD`, `value=…` and `-- reason`"
                ));
            }
        }
    }
    if reason.is_empty() {
        return Err(format!(
            "the allowance for `{}` needs a reason after `--`",
            targets.join(",")
        ));
    }
    Ok(Body {
        targets,
        r#ref,
        until,
        value,
        reason: reason.to_string(),
    })
}

/// Waivers from the configuration; malformed ones become `allowance-invalid` findings.
pub fn waivers(config_file: &str, list: &[Waiver]) -> (Vec<Allowance>, Vec<Finding>) {
    let file: Arc<str> = Arc::from(config_file);
    let mut found = Vec::new();
    let mut invalid = Vec::new();
    for w in list {
        let span = Span::at(Pos::new(w.line, 1));
        let mut problem = |why: String| {
            invalid.push(Finding::at(
                Code::AllowanceInvalid,
                Arc::clone(&file),
                span,
                why,
            ))
        };
        let targets: Vec<String> = w.area.iter().chain(&w.code).cloned().collect();
        let Some(reason) = w.reason.clone().filter(|r| !r.trim().is_empty()) else {
            problem("the waiver needs a `reason`".to_string());
            continue;
        };
        if targets.is_empty() {
            problem("the waiver needs an `area` or a `code`".to_string());
            continue;
        }
        let until = match w.until.as_deref().map(check_date).transpose() {
            Ok(u) => u,
            Err(why) => {
                problem(why);
                continue;
            }
        };
        let mut set = GlobSetBuilder::new();
        for g in &w.paths {
            match Glob::new(g) {
                Ok(g) => {
                    set.add(g);
                }
                Err(e) => problem(format!("waiver path `{g}`: {e}")),
            }
        }
        let paths = if w.paths.is_empty() {
            None
        } else {
            set.build().ok()
        };
        let settings = w.settings.iter().map(|s| TextGlob::new(s, false)).collect();
        found.push(Allowance {
            file: Arc::clone(&file),
            at: span,
            targets,
            reason,
            r#ref: w.r#ref.clone(),
            until,
            value: w.value.clone(),
            reach: Reach::Waiver { paths, settings },
            comment: String::new(),
            carried: false,
        });
    }
    (found, invalid)
}

/// The `allowed` record of an allowance.
pub fn allowed(a: &Allowance) -> Allowed {
    Allowed {
        by: a.by(),
        reason: a.reason.clone(),
        r#ref: a.r#ref.clone(),
        until: a.until.clone(),
        waiver: matches!(a.reach, Reach::Waiver { .. }),
    }
}

/// The text of an allowance comment from its marker on, trimmed: what must
/// be unchanged for the allowance to be the same approval.
pub fn comment_key(line: &str) -> Option<&str> {
    line.find(MARKER).map(|at| line[at..].trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_allowances_in_yaml_and_hcl() {
        let text = "a:\n  # demarcate:allow edgehostlet ref=CHG-1 until=2027-03-31 -- approved by STACKIT\n  b: 1\nc = 2 // demarcate:allow shared-change -- ok\nd: 3 # demarcate:allow x\nurl: \"http://x#demarcate:allow\"\n";
        let (found, invalid) = inline(&Arc::from("f"), &Source::new(text.to_string()));
        assert_eq!(found.len(), 2);
        assert!(matches!(found[0].reach, Reach::Line(3)));
        assert_eq!(found[0].targets, vec!["edgehostlet"]);
        assert_eq!(found[0].r#ref.as_deref(), Some("CHG-1"));
        assert_eq!(found[0].until.as_deref(), Some("2027-03-31"));
        assert_eq!(found[0].reason, "approved by STACKIT");
        assert!(matches!(found[1].reach, Reach::Line(4)));
        assert_eq!(invalid.len(), 1);
        assert_eq!(invalid[0].span.start, Pos::new(5, 8));
        assert!(invalid[0].message.contains("needs a reason"));
    }
}
