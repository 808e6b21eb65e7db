//! Key path syntax: building and splitting the stable strings that name a
//! setting, such as `machine.install.extensions[0].image`,
//! `resource.helm_release.halo.set[1].value` or
//! `Deployment/ns/name:spec.template.spec.containers[0].image`.
//!
//! Grammar: an optional object prefix ending in `:` (Kubernetes objects and
//! named Talos documents), then segments. A key segment is written bare
//! (`.key`) when it is non-empty and has none of `. [ ] " : * ?`, whitespace or
//! control characters; otherwise quoted as `["key"]` with `"` and `\` escaped.
//! A list index is `[N]`; `[-]` is the JSON-patch "append" position.

use std::fmt::Write;

/// One segment of a key path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A mapping key or attribute name.
    Key(String),
    /// A list index.
    Index(usize),
    /// The append position of a JSON patch (`-`).
    Append,
}

/// A segment borrowed from a key path string (quoted keys with escapes are owned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegRef<'a> {
    /// A mapping key or attribute name.
    Key(std::borrow::Cow<'a, str>),
    /// A list index.
    Index(usize),
    /// The append position of a JSON patch (`-`).
    Append,
}

/// The segments of one key path, inline for paths up to 12 segments deep.
pub type Segments<'a> = smallvec::SmallVec<[SegRef<'a>; 12]>;

/// Splits a key path (without its object prefix) into borrowed segments;
/// `None` if it is not well-formed.
pub fn segments(path: &str) -> Option<Segments<'_>> {
    let bytes = path.as_bytes();
    let mut out = Segments::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' if bytes.get(i + 1) == Some(&b'"') => {
                let start = i + 2;
                let mut j = start;
                let mut escaped = false;
                while j < bytes.len() && bytes[j] != b'"' {
                    if bytes[j] == b'\\' {
                        escaped = true;
                        j += 1;
                    }
                    j += 1;
                }
                if bytes.get(j + 1) != Some(&b']') {
                    return None;
                }
                let raw = &path[start..j];
                out.push(SegRef::Key(if escaped {
                    let (_, segs) = split(&path[i..j + 2])?;
                    match segs.into_iter().next()? {
                        Segment::Key(k) => std::borrow::Cow::Owned(k),
                        _ => return None,
                    }
                } else {
                    std::borrow::Cow::Borrowed(raw)
                }));
                i = j + 2;
            }
            b'[' => {
                let close = bytes[i..].iter().position(|&b| b == b']')? + i;
                let inner = &path[i + 1..close];
                out.push(if inner == "-" {
                    SegRef::Append
                } else {
                    SegRef::Index(inner.parse().ok()?)
                });
                i = close + 1;
            }
            b'.' if i > 0 && !matches!(bytes.get(i + 1), None | Some(b'.' | b'[')) => i += 1,
            b'.' => return None,
            _ => {
                let end = bytes[i..]
                    .iter()
                    .position(|&b| b == b'.' || b == b'[')
                    .map_or(path.len(), |p| p + i);
                if end == i {
                    return None;
                }
                out.push(SegRef::Key(std::borrow::Cow::Borrowed(&path[i..end])));
                i = end;
            }
        }
    }
    Some(out)
}

/// Whether a key can be written without quotes.
fn is_bare(key: &str) -> bool {
    !key.is_empty()
        && !key.chars().any(|c| {
            matches!(c, '.' | '[' | ']' | '"' | ':' | '*' | '?')
                || c.is_whitespace()
                || c.is_control()
        })
}

