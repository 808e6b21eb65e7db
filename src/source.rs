//! File text with a line index: decoding (BOM, UTF-8, binary detection) and
//! conversion between byte offsets and 1-based line/character positions.

use std::io::Read;
use std::path::Path;

use crate::setting::Pos;

/// Why a file's bytes are not text we can parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The file contains NUL bytes (the first on `line`).
    #[error("binary file (NUL byte at line {line})")]
    Binary {
        /// 1-based line of the first NUL byte.
        line: u32,
    },
    /// The file is not valid UTF-8.
    #[error("not UTF-8 text (invalid byte at line {line}, column {col})")]
    NotUtf8 {
        /// 1-based line of the first invalid byte.
        line: u32,
        /// 1-based column (characters) of the first invalid byte.
        col: u32,
    },
}

/// Text of one file (without a byte-order mark) and the byte offset of each line start.
#[derive(Debug, Clone)]
pub struct Source {
    text: String,
    line_starts: Vec<usize>,
    /// For long lines with non-ASCII text: (byte offset, characters before it)
    /// every [`CHECKPOINT`] bytes, so that a column costs at most that much to count.
    checkpoints: Vec<(usize, Vec<(usize, usize)>)>,
}

/// Distance between column checkpoints on long non-ASCII lines.
const CHECKPOINT: usize = 4096;

