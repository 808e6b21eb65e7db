//! Documents embedded in strings (Argo CD `values: |`, HCL heredocs, Talos
//! patches in talhelper configs): mapping positions inside the string back
//! to the file, exactly where the string is written literally.

use crate::setting::Pos;
use crate::source::{Source, to_u32};

/// Maps positions in a parsed text to positions in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PosMap {
    /// The text is the file.
    Identity,
    /// Line `i` (1-based) of the text is file line `lines[i-1].0`, shifted
    /// right by `lines[i-1].1` characters.
    Lines(Vec<(u32, u32)>),
    /// The text is not written literally (escapes, folding): every position
    /// maps to the start of the string.
    Fixed(Pos),
}

impl PosMap {
    /// Maps one position.
    pub fn map(&self, pos: Pos) -> Pos {
        match self {
            PosMap::Identity => pos,
            PosMap::Fixed(at) => *at,
            PosMap::Lines(lines) => match lines.get((pos.line as usize).saturating_sub(1)) {
                Some(&(line, shift)) => Pos::new(line, pos.col + shift),
                None => lines.last().map_or(pos, |&(line, _)| Pos::new(line + 1, 1)),
            },
        }
    }

    /// Builds the map for a string whose decoded text is `decoded` and whose
    /// content starts in `outer` at `first`. When `exact_first` is set the
    /// first line starts exactly at `first.col` (a quoted string); otherwise
    /// each line is found at the end of its file line after indentation (a
    /// block scalar or heredoc). Falls back to [`PosMap::Fixed`] when the
    /// text does not appear literally.
    pub fn embedded(outer: &Source, first: Pos, decoded: &str, exact_first: bool) -> PosMap {
        let mut lines = Vec::new();
        let body = decoded.strip_suffix('\n').unwrap_or(decoded);
        for (i, dline) in body.split('\n').enumerate() {
            let dline = dline.strip_suffix('\r').unwrap_or(dline);
            let line_no = first.line + to_u32(i);
            let oline = outer.line(line_no);
            let shift = if i == 0 && exact_first {
                let skip = (first.col as usize).saturating_sub(1);
                let rest: String = oline.chars().skip(skip).collect();
                if !rest.starts_with(dline) {
                    return PosMap::Fixed(first);
                }
                to_u32(skip)
            } else if dline.is_empty() {
                0
            } else if let Some(prefix) = oline.strip_suffix(dline) {
                if !prefix.chars().all(char::is_whitespace) {
                    return PosMap::Fixed(first);
                }
                to_u32(prefix.chars().count())
            } else {
                return PosMap::Fixed(first);
            };
            lines.push((line_no, shift));
        }
        PosMap::Lines(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_text_maps_line_by_line() {
        let outer = Source::new("values: |\n  a: 1\n    b: 2\n\n  c: 3\n".to_string());
        let map = PosMap::embedded(&outer, Pos::new(2, 3), "a: 1\n  b: 2\n\nc: 3\n", false);
        assert_eq!(map.map(Pos::new(1, 1)), Pos::new(2, 3));
        assert_eq!(map.map(Pos::new(2, 3)), Pos::new(3, 5));
        assert_eq!(map.map(Pos::new(4, 1)), Pos::new(5, 3));
    }

    #[test]
    fn quoted_text_maps_from_its_start_or_falls_back() {
        let outer = Source::new("x = \"a: 1\"\ny = \"a: 1\\nb: 2\"\n".to_string());
        let map = PosMap::embedded(&outer, Pos::new(1, 6), "a: 1", true);
        assert_eq!(map.map(Pos::new(1, 4)), Pos::new(1, 9));
        let map = PosMap::embedded(&outer, Pos::new(2, 6), "a: 1\nb: 2", true);
        assert_eq!(map, PosMap::Fixed(Pos::new(2, 6)));
    }
}