/// Appends a key segment to a path being built.
pub fn push_key(path: &mut String, key: &str) {
    if is_bare(key) {
        if !path.is_empty() && !path.ends_with(':') {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push_str("[\"");
        for c in key.chars() {
            match c {
                '"' => path.push_str("\\\""),
                '\\' => path.push_str("\\\\"),
                '\n' => path.push_str("\\n"),
                '\t' => path.push_str("\\t"),
                c if c.is_control() => {
                    let _ = write!(path, "\\u{{{:x}}}", c as u32);
                }
                c => path.push(c),
            }
        }
        path.push_str("\"]");
    }
}

/// Appends a list index segment.
pub fn push_index(path: &mut String, index: usize) {
    let _ = write!(path, "[{index}]");
}

/// Appends a segment of either kind.
pub fn push_segment(path: &mut String, segment: &Segment) {
    match segment {
        Segment::Key(k) => push_key(path, k),
        Segment::Index(i) => push_index(path, *i),
        Segment::Append => path.push_str("[-]"),
    }
}

/// Builds a path string from segments.
pub fn join(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        push_segment(&mut out, s);
    }
    out
}

/// Splits a key path into its object prefix (without the `:`) and segments.
/// Returns `None` for text that is not a well-formed key path.
pub fn split(path: &str) -> Option<(Option<&str>, Vec<Segment>)> {
    let (prefix, rest) = split_prefix(path);
    let mut segments = Vec::new();
    let mut chars = rest.char_indices().peekable();
    let mut first = true;
    while let Some(&(i, c)) = chars.peek() {
        match c {
            '[' => {
                chars.next();
                if rest[i + 1..].starts_with('"') {
                    chars.next();
                    let mut key = String::new();
                    loop {
                        let (_, c) = chars.next()?;
                        match c {
                            '"' => break,
                            '\\' => {
                                let (_, e) = chars.next()?;
                                match e {
                                    'n' => key.push('\n'),
                                    't' => key.push('\t'),
                                    'u' => key.push(read_unicode_escape(&mut chars)?),
                                    other => key.push(other),
                                }
                            }
                            c => key.push(c),
                        }
                    }
                    if chars.next()?.1 != ']' {
                        return None;
                    }
                    segments.push(Segment::Key(key));
                } else {
                    let mut digits = String::new();
                    loop {
                        let (_, c) = chars.next()?;
                        if c == ']' {
                            break;
                        }
                        digits.push(c);
                    }
                    if digits == "-" {
                        segments.push(Segment::Append);
                    } else {
                        segments.push(Segment::Index(digits.parse().ok()?));
                    }
                }
            }
            '.' if !first => {
                chars.next();
                let key = read_bare(&mut chars, rest)?;
                segments.push(Segment::Key(key));
            }
            _ if first => {
                let key = read_bare(&mut chars, rest)?;
                segments.push(Segment::Key(key));
            }
            _ => return None,
        }
        first = false;
    }
    Some((prefix, segments))
}

/// Splits off an object prefix such as `Deployment/ns/name:`.
pub fn split_prefix(path: &str) -> (Option<&str>, &str) {
    // A prefix is everything before the first ':' that precedes any quote.
    let bytes = path.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b':' => return (Some(&path[..i]), &path[i + 1..]),
            b'[' if bytes.get(i + 1) == Some(&b'"') => break,
            _ => {}
        }
    }
    (None, path)
}

fn read_bare(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    text: &str,
) -> Option<String> {
    let start = chars.peek()?.0;
    let mut end = text.len();
    while let Some(&(i, c)) = chars.peek() {
        if c == '.' || c == '[' {
            end = i;
            break;
        }
        chars.next();
    }
    let key = &text[start..end];
    (!key.is_empty()).then(|| key.to_string())
}

