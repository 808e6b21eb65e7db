//! YAML templates (`*.yaml.j2`, `*.yaml.tmpl`): Jinja and Go template syntax
//! is masked with characters of the same length before parsing, so that the
//! YAML around it is read with exact positions. `{{ … }}` becomes `_`s (a
//! plain scalar), `{% … %}` and `{# … #}` become spaces; line breaks stay.

/// Whether YAML text carries a template marker (`{{`, `{%`, or a glued
/// `#{`) outside comments, quoted strings and block scalars: a `{{` in a
/// comment or in a string value is data, not a sign of a template.
pub fn has_marker(text: &str) -> bool {
    let mut quote: Option<char> = None;
    // Indentation of the line that opened a block scalar, while inside it.
    let mut block: Option<usize> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(open) = block {
            if line.trim().is_empty() || indent > open {
                continue;
            }
            block = None;
        }
        let mut prev = ' ';
        let mut chars = line.char_indices().peekable();
        let mut code = String::new();
        while let Some((i, c)) = chars.next() {
            match quote {
                Some(q) => {
                    if q == '"' && c == '\\' {
                        chars.next();
                    } else if c == q {
                        if q == '\'' && chars.peek().map(|p| p.1) == Some('\'') {
                            chars.next();
                        } else {
                            quote = None;
                        }
                    }
                }
                None if c == '#' && prev.is_whitespace() => break,
                None if (c == '"' || c == '\'') && (i == indent || " \t[{,:-".contains(prev)) => {
                    quote = Some(c);
                    code.push(' ');
                }
                None => code.push(c),
            }
            prev = c;
        }
        if code.contains("{{") || code.contains("{%") || code.contains("#{") {
            return true;
        }
        let tail = code.trim_end();
        let header = tail.rsplit([' ', '\t']).next().unwrap_or("");
        if quote.is_none()
            && (header.starts_with('|') || header.starts_with('>'))
            && header[1..]
                .chars()
                .all(|c| matches!(c, '-' | '+' | '0'..='9'))
            && (tail.len() == header.len()
                || tail[..tail.len() - header.len()]
                    .trim_end()
                    .ends_with([':', '-']))
        {
            block = Some(indent);
        }
    }
    false
}

/// Masks template expressions, keeping every character's position.
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let (close, fill) = match tail.get(1..2) {
            Some("{") => ("}}", '_'),
            Some("%") => ("%}", ' '),
            Some("#") => ("#}", ' '),
            _ => {
                out.push('{');
                rest = &tail[1..];
                continue;
            }
        };
        let Some(end) = tail[2..].find(close).map(|e| e + 2 + close.len()) else {
            out.push_str(tail);
            return out;
        };
        for c in tail[..end].chars() {
            out.push(if c == '\n' || c == '\r' { c } else { fill });
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_lengths_and_lines() {
        let text = "a: {{ ENV.X }}\n{% if y %}\nb: \"{{ z }}\"\n{# note #}\nc: {1: 2}\n";
        let m = mask(text);
        assert_eq!(
            m,
            "a: ___________\n          \nb: \"_______\"\n          \nc: {1: 2}\n"
        );
        assert_eq!(m.chars().count(), text.chars().count());
        assert_eq!(mask("x: {{ open"), "x: {{ open");
    }

    #[test]
    fn markers_count_only_outside_comments_strings_and_block_scalars() {
        assert!(has_marker("a: {{ .Values.x }}\n"));
        assert!(has_marker("{% if x %}\na: 1\n"));
        assert!(has_marker("a: 1\n- {{ x }}\n"));
        assert!(!has_marker("# use {{ .Values.x }} here\na: 1 # {{ y }}\n"));
        assert!(!has_marker(
            "a: \"{{ x }}\"\nb: '{{ y }}'\nc: \"multi\n  {{ z }}\"\n"
        ));
        assert!(!has_marker(
            "a: |\n  {{ x }}\n\n  {% y %}\nb: >-\n  {{ z }}\n"
        ));
        // After the block scalar ends, markers count again.
        assert!(has_marker("a: |\n  text\nb: {{ z }}\n"));
        // An apostrophe inside a plain scalar opens no string.
        assert!(has_marker("a: it's {{ x }}\n"));
    }
}
