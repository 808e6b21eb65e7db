//! A linear pre-scan of HCL text that bounds the work `hcl-edit` would do
//! on it. Two of its costs are not linear: an object looks every new key up
//! among the keys before it (quadratic in its number of entries), and a
//! heredoc whose end line is missing is scanned to the end of the file
//! before the parser falls back to an empty heredoc. The scan follows the
//! parser's lexical rules (strings, escapes, interpolations, heredocs,
//! comments) and counts, for every object, an upper bound of its entries:
//! the commas and line breaks directly inside it, plus one.

use hcl_primitives::ident::{is_id_continue, is_id_start};

/// Most work allowed for object keys: the sum of the squared entry counts.
pub const MAX_OBJECT_WORK: u64 = 1 << 26;
/// Most bytes scanned again for heredocs without an end line.
pub const MAX_RESCAN_BYTES: u64 = 1 << 25;

/// Why the text is not handed to the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Objects with too many entries; `at` is the byte offset of the one that went over.
    Objects {
        /// Byte offset of the `{`.
        at: usize,
        /// Entries of that object (an upper bound).
        entries: u64,
    },
    /// Heredocs without an end line; `at` is the byte offset of the one that went over.
    Heredocs {
        /// Byte offset of the `<<`.
        at: usize,
    },
}

/// What the scan found: every object (offset of its `{`, entry bound).
#[derive(Debug, Default)]
pub struct Objects {
    /// Objects closed, in closing order.
    pub list: Vec<(usize, u64)>,
}

/// Checks that parsing `text` stays within the work limits.
pub fn check(text: &str) -> Result<(), Refusal> {
    scan(text, None)
}

/// Scans `text`, listing the objects found (for tests that compare the
/// bound with what the parser reads).
pub fn objects(text: &str) -> (Objects, Result<(), Refusal>) {
    let mut objects = Objects::default();
    let result = scan(text, Some(&mut objects));
    (objects, result)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// The top level or a block body.
    Body,
    /// An object: offset of `{` and separators seen so far, plus one.
    Object(usize, u64),
    /// `[` or `(`.
    Group,
    /// `${` / `%{` up to its `}`.
    Interp,
    /// A quoted string (`$${` and `%%{` are escapes anywhere in it, as in hcl-edit).
    Str,
    /// A heredoc: offset of `<<`, delimiter range, body start.
    Heredoc {
        at: usize,
        delim: (usize, usize),
        body: usize,
    },
}

struct Scanner<'t, 'o> {
    text: &'t str,
    bytes: &'t [u8],
    stack: Vec<Frame>,
    /// The last token on this line was a word (identifier or string):
    /// a `{` after it in a body opens a block, not an object.
    word: bool,
    object_work: u64,
    rescan: u64,
    out: Option<&'o mut Objects>,
}

fn scan(text: &str, out: Option<&mut Objects>) -> Result<(), Refusal> {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        stack: vec![Frame::Body],
        word: false,
        object_work: 0,
        rescan: 0,
        out,
    };
    let mut i = 0;
    loop {
        if i >= s.bytes.len() {
            match s.end_of_text()? {
                Some(next) => i = next,
                None => return Ok(()),
            }
            continue;
        }
        i = match s.stack.last().copied() {
            Some(Frame::Str) => s.string(i),
            Some(Frame::Heredoc { at, delim, body }) => s.heredoc(i, at, delim, body),
            _ => s.code(i)?,
        };
    }
}

