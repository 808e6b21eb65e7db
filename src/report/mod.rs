//! Reporters: the only code that writes output (standard output, the
//! `--output` file, standard error), one module per format, each escaping
//! what it writes for that format. The one other write is not output:
//! `init` puts the proposed `.demarcate.yaml` into the repository
//! (`crate::init::write`). See ARCHITECTURE.md section 2.

pub mod escape;
pub mod explain;
pub mod format;
pub mod github;
pub mod human;
pub mod init;
pub mod inventory;
pub mod json;
pub mod markdown;
pub mod packtest;
mod render;
pub mod sarif;
pub mod settings;
pub mod snippet;
pub mod tally;
pub mod vendors;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;

use crate::findings::{Finding, Severity};
pub use format::{ClassifyFormat, LintFormat, ReportFormat, TextFormat};
pub use render::render_lint;

/// Everything `lint` reports.
#[derive(Debug, Clone)]
pub struct LintReport {
    /// Vendor id, when a model applies.
    pub vendor: Option<String>,
    /// Deployment id.
    pub deployment: Option<String>,
    /// Model options in effect.
    pub options: BTreeMap<String, String>,
    /// Findings, in file and line order.
    pub findings: Vec<Finding>,
    /// Counts.
    pub summary: Summary,
}

/// Counts for the end of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Settings read.
    pub settings: usize,
    /// Error findings (not allowed).
    pub errors: usize,
    /// Warning findings (not allowed).
    pub warnings: usize,
    /// Note findings (not allowed).
    pub notes: usize,
    /// Findings accepted by an allowance.
    pub allowed: usize,
    /// Changed settings that no area claims (`unclassified-change`, not allowed).
    pub unclassified: usize,
    /// What the run could not do (no model configured), when it matters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<&'static str>,
}

/// The notice of a run without a responsibility model.
pub const NO_MODEL: &str = "no responsibility model is configured, so no setting is classified \
     and no change is judged; run `demarcate init` to write a .demarcate.yaml, or pass --vendor and --deployment";

/// ", N unclassified" for a summary line, when changed settings fell into no area.
pub fn unclassified_text(s: &Summary) -> String {
    if s.unclassified == 0 {
        String::new()
    } else {
        format!(", {} unclassified", s.unclassified)
    }
}

/// "N files, N settings: N errors, N warnings, N notes, N allowed", the
/// totals line of the terminal and GitHub outputs.
pub fn totals_text(s: &Summary) -> String {
    format!(
        "{} files, {} settings: {} errors, {} warnings, {} notes, {} allowed{}",
        s.files,
        s.settings,
        s.errors,
        s.warnings,
        s.notes,
        s.allowed,
        unclassified_text(s)
    )
}

/// Writes a warning about the run to standard error.
pub fn warn(text: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {text}");
}

impl Summary {
    /// Counts findings by severity.
    pub fn count(files: usize, settings: usize, findings: &[Finding]) -> Summary {
        let mut s = Summary {
            files,
            settings,
            ..Summary::default()
        };
        for f in findings {
            if f.allowed.is_some() {
                s.allowed += 1;
                continue;
            }
            if f.code == crate::findings::Code::UnclassifiedChange {
                s.unclassified += 1;
            }
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
        }
        s
    }
}

/// Where reporters find the text of a file (for snippets).
pub trait SourceText {
    /// The text of a repository-relative file, if it can be had.
    fn text(&self, file: &str) -> Option<String>;
}

/// Files read from the working tree.
#[derive(Debug, Clone)]
pub struct Disk(pub std::path::PathBuf);

/// Largest file shown in a snippet.
const MAX_SNIPPET_FILE: u64 = 4 * 1024 * 1024;

impl SourceText for Disk {
    /// Reads a regular file inside the root only (never a FIFO, a device, or
    /// a symlink that leaves the repository), up to a size limit.
    fn text(&self, file: &str) -> Option<String> {
        let root = std::fs::canonicalize(&self.0).ok()?;
        let path = std::fs::canonicalize(self.0.join(file)).ok()?;
        if !path.starts_with(&root) {
            return None;
        }
        crate::source::read_text_file(&path, MAX_SNIPPET_FILE).ok()
    }
}

/// File texts held in memory (the index, in staged mode).
#[derive(Debug, Clone, Default)]
pub struct Texts(pub std::collections::HashMap<String, String>);

impl SourceText for Texts {
    fn text(&self, file: &str) -> Option<String> {
        self.0.get(file).cloned()
    }
}

/// Whether output may use colour: standard output is a terminal and `NO_COLOR` is unset.
pub fn use_color(output: Option<&Path>) -> bool {
    use std::io::IsTerminal;
    output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Percent-encodes a repository-relative path for a URL or a SARIF `uri`
/// (RFC 3986): keeps `/` and unreserved characters, encodes every other byte.
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Writes text to a file, or to standard output.
pub fn write(output: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // A closed pipe (`demarcate … | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

/// A buffered writer for a file, or for standard output.
pub fn open(output: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write `{}`", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout(),
        )),
    })
}

/// Writes an error that stopped the run to standard error; each message
/// line is escaped (errors quote file names and configuration text).
pub fn error(err: &anyhow::Error) {
    let lines = |text: String| {
        text.lines()
            .map(|l| escape::human(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut text = format!("error: {}\n", lines(err.to_string()));
    for cause in err.chain().skip(1) {
        text.push_str(&format!("  caused by: {}\n", lines(cause.to_string())));
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(super::url_path("a b/(c)#d.yaml"), "a%20b/%28c%29%23d.yaml");
        assert_eq!(super::url_path("x:y/50%,ü.tf"), "x%3Ay/50%25%2C%C3%BC.tf");
    }
}