fn read_unicode_escape(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<char> {
    if chars.next()?.1 != '{' {
        return None;
    }
    let mut hex = String::new();
    loop {
        let (_, c) = chars.next()?;
        if c == '}' {
            break;
        }
        hex.push(c);
    }
    char::from_u32(u32::from_str_radix(&hex, 16).ok()?)
}

/// Converts a JSON pointer (RFC 6901, as used by RFC 6902 patches) into segments.
/// Numeric tokens become indices, `-` becomes [`Segment::Append`].
pub fn from_json_pointer(pointer: &str) -> Option<Vec<Segment>> {
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|token| {
                let token = token.replace("~1", "/").replace("~0", "~");
                if token == "-" {
                    Segment::Append
                } else if !token.is_empty()
                    && token.bytes().all(|b| b.is_ascii_digit())
                    && (token == "0" || !token.starts_with('0'))
                {
                    token.parse().map_or(Segment::Key(token), Segment::Index)
                } else {
                    Segment::Key(token)
                }
            })
            .collect(),
    )
}

/// Splits a Helm `--set` style name (`a.b\.c[0].d`) into segments.
pub fn from_helm_set(name: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut key = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    key.push(n);
                }
            }
            '.' => {
                if !key.is_empty() {
                    segments.push(Segment::Key(std::mem::take(&mut key)));
                }
            }
            '[' => {
                if !key.is_empty() {
                    segments.push(Segment::Key(std::mem::take(&mut key)));
                }
                let mut digits = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    digits.push(d);
                }
                match digits.parse() {
                    Ok(i) => segments.push(Segment::Index(i)),
                    Err(_) => segments.push(Segment::Key(digits)),
                }
            }
            c => key.push(c),
        }
    }
    if !key.is_empty() {
        segments.push(Segment::Key(key));
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Segment {
        Segment::Key(s.to_string())
    }

    #[test]
    fn builds_bare_and_quoted_keys() {
        let mut p = String::new();
        push_key(&mut p, "metadata");
        push_key(&mut p, "labels");
        push_key(&mut p, "app.kubernetes.io/name");
        assert_eq!(p, r#"metadata.labels["app.kubernetes.io/name"]"#);
        let mut p = "Deployment/ns/web:".to_string();
        push_key(&mut p, "spec");
        push_index(&mut p, 0);
        push_key(&mut p, "image");
        assert_eq!(p, "Deployment/ns/web:spec[0].image");
    }

    #[test]
    fn split_round_trips() {
        let segs = vec![
            k("a"),
            k("b.c"),
            Segment::Index(3),
            k("q\"x"),
            k("e"),
            Segment::Append,
        ];
        let text = join(&segs);
        assert_eq!(text, r#"a["b.c"][3]["q\"x"].e[-]"#);
        assert_eq!(split(&text), Some((None, segs)));
        let (prefix, segs) = split("Deployment/ns/web:spec.containers[0].image").unwrap();
        assert_eq!(prefix, Some("Deployment/ns/web"));
        assert_eq!(
            segs,
            vec![k("spec"), k("containers"), Segment::Index(0), k("image")]
        );
    }

    #[test]
    fn borrowed_segments_match_owned_ones() {
        let text = r#"a["b.c"][3]["q\"x"].e[-]"#;
        let segs = segments(text).unwrap();
        assert_eq!(
            segs.to_vec(),
            vec![
                SegRef::Key("a".into()),
                SegRef::Key("b.c".into()),
                SegRef::Index(3),
                SegRef::Key("q\"x".into()),
                SegRef::Key("e".into()),
                SegRef::Append
            ]
        );
        assert_eq!(segments("a..b"), None);
        assert_eq!(segments("").map(|s| s.len()), Some(0));
    }

    #[test]
    fn json_pointer_and_helm_set_names() {
        assert_eq!(
            from_json_pointer("/machine/network/interfaces/0/a~1b/-"),
            Some(vec![
                k("machine"),
                k("network"),
                k("interfaces"),
                Segment::Index(0),
                k("a/b"),
                Segment::Append
            ])
        );
        assert_eq!(
            from_helm_set(r"ingress.annotations.kubernetes\.io/tls[0].x"),
            vec![
                k("ingress"),
                k("annotations"),
                k("kubernetes.io/tls"),
                Segment::Index(0),
                k("x")
            ]
        );
    }
}
