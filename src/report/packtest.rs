//! Output of `packs test`: one line per example (and one per failed
//! expectation), or the results as JSON.

use std::fmt::Write;

use serde::Serialize;

use super::escape::human as esc;
use crate::packtest::ExampleResult;

#[derive(Serialize)]
struct JsonResults<'a> {
    examples: &'a [ExampleResult],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    examples: usize,
    passed: usize,
    failed: usize,
}

fn summary(results: &[ExampleResult]) -> Summary {
    let passed = results.iter().filter(|r| r.passed()).count();
    Summary {
        examples: results.len(),
        passed,
        failed: results.len() - passed,
    }
}

/// Renders the results as JSON.
pub fn json(results: &[ExampleResult]) -> String {
    let mut text = serde_json::to_string_pretty(&JsonResults {
        examples: results,
        summary: summary(results),
    })
    .unwrap_or_default();
    text.push('\n');
    text
}

/// Renders the results as text: `ok`/`FAIL`, the pack file and line, the
/// group and the example's name; failures indented below.
pub fn human(results: &[ExampleResult]) -> String {
    let mut out = String::new();
    for r in results {
        let status = if r.passed() { "ok  " } else { "FAIL" };
        let _ = writeln!(
            out,
            "{status} {}:{} {} / {} ({} checked)",
            esc(&r.origin),
            r.line,
            esc(&r.group),
            esc(&r.name),
            r.checked
        );
        for f in &r.failures {
            let _ = writeln!(
                out,
                "       {}:{}: {}",
                esc(&r.origin),
                f.line,
                esc(&f.message)
            );
        }
    }
    let s = summary(results);
    let _ = writeln!(
        out,
        "{} examples: {} passed, {} failed",
        s.examples, s.passed, s.failed
    );
    out
}
