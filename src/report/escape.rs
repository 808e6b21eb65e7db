//! The one sanitiser for output: every string that comes from the
//! repository or from a pack (file names, keys, values, snippets, titles,
//! party names, allowance reasons, messages that quote them) passes through
//! the function of its output format before it is written.
//!
//! - [`human`]: terminal text. C0 (line breaks and tabs included), DEL, C1
//!   and the bidirectional controls are shown as `\n`, `\t`, `\r` or
//!   `\u{..}`, so that a string stays on its line and cannot move the
//!   cursor, recolour, or reorder what follows; a string that starts with
//!   `:` gets it escaped, so that no line it begins can start with `::` (a
//!   GitHub workflow command when a step prints it).
//! - [`github_data`] and [`github_property`]: workflow-command parts, with
//!   GitHub's own `%` escapes for `%`, CR and LF (and `:` and `,` in
//!   properties) over [`human`]'s escapes of the other controls.
//! - [`markdown_text`] and [`markdown_code`]: Markdown prose or table cells
//!   with HTML and Markdown punctuation escaped, and code spans whose fence
//!   is longer than any backtick run inside; both capped in length.
//! - [`html`]: HTML text and attribute values.
//! - [`csv`]: CSV fields, one row a line.
//! - JSON and SARIF need nothing here: serde escapes every string.

use std::borrow::Cow;

/// Longest text shown in one Markdown cell or sentence, in characters.
pub const MARKDOWN_TEXT_MAX: usize = 1000;

/// Longest value, key or file name shown in one Markdown code span, in characters.
pub const MARKDOWN_CODE_MAX: usize = 200;

/// Whether a character is shown escaped in every format: C0, DEL, C1, and
/// the bidirectional controls (embeddings, overrides, isolates, marks).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// Terminal text: unsafe characters escaped, no line break, no leading `:`.
pub fn human(text: &str) -> Cow<'_, str> {
    escape_chars(text, false)
}

/// A line of source for a snippet: as [`human`], but tabs are kept (they
/// only indent) and the text is not checked for a leading `::` (a snippet
/// line never starts an output line).
pub fn human_source_line(line: &str) -> Cow<'_, str> {
    if !line.chars().any(|c| c != '\t' && is_unsafe(c)) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        push_char(&mut out, c, true);
    }
    Cow::Owned(out)
}

/// How many characters [`human_source_line`] writes for `c`.
pub fn human_source_width(c: char) -> usize {
    if c == '\t' || !is_unsafe(c) {
        1
    } else {
        let mut out = String::new();
        push_char(&mut out, c, false);
        out.chars().count()
    }
}

fn escape_chars(text: &str, keep_tab: bool) -> Cow<'_, str> {
    // A leading `:` (after spaces) may meet a `:` written after the string.
    let command = text.trim_start().starts_with(':');
    if !command && !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut leading = command;
    for c in text.chars() {
        if leading && c == ':' {
            out.push_str("\\u{3a}");
            leading = false;
            continue;
        }
        if !c.is_whitespace() {
            leading = false;
        }
        push_char(&mut out, c, keep_tab);
    }
    Cow::Owned(out)
}

fn push_char(out: &mut String, c: char, keep_tab: bool) {
    match c {
        '\t' if keep_tab => out.push('\t'),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if is_unsafe(c) => {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// The message part of a GitHub workflow command: `%`, CR and LF as
/// GitHub's `%25`, `%0D`, `%0A`; other unsafe characters as in [`human`].
pub fn github_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => push_char(&mut out, c, false),
        }
    }
    out
}

/// A property value of a GitHub workflow command (`file=`, `title=`): as
/// [`github_data`], plus `:` and `,` as `%3A` and `%2C`.
pub fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A CSV field: unsafe characters (line breaks included) escaped as in
/// [`human`], so that a row stays one line, then quoted when it holds `,`
/// or `"`.
pub fn csv(text: &str) -> String {
    let text: String = if text.chars().any(is_unsafe) {
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            push_char(&mut out, c, false);
        }
        out
    } else {
        text.to_string()
    };
    if text.contains([',', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Markdown prose or a table cell: unsafe characters escaped as in
/// [`human`], line breaks as spaces, HTML (`&`, `<`, `>`, quotes) as
/// entities, Markdown punctuation backslash-escaped (no link, image,
/// emphasis, heading or cell break can be made), capped at
/// [`MARKDOWN_TEXT_MAX`].
pub fn markdown_text(text: &str) -> String {
    let text = cap(text, MARKDOWN_TEXT_MAX);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' | ':' | '@'
            | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => push_char(&mut out, c, false),
        }
    }
    out
}

/// A Markdown code span (usable in a table cell): unsafe characters
/// escaped as in [`human`], `|` as `\|` (GitHub tables split cells on it
/// even in code), a fence of backticks longer than any run inside, capped
/// at [`MARKDOWN_CODE_MAX`].
pub fn markdown_code(text: &str) -> String {
    let text = cap(text, MARKDOWN_CODE_MAX);
    let inner = escape_chars(&text, false).replace('|', "\\|");
    let longest = inner
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    if longest == 0 && !inner.starts_with(' ') && !inner.ends_with(' ') {
        format!("{fence}{inner}{fence}")
    } else {
        format!("{fence} {inner} {fence}")
    }
}

/// HTML text or attribute value: `&`, `<`, `>`, `"` and `'` as entities,
/// unsafe characters escaped as in [`human`] (line breaks included).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => push_char(&mut out, c, false),
        }
    }
    out
}

/// Text cut to `max` characters, with `…` when cut.
fn cap(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_escapes_controls_bidi_and_leading_commands() {
        assert_eq!(human("plain"), "plain");
        assert_eq!(human("a\nb\t\u{1b}[31mred"), "a\\nb\\t\\u{1b}[31mred");
        assert_eq!(
            human("x\u{202e}y\u{2066}\u{200f}\u{61c}\u{85}\u{7f}"),
            "x\\u{202e}y\\u{2066}\\u{200f}\\u{61c}\\u{85}\\u{7f}"
        );
        assert_eq!(human("::error::x"), "\\u{3a}:error::x");
        assert_eq!(human("  ::warning"), "  \\u{3a}:warning");
        assert_eq!(human("a::b"), "a::b");
        assert_eq!(human(":"), "\\u{3a}");
        assert_eq!(human_source_line("\tk: \u{1b}v"), "\tk: \\u{1b}v");
        assert_eq!(human_source_width('\u{1b}'), 6);
        assert_eq!(human_source_width('\t'), 1);
    }

    #[test]
    fn github_escaping_follows_the_workflow_command_rules() {
        assert_eq!(github_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(github_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(github_property("f\u{1b}\u{7}"), "f\\u{1b}\\u{7}");
    }

    #[test]
    fn markdown_escapes_html_and_fences_code() {
        assert_eq!(
            markdown_text("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert\\(1\\)&gt;"
        );
        assert_eq!(markdown_text("[a](b)"), "\\[a\\]\\(b\\)");
        assert_eq!(markdown_code("a|b"), "`a\\|b`");
        assert_eq!(markdown_code("x`y"), "`` x`y ``");
        assert_eq!(markdown_code("``"), "``` `` ```");
        assert_eq!(
            html("<a href='x'>\u{202e}&\n"),
            "&lt;a href=&#39;x&#39;&gt;\\u{202e}&amp;\\n"
        );
        let long = markdown_code(&"v".repeat(1000));
        assert!(long.chars().count() < MARKDOWN_CODE_MAX + 5);
    }
}
