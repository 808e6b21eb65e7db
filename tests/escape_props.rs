//! Output cannot be injected: generated hostile strings (file names with
//! line breaks, `::error` workflow commands, ESC/BEL/CR, C1 and bidi
//! controls, HTML, backticks, `%0A`) go into every part of a report that
//! comes from the repository or a pack, and every format keeps its
//! invariants: no raw control character and no line starting with `::` in
//! human output; only our own workflow commands in GitHub output; no HTML
//! outside code spans and a bounded size in Markdown; JSON and SARIF parse
//! back to the same strings.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use demarcate::findings::{Allowed, AreaRef, ChangeKind, Code, Finding, Severity};
use demarcate::packs::Role;
use demarcate::report::LintFormat;
use demarcate::report::{LintReport, Summary, Texts, render_lint};
use demarcate::setting::{Pos, Span};
use proptest::prelude::*;
use serde_json::Value;

/// C0, DEL, C1 and the bidirectional controls (the test's own list, not the
/// code's).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

const PIECES: [&str; 34] = [
    "\n",
    "\r",
    "\r\n",
    "::error::pwned",
    "::warning file=a,line=1::x",
    "  ::notice::",
    "\u{1b}[31m",
    "\u{1b}]0;title\u{7}",
    "\u{7}",
    "\u{9b}",
    "\u{85}",
    "\u{7f}",
    "\u{0}",
    "\u{202e}",
    "\u{2066}",
    "\u{2069}",
    "\u{200f}",
    "\u{61c}",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "`",
    "``",
    "```",
    "%0A",
    "%",
    ",",
    ":",
    "|",
    "&amp;",
    "[x](javascript:y)",
    "é",
    "a",
    " ",
    "\t",
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(&PIECES[..]), 1..14)
            .prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

fn area(s: &str) -> AreaRef {
    AreaRef {
        id: "os".to_string(),
        title: s.to_string(),
        responsible: vec![Role::Vendor],
        accountable: vec![Role::Vendor],
        consulted: vec![],
        informed: vec![],
        owner: s.to_string(),
    }
}

/// A report whose every repository or pack string is `s`.
fn report(s: &str, copies: usize) -> LintReport {
    let file: Arc<str> = Arc::from(s);
    let mut findings = Vec::new();
    for i in 0..copies {
        let line = u32::try_from(i % 3 + 1).unwrap();
        let mut change = Finding::at(
            Code::VendorOwnedChange,
            Arc::clone(&file),
            Span::new(Pos::new(line, 1), Pos::new(line, 4)),
            format!("changed {s}"),
        );
        change.setting = Some(s.to_string());
        change.change = Some(ChangeKind::Modified);
        change.before = Some(s.to_string());
        change.after = Some(s.to_string());
        change.area = Some(std::sync::Arc::new(area(s)));
        let mut allowed = change.clone();
        allowed.allowed = Some(Allowed {
            by: format!("{s}:1"),
            reason: s.to_string(),
            r#ref: Some(s.to_string()),
            until: Some(s.to_string()),
            waiver: false,
        });
        let mut problem = Finding::at(
            Code::ParseError,
            Arc::clone(&file),
            Span::at(Pos::new(line, 2)),
            s.to_string(),
        );
        problem.severity = Severity::Error;
        findings.extend([change, allowed, problem]);
    }
    let summary = Summary::count(1, 3, &findings);
    LintReport {
        vendor: Some(s.to_string()),
        deployment: Some(s.to_string()),
        options: BTreeMap::from([(s.to_string(), s.to_string())]),
        findings,
        summary,
    }
}

fn render(format: LintFormat, r: &LintReport, s: &str) -> String {
    // The file's text is the hostile string too, so snippets show it.
    let sources = Texts(HashMap::from([(
        s.to_string(),
        format!("{s}\nkey: {s}\nother: {s}\n"),
    )]));
    render_lint(format, r, &sources, false).unwrap()
}

