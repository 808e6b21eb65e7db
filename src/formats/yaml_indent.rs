//! Indentation the way libyaml reads it (go-yaml in Helm, kubectl and Talos;
//! PyYAML). The YAML spec wants the lines of a flow collection or quoted
//! scalar written in block context to be indented past their parent, and
//! saphyr-parser enforces that; libyaml ignores indentation there. So
//!
//! ```yaml
//! a:
//!   args: [
//!     "x"
//!   ]
//! ```
//!
//! is valid to every Go tool, but an `invalid indentation` to saphyr. When
//! saphyr stops on such a line, spaces are put in front of it and the text is
//! read again; positions are moved back by the same amount, so every span
//! stays exact. Leading white space is no content inside a flow collection or
//! a quoted scalar, so the values read are the ones libyaml reads.

use std::collections::BTreeMap;

use crate::setting::Pos;
use crate::source::{Source, to_u32};

/// Most re-reads of one text (each re-read fixes one line or one scalar).
const MAX_RETRIES: u32 = 200;

/// Most spaces put in front of one line.
const MAX_SHIFT: u32 = 512;

/// Most bytes read again over all re-reads of one text (a large file gets
/// fewer re-reads: the work stays linear in its size).
const MAX_REREAD_BYTES: usize = 32 << 20;

/// Where saphyr stopped on an indentation libyaml accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A token inside a flow collection, on this 1-based line.
    Flow {
        /// The line.
        line: u32,
        /// Flow collections open around it.
        depth: usize,
    },
    /// A quoted scalar starting at this 1-based line and 0-based column
    /// (of the shifted text) whose continuation lines are less indented.
    Quoted {
        /// The line of the opening quote.
        line: u32,
        /// The column of the opening quote.
        col: u32,
    },
}

impl Stop {
    /// Classifies a saphyr error: `depth` is the number of flow collections
    /// open around it (innermost first, up to the first block collection).
    pub fn of(message: &str, line: u32, col: u32, depth: usize) -> Option<Stop> {
        match message {
            "invalid indentation" | "invalid indentation in flow construct" if depth > 0 => {
                Some(Stop::Flow { line, depth })
            }
            "invalid indentation in quoted scalar" => Some(Stop::Quoted { line, col }),
            _ => None,
        }
    }
}

/// Spaces put in front of lines, by 1-based line.
#[derive(Debug, Default)]
pub struct Reindent {
    added: BTreeMap<u32, u32>,
    last: u32,
    retries: u32,
    reread: usize,
}

impl Reindent {
    /// Whether no line is shifted.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
    }

    /// The text with the spaces put in.
    pub fn apply(&self, src: &Source) -> Source {
        let text = src.text();
        let mut out = String::with_capacity(text.len() + self.added.values().sum::<u32>() as usize);
        let mut from = 0;
        for (&line, &n) in &self.added {
            let at = src.line_start(line);
            out.push_str(&text[from..at]);
            out.extend(std::iter::repeat_n(' ', n as usize));
            from = at;
        }
        out.push_str(&text[from..]);
        Source::new(out)
    }

    /// A position in the shifted text moved back to the original text.
    pub fn back(&self, pos: Pos) -> Pos {
        match self.added.get(&pos.line) {
            Some(&n) => Pos::new(pos.line, pos.col.saturating_sub(n).max(1)),
            None => pos,
        }
    }

    /// Shifts more lines for a stop met in `shifted` (the current text);
    /// `false` when nothing more can be done (the error stands).
    pub fn fix(&mut self, stop: Stop, shifted: &Source) -> bool {
        let cost = shifted.text().len();
        if self.retries >= MAX_RETRIES || self.reread + cost > MAX_REREAD_BYTES {
            return false;
        }
        self.retries += 1;
        self.reread += cost;
        match stop {
            Stop::Flow { line, depth } => {
                // The indentation needed is not known: start from what the
                // last line needed, and double on each stop at the same line.
                // Every line up to the end of the flow collection gets the
                // same spaces (white space is no content there), so that a
                // long collection costs a few re-reads, not one a line.
                let now = self.added.get(&line).copied().unwrap_or(0);
                let more = if now == 0 { self.last.max(1) } else { now };
                if now + more > MAX_SHIFT {
                    return false;
                }
                let end = flow_end(shifted, line, depth).unwrap_or(line);
                for at in line..=end {
                    let blank = shifted.line(at).trim().is_empty();
                    if at == line || !blank {
                        let n = self.added.entry(at).or_insert(0);
                        *n = (*n + more).min(MAX_SHIFT);
                    }
                }
                self.last = now + more;
                true
            }
            Stop::Quoted { line, col } => self.quoted(shifted, line, col),
        }
    }

    /// Indents every continuation line of the quoted scalar at `line`:`col`
    /// at least to the column of its opening quote (more than any block
    /// indentation around it).
    fn quoted(&mut self, shifted: &Source, line: u32, col: u32) -> bool {
        let first = shifted.line(line);
        let Some((open_at, quote)) = first.char_indices().nth(col as usize) else {
            return false;
        };
        if quote != '"' && quote != '\'' {
            return false;
        }
        let mut changed = false;
        let mut rest = &first[open_at + 1..];
        let mut at = line;
        loop {
            if closes(rest, quote) {
                return changed;
            }
            at += 1;
            if at as usize > shifted.line_count() {
                return changed;
            }
            rest = shifted.line(at);
            let lead = to_u32(rest.chars().take_while(|c| *c == ' ' || *c == '\t').count());
            if lead < col && lead < to_u32(rest.chars().count()) {
                let n = self.added.entry(at).or_insert(0);
                if *n + (col - lead) > MAX_SHIFT {
                    return false;
                }
                *n += col - lead;
                changed = true;
            }
        }
    }
}