impl Source {
    /// Decodes file bytes: strips a UTF-8 BOM, rejects binary and non-UTF-8 content.
    pub fn from_bytes(mut bytes: Vec<u8>) -> Result<Source, DecodeError> {
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            bytes.drain(..3);
        }
        // Anywhere in the file, not only near its start: a NUL deep in a
        // large text file would otherwise reach the parsers.
        if let Some(at) = memchr::memchr(0, &bytes) {
            let before = &bytes[..at];
            let lines = before.iter().filter(|&&b| b == b'\n').count()
                + before
                    .windows(2)
                    .filter(|w| w[0] == b'\r' && w[1] != b'\n')
                    .count()
                + usize::from(before.last() == Some(&b'\r'));
            return Err(DecodeError::Binary {
                line: to_u32(lines + 1),
            });
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(text)),
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let prefix = Source::new(String::from_utf8_lossy(&err.as_bytes()[..valid]).into());
                let end = prefix.pos_of_byte(valid);
                Err(DecodeError::NotUtf8 {
                    line: end.line,
                    col: end.col,
                })
            }
        }
    }

    /// Wraps text that is already decoded (a BOM, if any, is removed).
    pub fn new(mut text: String) -> Source {
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        let mut line_starts = Vec::with_capacity(text.len() / 24 + 1);
        line_starts.push(0);
        let bytes = text.as_bytes();
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i + 1);
            }
        }
        let checkpoints = long_line_checkpoints(&text, &line_starts);
        Source {
            text,
            line_starts,
            checkpoints,
        }
    }

    /// The length in bytes of the longest line, and its 1-based number.
    pub fn longest_line(&self) -> (usize, u32) {
        let mut best = (0, 1);
        for (i, w) in self.line_starts.windows(2).enumerate() {
            if w[1] - w[0] > best.0 {
                best = (w[1] - w[0], to_u32(i + 1));
            }
        }
        if let Some(&last) = self.line_starts.last() {
            if self.text.len() - last > best.0 {
                best = (self.text.len() - last, to_u32(self.line_starts.len()));
            }
        }
        best
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of lines (a trailing newline does not start a new counted line
    /// unless text follows it).
    pub fn line_count(&self) -> usize {
        let n = self.line_starts.len();
        if n > 1 && self.line_starts[n - 1] == self.text.len() {
            n - 1
        } else {
            n
        }
    }

    /// Text of a 1-based line without its line ending; empty past the end.
    pub fn line(&self, line: u32) -> &str {
        let idx = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Byte offset of the start of a 1-based line (clamped to the text).
    pub fn line_start(&self, line: u32) -> usize {
        let idx = (line as usize).saturating_sub(1);
        self.line_starts
            .get(idx)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Position of a byte offset (clamped to the text and to a char boundary).
    pub fn pos_of_byte(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.line_starts[idx];
        let mut before = 0;
        if let Ok(i) = self
            .checkpoints
            .binary_search_by_key(&idx, |(line, _)| *line)
        {
            let marks = &self.checkpoints[i].1;
            let k = marks.partition_point(|(b, _)| *b <= offset);
            if k > 0 {
                (start, before) = marks[k - 1];
            }
        }
        let col = before + count_chars(&self.text[start..offset]);
        Pos::new(to_u32(idx + 1), to_u32(col + 1))
    }

    /// Byte offset of a position (clamped to its line).
    pub fn byte_of_pos(&self, pos: Pos) -> usize {
        let start = self.line_start(pos.line);
        let line = self.line(pos.line);
        let want = (pos.col as usize).saturating_sub(1);
        let within = line.char_indices().nth(want).map_or(line.len(), |(i, _)| i);
        start + within
    }

    /// Moves an exclusive end position back over trailing whitespace and line
    /// breaks, so that a span ends at its last visible character.
    pub fn trim_back(&self, end: Pos, not_before: Pos) -> Pos {
        let floor = self.byte_of_pos(not_before);
        let mut offset = self.byte_of_pos(end);
        let bytes = self.text.as_bytes();
        while offset > floor && bytes[offset - 1].is_ascii_whitespace() {
            offset -= 1;
        }
        self.pos_of_byte(offset)
    }
}

/// Reads a regular file of at most `max` bytes. Anything else (a FIFO, a
/// device, a folder) is refused before it is opened, so that reading never
/// blocks or runs without end; a file over the limit is refused too.
pub fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("could not be read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file; not read".to_string());
    }
    if meta.len() > max {
        return Err(format!(
            "file is {} bytes, over the {max} byte limit; not read",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("could not be read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("could not be read: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!("file is over the {max} byte limit; not read"));
    }
    Ok(bytes)
}

/// Reads a regular UTF-8 text file of at most `max` bytes (configuration and packs).
pub fn read_text_file(path: &Path, max: u64) -> Result<String, String> {
    let bytes = read_file(path, max)?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text; not read".to_string())
}

/// Checkpoints for lines longer than [`CHECKPOINT`] bytes that are not ASCII.
fn long_line_checkpoints(text: &str, line_starts: &[usize]) -> Vec<(usize, Vec<(usize, usize)>)> {
    let mut out = Vec::new();
    for (idx, &start) in line_starts.iter().enumerate() {
        let end = line_starts.get(idx + 1).copied().unwrap_or(text.len());
        let line = &text[start..end];
        if line.len() <= CHECKPOINT || line.is_ascii() {
            continue;
        }
        let mut marks = Vec::with_capacity(line.len() / CHECKPOINT);
        let mut next = CHECKPOINT;
        for (chars, (i, _)) in line.char_indices().enumerate() {
            if i >= next {
                marks.push((start + i, chars));
                next = i + CHECKPOINT;
            }
        }
        out.push((idx, marks));
    }
    out
}

/// Counts characters, with a fast path for ASCII.
fn count_chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Saturating conversion for line and column numbers.
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let src = Source::new("a: é\nb: ü x\n".to_string());
        assert_eq!(src.pos_of_byte(0), Pos::new(1, 1));
        // "b: ü x": the 'x' is the 6th character but the 7th byte.
        let x = src.text().find('x').unwrap();
        assert_eq!(src.pos_of_byte(x), Pos::new(2, 6));
        assert_eq!(src.byte_of_pos(Pos::new(2, 6)), x);
    }

    #[test]
    fn crlf_and_bom_are_not_counted() {
        let src = Source::from_bytes(b"\xEF\xBB\xBFa: 1\r\nb: 2\r\n".to_vec()).unwrap();
        assert_eq!(src.line(1), "a: 1");
        assert_eq!(src.line(2), "b: 2");
        assert_eq!(src.line_count(), 2);
        let b = src.text().find('b').unwrap();
        assert_eq!(src.pos_of_byte(b), Pos::new(2, 1));
    }

    #[test]
    fn binary_and_invalid_utf8_are_rejected() {
        assert_eq!(
            Source::from_bytes(b"a\0b".to_vec()).err(),
            Some(DecodeError::Binary { line: 1 })
        );
        let mut late = "a: 1\r\n".repeat(3000).into_bytes();
        late.extend_from_slice(b"b: \0\n");
        assert_eq!(
            Source::from_bytes(late).err(),
            Some(DecodeError::Binary { line: 3001 })
        );
        assert_eq!(
            Source::from_bytes(b"ok\nab\xFFc".to_vec()).err(),
            Some(DecodeError::NotUtf8 { line: 2, col: 3 })
        );
    }

    #[test]
    fn long_non_ascii_lines_count_columns_exactly() {
        let line: String = "é".repeat(10_000) + "x";
        let src = Source::new(format!("a\n{line}\n"));
        let x = src.text().rfind('x').unwrap();
        assert_eq!(src.pos_of_byte(x), Pos::new(2, 10_001));
        let mid = src.text().char_indices().nth(2 + 7_777).unwrap().0;
        assert_eq!(src.pos_of_byte(mid), Pos::new(2, 7_778));
        assert_eq!(src.longest_line(), (20_002, 2));
    }

    #[test]
    fn trim_back_stops_at_last_visible_character() {
        let src = Source::new("k: |\n  hello\n\nnext: 1\n".to_string());
        assert_eq!(
            src.trim_back(Pos::new(4, 1), Pos::new(2, 3)),
            Pos::new(2, 8)
        );
    }
}
