//! Globs of rule packs and configuration: text globs (`*`, `?`) and key-path
//! globs (`machine.network.**`, `containers[*].image`), with matching and an
//! overlap test (can some text match both?) used to find conflicting rules.

use std::collections::HashMap;

use crate::keypath::SegRef;

/// A text glob: `*` any run of characters, `?` one character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextGlob {
    pattern: Vec<char>,
    folded: String,
    /// For `*text*` patterns: the text, matched with a substring search.
    infix: Option<String>,
    literal: Option<String>,
    case_insensitive: bool,
    text: String,
}

impl TextGlob {
    /// Compiles a glob.
    pub fn new(pattern: &str, case_insensitive: bool) -> TextGlob {
        let fold = |s: &str| {
            if case_insensitive {
                s.to_lowercase()
            } else {
                s.to_string()
            }
        };
        let folded = fold(pattern);
        let literal = (!folded.contains(['*', '?'])).then(|| folded.clone());
        TextGlob {
            pattern: folded.chars().collect(),
            folded: folded.clone(),
            infix: folded
                .strip_prefix('*')
                .and_then(|r| r.strip_suffix('*'))
                .filter(|inner| !inner.is_empty() && !inner.contains(['*', '?']))
                .map(str::to_string),
            literal,
            case_insensitive,
            text: pattern.to_string(),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern has no wildcard.
    pub fn is_literal(&self) -> bool {
        self.literal.is_some()
    }

    /// Whether `text` matches (without allocating for ASCII patterns and text).
    pub fn matches(&self, text: &str) -> bool {
        if self.folded == "*" {
            return true;
        }
        if let Some(lit) = &self.literal {
            if !self.case_insensitive {
                return lit == text;
            }
        }
        let ascii = text.is_ascii() && self.text.is_ascii();
        if let Some(lit) = &self.literal {
            return if ascii {
                lit.eq_ignore_ascii_case(text)
            } else {
                *lit == text.to_lowercase()
            };
        }
        if ascii {
            if let Some(inner) = &self.infix {
                return contains(text.as_bytes(), inner.as_bytes(), self.case_insensitive);
            }
            let pattern: &[u8] = if self.case_insensitive {
                self.folded.as_bytes()
            } else {
                self.text.as_bytes()
            };
            return wildcard(pattern, text.as_bytes(), |p, t| {
                p == t || (self.case_insensitive && p == t.to_ascii_lowercase())
            });
        }
        let text: Vec<char> = if self.case_insensitive {
            text.to_lowercase().chars().collect()
        } else {
            text.chars().collect()
        };
        wildcard(&self.pattern, &text, |p, t| p == t)
    }

    /// Whether some text matches both globs.
    pub fn overlaps(&self, other: &TextGlob) -> bool {
        overlap(
            &self.pattern,
            &other.pattern,
            &|c: &char| *c == '*',
            &|p: &char, q: &char| p == q || *p == '?' || *q == '?',
        )
    }
}

/// Whether `needle` occurs in `hay` (ASCII case folded when `fold`).
fn contains(hay: &[u8], needle: &[u8], fold: bool) -> bool {
    needle.len() <= hay.len()
        && hay.windows(needle.len()).any(|w| {
            if fold {
                w.eq_ignore_ascii_case(needle)
            } else {
                w == needle
            }
        })
}

/// Iterative wildcard match with backtracking to the last `*`.
fn wildcard<T: Copy + PartialEq + From<u8>>(p: &[T], t: &[T], eq: impl Fn(T, T) -> bool) -> bool {
    let (star_c, any_c) = (T::from(b'*'), T::from(b'?'));
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && (p[i] == any_c || (p[i] != star_c && eq(p[i], t[j]))) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == star_c {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == star_c)
}

/// Whether some string matches both patterns `a` and `b` (sequences of
/// elements where `star` stands for any run of elements and `pair` says
/// whether two other elements can stand for the same one). Shared by text
/// globs (characters, `*`) and path globs (segments, `**`).
fn overlap<T>(
    a: &[T],
    b: &[T],
    star: &impl Fn(&T) -> bool,
    pair: &impl Fn(&T, &T) -> bool,
) -> bool {
    fn go<T>(
        a: &[T],
        b: &[T],
        (i, j): (usize, usize),
        star: &impl Fn(&T) -> bool,
        pair: &impl Fn(&T, &T) -> bool,
        memo: &mut HashMap<(usize, usize), bool>,
    ) -> bool {
        if let Some(&v) = memo.get(&(i, j)) {
            return v;
        }
        let mut next = |i, j| go(a, b, (i, j), star, pair, memo);
        let v = if i == a.len() && j == b.len() {
            true
        } else if i < a.len() && star(&a[i]) {
            next(i + 1, j) || (j < b.len() && next(i, j + 1))
        } else if j < b.len() && star(&b[j]) {
            next(i, j + 1) || (i < a.len() && next(i + 1, j))
        } else if i < a.len() && j < b.len() && pair(&a[i], &b[j]) {
            next(i + 1, j + 1)
        } else {
            false
        };
        memo.insert((i, j), v);
        v
    }
    go(a, b, (0, 0), star, pair, &mut HashMap::new())
}

/// One segment of a path glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlobSeg {
    /// `**`: any number of segments.
    Deep,
    /// A key: literal or with `*`/`?` (`*` alone matches any key).
    Key(TextGlob),
    /// `[N]`
    Index(usize),
    /// `[*]`
    AnyIndex,
}

impl GlobSeg {
    fn is_wild(&self) -> bool {
        match self {
            GlobSeg::Deep | GlobSeg::AnyIndex => true,
            GlobSeg::Key(g) => !g.is_literal(),
            GlobSeg::Index(_) => false,
        }
    }

