//! A file's text as miette's `SourceCode`, read through our line index: a
//! snippet costs the lines it shows, not a scan of the file from its start,
//! and columns are counted in characters.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

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
