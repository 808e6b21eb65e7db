//! HCL object literals that repeat a key, read as Terraform reads them.
//! Terraform accepts `{ a = 1, a = 2 }` and keeps the last value; hcl-edit
//! stops with "found redefined object key". When it does, the repeated key
//! is renamed in a copy of the text to a name of the same length found
//! nowhere in the file, and the copy is parsed again. Only key names change,
//! never lengths, so every byte offset (and span) is the file's own; the
//! trees are built against the original text, whose slices give the keys
//! back their names (see [`hcl::object_key`](super::hcl)).

use hcl_edit::parser::{Error, parse_body};
use hcl_edit::structure::Body;
use hcl_primitives::ident::{is_id_continue, is_id_start};

/// Most keys renamed in one file (each costs a parse of the whole file).
const MAX_RENAMES: usize = 64;

/// Most bytes parsed again over all renames of one file (a large file gets
/// fewer: the work stays linear in its size).
const MAX_REPARSE_BYTES: usize = 32 << 20;

/// The message part hcl-edit uses for a repeated object key.
const REDEFINED: &str = "redefined object key";

/// Parses `text` as an HCL body, renaming repeated object keys; returns the
/// body (or the error that stands) and how many keys were renamed.
pub fn parse(text: &str) -> (Result<Body, Error>, usize) {
    let mut masked: Option<String> = None;
    let mut renamed = 0;
    loop {
        let current = masked.as_deref().unwrap_or(text);
        let err = match parse_body(current) {
            Ok(body) => return (Ok(body), renamed),
            Err(err) => err,
        };
        let over = (renamed + 1).saturating_mul(text.len()) > MAX_REPARSE_BYTES;
        if renamed >= MAX_RENAMES || over || !err.message().contains(REDEFINED) {
            return (Err(err), renamed);
        }
        let Some(next) = rename_at(current, err.location().offset()) else {
            return (Err(err), renamed);
        };
        masked = Some(next);
        renamed += 1;
    }
}

/// The text with the key starting at byte `at` renamed (same byte length),
/// or `None` when that key cannot be renamed.
fn rename_at(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let (start, len) = if let Some(inner) = rest.strip_prefix('"') {
        // A quoted key without escapes or interpolation: rename its content.
        let end = inner.find('"')?;
        let content = &inner[..end];
        if content.is_empty() || content.contains(['\\', '$', '%', '\n']) {
            return None;
        }
        (at + 1, content.len())
    } else {
        let first = rest.chars().next()?;
        if !is_id_start(first) {
            return None;
        }
        let len = rest
            .find(|c: char| !is_id_continue(c))
            .unwrap_or(rest.len());
        (at, len)
    };
    if !text.get(start..start + len)?.is_ascii() {
        return None;
    }
    let name = unused_name(text, len)?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    out.push_str(&name);
    out.push_str(&text[start + len..]);
    Some(out)
}

/// An identifier of `len` ASCII characters that appears nowhere in `text`.
fn unused_name(text: &str, len: usize) -> Option<String> {
    const FIRST: &[u8] = b"_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let word_free = |name: &str| {
        !text.match_indices(name).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + name.len()..].chars().next();
            !before.is_some_and(is_id_continue) && !after.is_some_and(is_id_continue)
        })
    };
    if len == 1 {
        return FIRST
            .iter()
            .map(|&b| char::from(b).to_string())
            .find(|n| word_free(n));
    }
    (0..10_000u32)
        .map(|k| format!("_{k:0>width$}", width = len - 1))
        .filter(|n| n.len() == len)
        .find(|n| word_free(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_parse_with_lengths_kept() {
        let text = "tags = {\n  Service = \"a\"\n  Service = \"b\"\n  \"Name\" = 1\n  \"Name\" = 2\n  x = 1\n  x = 3\n}\n";
        assert!(parse_body(text).is_err());
        let (body, renamed) = parse(text);
        assert!(body.is_ok(), "{body:?}");
        assert_eq!(renamed, 3);
    }

    #[test]
    fn other_errors_stand() {
        let (body, renamed) = parse("a = {\n b = \n}\n");
        assert!(body.is_err());
        assert_eq!(renamed, 0);
        // Repeated block attributes are an error to Terraform too.
        assert!(parse("a = 1\na = 2\n").0.is_err());
    }

    #[test]
    fn names_are_unused_words_of_the_same_length() {
        assert_eq!(unused_name("_000 = 1", 4).as_deref(), Some("_001"));
        assert_eq!(unused_name("x__000", 4).as_deref(), Some("_000"));
        assert_eq!(unused_name("_ a", 1).as_deref(), Some("b"));
    }
}