    fn matches(&self, seg: &SegRef<'_>) -> bool {
        match (self, seg) {
            (GlobSeg::Key(g), SegRef::Key(k)) => g.matches(k),
            (GlobSeg::Index(n), SegRef::Index(m)) => n == m,
            (GlobSeg::AnyIndex, SegRef::Index(_) | SegRef::Append) => true,
            _ => false,
        }
    }

    fn overlaps(&self, other: &GlobSeg) -> bool {
        match (self, other) {
            (GlobSeg::Key(a), GlobSeg::Key(b)) => a.overlaps(b),
            (GlobSeg::Index(a), GlobSeg::Index(b)) => a == b,
            (GlobSeg::AnyIndex, GlobSeg::Index(_) | GlobSeg::AnyIndex)
            | (GlobSeg::Index(_), GlobSeg::AnyIndex) => true,
            _ => false,
        }
    }
}

/// A key-path glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathGlob {
    segs: Vec<GlobSeg>,
    text: String,
}

impl PathGlob {
    /// Parses a path glob; the error says what is wrong.
    pub fn parse(text: &str) -> Result<PathGlob, String> {
        let mut segs = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        let mut first = true;
        while i < chars.len() {
            match chars[i] {
                '[' => {
                    let close = chars[i..]
                        .iter()
                        .position(|&c| c == ']')
                        .ok_or("unclosed `[`")?
                        + i;
                    let inner: String = chars[i + 1..close].iter().collect();
                    segs.push(if inner == "*" {
                        GlobSeg::AnyIndex
                    } else if let Some(q) =
                        inner.strip_prefix('"').and_then(|s| s.strip_suffix('"'))
                    {
                        GlobSeg::Key(TextGlob::new(
                            &q.replace("\\\"", "\"").replace("\\\\", "\\"),
                            false,
                        ))
                    } else {
                        GlobSeg::Index(inner.parse().map_err(|_| {
                            format!("`[{inner}]` is not an index, `[*]` or a quoted key")
                        })?)
                    });
                    i = close + 1;
                }
                '.' if !first => i += 1,
                '.' => return Err("a path glob cannot start with `.`".to_string()),
                _ => {
                    let end = chars[i..]
                        .iter()
                        .position(|&c| c == '.' || c == '[')
                        .map_or(chars.len(), |p| p + i);
                    let key: String = chars[i..end].iter().collect();
                    segs.push(if key == "**" {
                        GlobSeg::Deep
                    } else {
                        GlobSeg::Key(TextGlob::new(&key, false))
                    });
                    i = end;
                    if i < chars.len() && chars[i] == '.' && i + 1 == chars.len() {
                        return Err("a path glob cannot end with `.`".to_string());
                    }
                }
            }
            first = false;
        }
        Ok(PathGlob {
            segs,
            text: text.to_string(),
        })
    }

    /// `**`, which matches every path.
    pub fn any() -> PathGlob {
        PathGlob {
            segs: vec![GlobSeg::Deep],
            text: "**".to_string(),
        }
    }

