//! Expression text without its layout: how two spellings of one HCL
//! expression compare equal, while messages show the text as written.

/// Removes layout from expression text: whitespace and comments outside
/// strings go, except one space between two word characters.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut pending_space = false;
    let mut depth_string = false;
    while let Some(c) = chars.next() {
        if depth_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                depth_string = false;
            }
            continue;
        }
        match c {
            '#' => skip_line(&mut chars),
            '/' if chars.peek() == Some(&'/') => skip_line(&mut chars),
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            c => {
                if pending_space && is_word(c) && out.chars().next_back().is_some_and(is_word) {
                    out.push(' ');
                }
                pending_space = false;
                if c == '"' {
                    depth_string = true;
                }
                out.push(c);
            }
        }
    }
    out
}

fn skip_line(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for n in chars.by_ref() {
        if n == '\n' {
            break;
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_ignores_layout_but_not_strings() {
        assert_eq!(normalize("var.a  +\n  local.b # c\n"), "var.a+local.b");
        assert_eq!(normalize("for x in var.list : x"), "for x in var.list:x");
        assert_eq!(normalize("format(\"a  b\", 1)"), "format(\"a  b\",1)");
        assert_eq!(normalize("a /* x */ + b"), "a+b");
    }
}