/// The line on which the `depth` flow collections open at the start of
/// `line` are all closed, following quoted scalars and comments; `None` if
/// the text ends first.
fn flow_end(src: &Source, line: u32, mut depth: usize) -> Option<u32> {
    let mut quote: Option<char> = None;
    // The last character that is not white space, outside quotes: a quote
    // opens a scalar only where a node starts.
    let mut last = '[';
    for at in line..=to_u32(src.line_count()) {
        let mut prev = ' ';
        let mut chars = src.line(at).chars().peekable();
        while let Some(c) = chars.next() {
            match quote {
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(q) if c == q => {
                    if q == '\'' && chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        quote = None;
                        last = c;
                    }
                }
                Some(_) => {}
                None if c == '#' && prev.is_whitespace() => break,
                None if (c == '"' || c == '\'') && matches!(last, '[' | '{' | ',' | ':' | '?') => {
                    quote = Some(c);
                }
                None => {
                    match c {
                        '[' | '{' => depth += 1,
                        ']' | '}' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                return Some(at);
                            }
                        }
                        _ => {}
                    }
                    if !c.is_whitespace() {
                        last = c;
                    }
                }
            }
            prev = c;
        }
    }
    None
}

/// Whether a quoted scalar's text from here closes on this line.
fn closes(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek() == Some(&'\'') {
                chars.next();
            } else {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_lines_map_back() {
        let src = Source::new("a: [\nb,\n]\n".to_string());
        let mut r = Reindent::default();
        assert!(r.fix(Stop::Flow { line: 2, depth: 1 }, &src));
        let shifted = r.apply(&src);
        // Every line to the closing bracket moves.
        assert_eq!(shifted.text(), "a: [\n b,\n ]\n");
        assert_eq!(r.back(Pos::new(2, 2)), Pos::new(2, 1));
        assert_eq!(r.back(Pos::new(3, 2)), Pos::new(3, 1));
        // A second stop at the same line doubles the shift.
        assert!(r.fix(Stop::Flow { line: 2, depth: 1 }, &shifted));
        assert_eq!(r.apply(&src).text(), "a: [\n  b,\n  ]\n");
    }

    #[test]
    fn quoted_continuations_reach_the_quote_column() {
        let src = Source::new("k: \"a\nb \\\" c\n  d\"\ne: 1\n".to_string());
        let mut r = Reindent::default();
        assert!(r.fix(Stop::Quoted { line: 1, col: 3 }, &src));
        assert_eq!(r.apply(&src).text(), "k: \"a\n   b \\\" c\n   d\"\ne: 1\n");
    }

    #[test]
    fn re_reads_are_bounded_by_count_and_bytes() {
        let small = Source::new("a: [\nb]\n".to_string());
        let mut r = Reindent::default();
        let mut fixes = 0;
        while r.fix(
            Stop::Flow {
                line: 2 + fixes % 100,
                depth: 1,
            },
            &small,
        ) {
            fixes += 1;
        }
        assert_eq!(fixes, MAX_RETRIES);
        let big = Source::new(" ".repeat(MAX_REREAD_BYTES / 3));
        let mut r = Reindent::default();
        let mut fixes = 0;
        while r.fix(Stop::Flow { line: 1, depth: 1 }, &big) {
            fixes += 1;
        }
        assert_eq!(fixes, 3);
    }

    #[test]
    fn other_errors_are_not_stops() {
        assert_eq!(Stop::of("invalid indentation", 3, 0, 0), None);
        assert_eq!(Stop::of("mapping values are not allowed", 3, 0, 1), None);
        assert_eq!(
            Stop::of("invalid indentation", 3, 0, 2),
            Some(Stop::Flow { line: 3, depth: 2 })
        );
    }

    #[test]
    fn flow_ends_are_found_past_quotes_and_comments() {
        let src = Source::new(
            "a: [\n 'x ] '' y',\n \"]\\\"\", it's # ]\n {b: [c]}\n ]\nd: 1\n".to_string(),
        );
        assert_eq!(flow_end(&src, 2, 1), Some(5));
        assert_eq!(flow_end(&src, 4, 1), Some(5));
        assert_eq!(flow_end(&src, 2, 3), None);
    }
}
