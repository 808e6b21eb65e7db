//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`).

use std::fmt::Write;

use super::LintReport;
use crate::findings::Severity;

/// Escapes the message part of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Renders one annotation per finding that is not allowed; `col` and
/// `endColumn` only when the finding is on one line.
pub fn render(report: &LintReport) -> String {
    let mut out = String::new();
    for f in report.findings.iter().filter(|f| f.allowed.is_none()) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = format!(
            "file={},line={}",
            escape_property(&f.file),
            f.span.start.line
        );
        if f.span.start.line == f.span.end.line {
            let _ = write!(
                props,
                ",col={},endColumn={}",
                f.span.start.col,
                f.span.end.col.max(f.span.start.col)
            );
        }
        let _ = write!(props, ",endLine={}", f.span.end.line.max(f.span.start.line));
        let title = match &f.area {
            Some(a) => format!("demarcate {}: {} ({})", f.code, a.title, a.owner),
            None => format!("demarcate {}", f.code),
        };
        let _ = write!(props, ",title={}", escape_property(&title));
        let ask = if f.contacts.is_empty() {
            String::new()
        } else {
            format!(" (ask: {})", f.contacts.join(", "))
        };
        let _ = writeln!(
            out,
            "::{command} {props}::{}",
            escape_data(&format!("{}{ask}", f.message))
        );
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "demarcate: {} files, {} settings: {} errors, {} warnings, {} notes, {} allowed",
        s.files, s.settings, s.errors, s.warnings, s.notes, s.allowed
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