/// Markdown with code spans removed (CommonMark: a run of n backticks opens
/// a span that the next run of exactly n closes; a `\` escape outside
/// spans is literal, shown as `_`).
fn outside_code(md: &str) -> String {
    let chars: Vec<char> = md.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            // An escaped character is literal text: kept out of the checks.
            out.push('_');
            i += 2;
            continue;
        }
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|c| **c == '`').count();
        let mut j = i + run;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let n = chars[j..].iter().take_while(|c| **c == '`').count();
                if n == run {
                    close = Some(j + n);
                    break;
                }
                j += n;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => {
                out.push_str("CODE");
                i = end;
            }
            None => {
                out.extend(std::iter::repeat_n('`', run));
                i += run;
            }
        }
    }
    out
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn check_all(s: &str) -> Result<(), TestCaseError> {
    let r = report(s, 1);

    let human = render(LintFormat::Human, &r, s);
    for c in human.chars() {
        prop_assert!(c == '\n' || !is_unsafe(c), "human: raw {c:?} in {human:?}");
    }
    for line in human.lines() {
        prop_assert!(
            !line.trim_start().starts_with("::"),
            "human line is a workflow command: {line:?}"
        );
    }

    let github = render(LintFormat::Github, &r, s);
    let lines: Vec<&str> = github.lines().collect();
    prop_assert_eq!(lines.len(), r.findings.len() + 1, "{:?}", github);
    for (line, f) in lines.iter().zip(&r.findings) {
        let command = match (&f.allowed, f.severity) {
            (Some(_), _) | (None, Severity::Note) => "::notice file=",
            (None, Severity::Error) => "::error file=",
            (None, Severity::Warning) => "::warning file=",
        };
        prop_assert!(line.starts_with(command), "{line:?}");
        // Properties end at the first `::`; no property value holds one.
        let props = &line[command.len()..];
        let end = props.find("::").unwrap();
        prop_assert!(!props[..end].contains([':', '\r']), "{line:?}");
    }
    prop_assert!(lines.last().unwrap().starts_with("demarcate: "));
    for c in github.chars() {
        prop_assert!(c == '\n' || !is_unsafe(c), "github: raw {c:?}");
    }

    let md = render(LintFormat::Markdown, &r, s);
    let prose = outside_code(&md);
    prop_assert!(!prose.contains('<'), "HTML outside code: {prose:?}");
    prop_assert!(!prose.contains("]("), "a link outside code: {prose:?}");
    for c in md.chars() {
        prop_assert!(c == '\n' || !is_unsafe(c), "markdown: raw {c:?}");
    }

    let json: Value = serde_json::from_str(&render(LintFormat::Json, &r, s)).unwrap();
    prop_assert_eq!(json["findings"][0]["file"].as_str(), Some(s));
    prop_assert_eq!(json["findings"][1]["allowed"]["reason"].as_str(), Some(s));
    let sarif: Value = serde_json::from_str(&render(LintFormat::Sarif, &r, s)).unwrap();
    let mut all = Vec::new();
    strings(&sarif, &mut all);
    prop_assert!(all.iter().any(|x| x == s), "SARIF lost {s:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_format_keeps_its_invariants(s in hostile()) {
        check_all(&s)?;
    }
}

#[test]
fn the_issue_strings_keep_the_invariants() {
    for s in [
        "x.yaml\n::error file=x::pwned",
        "\u{1b}[2J\u{7}\r\u{9b}31m\u{202e}lmay.x",
        "<img src=x onerror=alert(1)>",
        "a`b``c```d",
        "50%0A::error::x",
    ] {
        check_all(s).unwrap();
    }
}

/// Four values of 900 KB and 5,000 findings stay under GitHub's 1 MiB job
/// summary limit, with a line saying how many findings were left out.
#[test]
fn markdown_summary_stays_under_one_mebibyte() {
    let big = "v".repeat(900_000);
    let mut r = report(&big, 4);
    let md = render(LintFormat::Markdown, &r, &big);
    assert!(md.len() < 1 << 20, "{} bytes", md.len());
    assert!(!md.contains(&"v".repeat(1_001)));

    let mut many = report("<b>x</b>\u{202e}", 5_000);
    let long = "&".repeat(900);
    for f in &mut many.findings {
        f.message = long.clone();
        f.setting = Some(long.clone());
    }
    r = many;
    let md = render(LintFormat::Markdown, &r, "x");
    assert!(md.len() < 1 << 20, "{} bytes", md.len());
    assert!(
        md.contains("more findings left out of this summary"),
        "{md}"
    );
}
