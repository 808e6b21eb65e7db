//! Escaping for HTML text and attribute values: the one place every HTML
//! output goes through.

/// Escapes text for HTML element content or a quoted attribute value:
/// `& < > " '` become entities, control characters (but tab and line
/// breaks) are written out as `U+XXXX`, so nothing from the repository
/// becomes markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push_str(&format!("U+{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_control_characters_are_neutralised() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("a\u{1b}[31mb\u{9b}"), "aU+001B[31mbU+009B");
        assert_eq!(escape("ü ✓"), "ü ✓");
    }
}
