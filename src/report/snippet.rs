//! A file's text as miette's `SourceCode`, read through our line index: a
//! snippet costs the lines it shows, not a scan of the file from its start,
//! and columns are counted in characters.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::setting::Pos;
use crate::source::{Source, to_u32};

/// A named source for snippets.
#[derive(Debug, Clone)]
pub struct Snippet {
    name: String,
    src: Arc<Source>,
}

impl Snippet {
    /// Wraps a file's text.
    pub fn new(name: impl Into<String>, src: Arc<Source>) -> Snippet {
        Snippet {
            name: name.into(),
            src,
        }
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.src.text();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.src.pos_of_byte(start);
        let last = self.src.pos_of_byte(end.saturating_sub(1).max(start));
        let lines = to_u32(self.src.line_count().max(1));
        let from_line = first
            .line
            .saturating_sub(to_u32(context_lines_before))
            .max(1);
        let to_line = last
            .line
            .saturating_add(to_u32(context_lines_after))
            .min(lines)
            .max(from_line);
        let from = self.src.line_start(from_line);
        let to = (self.src.line_start(to_line) + self.src.line(to_line).len())
            .max(end)
            .min(text.len());
        let column = if context_lines_before == 0 {
            first.col as usize - 1
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[from..to],
            (from, to - from).into(),
            from_line as usize - 1,
            column,
            (to_line - from_line + 1) as usize,
        )))
    }
}

/// A file's text as shown in snippets: every line passed through
/// [`super::escape::human_source_line`] and line breaks made `\n` (a lone
/// CR would return the cursor and let a source line overwrite the report).
/// Lines keep their numbers; columns are mapped with [`SafeText::pos`].
#[derive(Debug)]
pub struct SafeText {
    /// The text to hand to the snippet.
    pub shown: Arc<Source>,
    /// The file's own text, when it differs from `shown`.
    original: Option<Source>,
}

impl SafeText {
    /// Escapes a file's text for display (no copy when nothing needs it).
    pub fn new(src: Source) -> SafeText {
        let text = src.text();
        let clean = !text.contains('\r')
            && !text
                .chars()
                .any(|c| c != '\t' && c != '\n' && super::escape::is_unsafe(c));
        if clean {
            return SafeText {
                shown: Arc::new(src),
                original: None,
            };
        }
        let lines = to_u32(src.line_count().max(1));
        let mut shown = String::with_capacity(text.len() + 64);
        for n in 1..=lines {
            shown.push_str(&super::escape::human_source_line(src.line(n)));
            shown.push('\n');
        }
        SafeText {
            shown: Arc::new(Source::new(shown)),
            original: Some(src),
        }
    }

    /// Where a position of the file's own text is in the shown text.
    pub fn pos(&self, pos: Pos) -> Pos {
        let Some(original) = &self.original else {
            return pos;
        };
        let before = (pos.col as usize).saturating_sub(1);
        let col: usize = original
            .line(pos.line)
            .chars()
            .take(before)
            .map(super::escape::human_source_width)
            .sum::<usize>()
            + before.saturating_sub(original.line(pos.line).chars().count());
        Pos::new(pos.line, to_u32(col + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_in_source_are_escaped_and_columns_follow() {
        let safe = SafeText::new(Source::new("a: \u{1b}[2Jx\rb: \u{202e}y\n".to_string()));
        assert_eq!(safe.shown.text(), "a: \\u{1b}[2Jx\nb: \\u{202e}y\n");
        // `x` is column 8 in the file, after the 6-character escape.
        assert_eq!(safe.pos(Pos::new(1, 8)), Pos::new(1, 13));
        assert_eq!(safe.pos(Pos::new(2, 5)), Pos::new(2, 12));
        let plain = SafeText::new(Source::new("\tk: v\n".to_string()));
        assert_eq!(plain.pos(Pos::new(1, 3)), Pos::new(1, 3));
    }
}