impl Scanner<'_, '_> {
    fn starts(&self, i: usize, pat: &str) -> bool {
        self.bytes
            .get(i..)
            .is_some_and(|rest| rest.starts_with(pat.as_bytes()))
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..).and_then(|rest| rest.chars().next())
    }

    /// One step in a quoted string.
    fn string(&mut self, i: usize) -> usize {
        if self.starts(i, "$${") || self.starts(i, "%%{") {
            return i + 3;
        }
        match self.bytes[i] {
            b'"' => {
                self.stack.pop();
                self.word = true;
                i + 1
            }
            b'\\' => i + 2,
            b'$' | b'%' if self.bytes.get(i + 1) == Some(&b'{') => {
                self.stack.push(Frame::Interp);
                i + 2
            }
            _ => i + 1,
        }
    }

    /// Whether a heredoc end (`space0 delim` not followed by an identifier
    /// character) starts at `i`; returns the offset after the delimiter.
    fn heredoc_end(&self, mut i: usize, delim: (usize, usize)) -> Option<usize> {
        while matches!(self.bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let name = self.text.get(delim.0..delim.1)?;
        if !self.starts(i, name) {
            return None;
        }
        let after = i + name.len();
        match self.char_at(after) {
            Some(c) if is_id_continue(c) => None,
            _ => Some(after),
        }
    }

    /// One step in a heredoc body.
    fn heredoc(&mut self, i: usize, at: usize, delim: (usize, usize), body: usize) -> usize {
        let _ = (at, body);
        if self.starts(i, "$${") || self.starts(i, "%%{") {
            return i + 3;
        }
        let newline = match self.bytes[i] {
            b'\n' => Some(i + 1),
            b'\r' if self.bytes.get(i + 1) == Some(&b'\n') => Some(i + 2),
            _ => None,
        };
        if let Some(next) = newline {
            if let Some(after) = self.heredoc_end(next, delim) {
                self.stack.pop();
                self.word = false;
                return after;
            }
        }
        if matches!(self.bytes[i], b'$' | b'%') && self.bytes.get(i + 1) == Some(&b'{') {
            self.stack.push(Frame::Interp);
            return i + 2;
        }
        i + 1
    }

    /// The text ended inside a heredoc: the parser goes back to its first
    /// line and, if that line is its end, reads on from there.
    fn end_of_text(&mut self) -> Result<Option<usize>, Refusal> {
        let Some(k) = self
            .stack
            .iter()
            .rposition(|f| matches!(f, Frame::Heredoc { .. }))
        else {
            return Ok(None);
        };
        let Frame::Heredoc {
            at, delim, body, ..
        } = self.stack[k]
        else {
            return Ok(None);
        };
        self.rescan += (self.bytes.len() - body) as u64;
        if self.rescan > MAX_RESCAN_BYTES {
            return Err(Refusal::Heredocs { at });
        }
        match self.heredoc_end(body, delim) {
            Some(after) => {
                self.stack.truncate(k);
                self.word = false;
                Ok(Some(after))
            }
            None => Ok(None),
        }
    }

    /// A heredoc start (`<<` or `<<-`, an identifier, a line break) at `i`:
    /// the delimiter range and the offset of the body.
    fn heredoc_start(&self, i: usize) -> Option<((usize, usize), usize)> {
        let mut j = i + 2;
        if self.bytes.get(j) == Some(&b'-') {
            j += 1;
        }
        let start = j;
        let first = self.char_at(j)?;
        if !is_id_start(first) {
            return None;
        }
        j += first.len_utf8();
        while let Some(c) = self.char_at(j) {
            if !is_id_continue(c) {
                break;
            }
            j += c.len_utf8();
        }
        let end = j;
        match self.bytes.get(j) {
            Some(b'\n') => Some(((start, end), j + 1)),
            Some(b'\r') if self.bytes.get(j + 1) == Some(&b'\n') => Some(((start, end), j + 2)),
            _ => None,
        }
    }

    fn close_object(&mut self, at: usize, entries: u64) -> Result<(), Refusal> {
        self.object_work = self
            .object_work
            .saturating_add(entries.saturating_mul(entries));
        if let Some(out) = self.out.as_deref_mut() {
            out.list.push((at, entries));
        }
        if self.object_work > MAX_OBJECT_WORK {
            return Err(Refusal::Objects { at, entries });
        }
        Ok(())
    }

    /// One step in expression or body text.
    fn code(&mut self, i: usize) -> Result<usize, Refusal> {
        let b = self.bytes[i];
        let top = self.stack.last().copied();
        let next = match b {
            b'"' => {
                self.stack.push(Frame::Str);
                return Ok(i + 1);
            }
            b'#' => self.line_end(i),
            b'/' if self.bytes.get(i + 1) == Some(&b'/') => self.line_end(i),
            b'/' if self.bytes.get(i + 1) == Some(&b'*') => self
                .text
                .get(i + 2..)
                .and_then(|rest| rest.find("*/"))
                .map_or(self.bytes.len(), |p| i + 2 + p + 2),
            b'<' if self.bytes.get(i + 1) == Some(&b'<') => match self.heredoc_start(i) {
                Some((delim, body)) => {
                    self.stack.push(Frame::Heredoc { at: i, delim, body });
                    return Ok(body);
                }
                None => i + 1,
            },
            b'{' => {
                let frame = if top == Some(Frame::Body) && self.word {
                    Frame::Body
                } else {
                    Frame::Object(i, 1)
                };
                self.stack.push(frame);
                i + 1
            }
            b'[' | b'(' => {
                self.stack.push(Frame::Group);
                i + 1
            }
            b'}' => {
                if self.stack.len() > 1 {
                    match top {
                        Some(Frame::Object(at, entries)) => {
                            self.stack.pop();
                            self.close_object(at, entries)?;
                        }
                        Some(Frame::Body | Frame::Interp) => {
                            self.stack.pop();
                        }
                        _ => {}
                    }
                }
                i + 1
            }
            b']' | b')' => {
                if top == Some(Frame::Group) {
                    self.stack.pop();
                }
                i + 1
            }
            b',' | b'\n' => {
                if let Some(Frame::Object(_, entries)) = self.stack.last_mut() {
                    *entries += 1;
                }
                i + 1
            }
            b' ' | b'\t' | b'\r' => return Ok(i + 1),
            _ => match self.char_at(i) {
                Some(c) if is_id_start(c) => {
                    let mut j = i + c.len_utf8();
                    while let Some(c) = self.char_at(j) {
                        if !is_id_continue(c) {
                            break;
                        }
                        j += c.len_utf8();
                    }
                    self.word = true;
                    return Ok(j);
                }
                Some(c) => i + c.len_utf8(),
                None => i + 1,
            },
        };
        self.word = false;
        Ok(next)
    }

    /// The offset of the line break ending the line at `i` (or the end).
    fn line_end(&self, i: usize) -> usize {
        self.bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |p| i + p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(text: &str) -> Vec<u64> {
        let (found, result) = objects(text);
        assert_eq!(result, Ok(()));
        found.list.iter().map(|(_, n)| *n).collect()
    }

    #[test]
    fn counts_object_entries_not_block_lines() {
        assert_eq!(bounds("locals {\n  a = 1\n  b = 2\n}\n"), Vec::<u64>::new());
        assert_eq!(bounds("x = { a = 1, b = 2 }\n"), vec![2]);
        assert_eq!(bounds("x = [for k in {a = 1} : k]\n"), vec![1]);
        assert_eq!(bounds("x = -{a = 1}\n"), vec![1]);
    }

    #[test]
    fn strings_heredocs_and_comments_hide_braces() {
        assert_eq!(bounds("x = { a = \"}{,,\", b = 1 }\n"), vec![2]);
        assert_eq!(bounds("x = { a = \"${ {k = 1, j = 2} }\" }\n"), vec![2, 1]);
        assert_eq!(bounds("x = { a = \"$${ {k = 1} }\" }\n"), vec![1]);
        assert_eq!(
            bounds("x = {\n  a = <<EOT\n}{,,\nEOT\n  b = 1 # },\n}\n"),
            vec![4]
        );
        assert_eq!(bounds("x = { /* } , */ a = 1 }\n"), vec![1]);
    }

    #[test]
    fn large_objects_and_endless_heredocs_are_refused() {
        let keys: Vec<String> = (0..10_000).map(|i| format!("k{i} = 1")).collect();
        let text = format!("x = {{{}}}\n", keys.join(", "));
        assert!(matches!(
            check(&text),
            Err(Refusal::Objects {
                at: 4,
                entries: 10_000
            })
        ));
        let heredocs: String = (0..20_000)
            .map(|i| format!("a{i} = <<D{i}\nD{i}\n"))
            .collect();
        assert!(matches!(check(&heredocs), Err(Refusal::Heredocs { .. })));
        let fine: String = (0..20_000).map(|i| format!("a{i} = <<D\nx\nD\n")).collect();
        assert_eq!(check(&fine), Ok(()));
    }
}
