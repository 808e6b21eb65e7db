//! YAML templates (`*.yaml.j2`, `*.yaml.tmpl`): Jinja and Go template syntax
//! is masked with characters of the same length before parsing, so that the
//! YAML around it is read with exact positions. `{{ … }}` becomes `_`s (a
//! plain scalar), `{% … %}` and `{# … #}` become spaces; line breaks stay.

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
}