    /// The glob as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The segments.
    pub fn segments(&self) -> &[GlobSeg] {
        &self.segs
    }

    /// (segments without wildcards, segments with wildcards other than `**`).
    pub fn weight(&self) -> (u16, u16) {
        let literal = self.segs.iter().filter(|s| !s.is_wild()).count();
        let wild = self
            .segs
            .iter()
            .filter(|s| s.is_wild() && **s != GlobSeg::Deep)
            .count();
        (
            u16::try_from(literal).unwrap_or(u16::MAX),
            u16::try_from(wild).unwrap_or(u16::MAX),
        )
    }

    /// Whether a path (as segments) matches.
    pub fn matches(&self, path: &[SegRef<'_>]) -> bool {
        match_from(&self.segs, path)
    }

    /// Whether some path matches both globs.
    pub fn overlaps(&self, other: &PathGlob) -> bool {
        overlap(
            &self.segs,
            &other.segs,
            &|s: &GlobSeg| *s == GlobSeg::Deep,
            &GlobSeg::overlaps,
        )
    }
}

fn match_from(glob: &[GlobSeg], path: &[SegRef<'_>]) -> bool {
    match glob.split_first() {
        None => path.is_empty(),
        // A trailing `**` matches whatever is left.
        Some((GlobSeg::Deep, [])) => true,
        Some((GlobSeg::Deep, rest)) => (0..=path.len()).any(|skip| match_from(rest, &path[skip..])),
        Some((seg, rest)) => path
            .split_first()
            .is_some_and(|(p, tail)| seg.matches(p) && match_from(rest, tail)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keypath;

    fn m(glob: &str, path: &str) -> bool {
        let segs = keypath::segments(path).unwrap();
        PathGlob::parse(glob).unwrap().matches(&segs)
    }

    #[test]
    fn text_globs() {
        let g = TextGlob::new("*edgehostlet*", true);
        assert!(g.matches("registry/EdgeHostLet:v1"));
        assert!(!g.matches("registry/other"));
        assert!(TextGlob::new("azurerm_*", false).matches("azurerm_kubernetes_cluster"));
        assert!(TextGlob::new("a?c", false).matches("abc"));
        assert!(!TextGlob::new("a?c", false).matches("ac"));
    }

    #[test]
    fn path_globs() {
        assert!(m(
            "machine.network.**",
            "machine.network.interfaces[0].dhcp"
        ));
        assert!(m("machine.network.**", "machine.network"));
        assert!(!m("machine.network.**", "machine.install.disk"));
        assert!(m(
            "machine.install.extensions[*].image",
            "machine.install.extensions[3].image"
        ));
        assert!(!m(
            "machine.install.extensions[*].image",
            "machine.install.extensions.image"
        ));
        assert!(m("**.tls.**", "ingress.tls.enabled"));
        assert!(m(
            "resource.azurerm_*.*.os_sku",
            "resource.azurerm_kubernetes_cluster_node_pool.x.os_sku"
        ));
        assert!(m(
            r#"metadata.labels["app.kubernetes.io/name"]"#,
            r#"metadata.labels["app.kubernetes.io/name"]"#
        ));
        assert!(m("**", ""));
        assert!(!m("*", ""));
    }

    #[test]
    fn overlap_of_globs() {
        let p = |s: &str| PathGlob::parse(s).unwrap();
        assert!(p("image.**").overlaps(&p("**.tag")));
        assert!(!p("image.**").overlaps(&p("ingress.**")));
        assert!(p("a.*.c").overlaps(&p("a.b.*")));
        assert!(!p("a[*]").overlaps(&p("a.b")));
        assert!(TextGlob::new("*_version", false).overlaps(&TextGlob::new("kubernetes_*", false)));
        assert!(!TextGlob::new("aws_*", false).overlaps(&TextGlob::new("azurerm_*", false)));
    }

    #[test]
    fn weight_counts_literal_and_wild_segments() {
        assert_eq!(
            PathGlob::parse("machine.install.extensions[*].image")
                .unwrap()
                .weight(),
            (4, 1)
        );
        assert_eq!(PathGlob::parse("**.tls.**").unwrap().weight(), (1, 0));
    }

    #[test]
    fn bad_globs_are_refused() {
        assert!(PathGlob::parse("a[x]").is_err());
        assert!(PathGlob::parse(".a").is_err());
        assert!(PathGlob::parse("a[0").is_err());
    }
}
