//! `demarcate lint`: the tree as it is (parse errors, files not read), or
//! the changes since a base revision.

use super::{FailOn, LintArgs, Status};
use crate::findings::Severity;
use crate::report::{self, LintReport, Summary};
use crate::scan;

/// Runs `lint`.
pub fn run(args: &LintArgs) -> anyhow::Result<Status> {
    if args.base.is_some() || args.staged {
        anyhow::bail!("--base and --staged are not available in this build yet");
    }
    let session = crate::session::Session::open(&args.paths, &args.model)?;
    let models = session.models()?;
    let result = scan::scan(&session.request, &models);
    let findings = result.problems();
    let summary = Summary::count(result.files.len(), result.settings().count(), &findings);
    let report = LintReport {
        vendor: None,
        deployment: None,
        options: Default::default(),
        findings,
        summary,
    };
    let text = report::render_lint(args.format, &report)?;
    report::write(args.output.as_deref(), &text)?;
    Ok(status(&report, args.fail_on))
}

/// Exit status for a report under `--fail-on`.
pub fn status(report: &LintReport, fail_on: FailOn) -> Status {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Note => Severity::Note,
        FailOn::Never => return 0,
    };
    u8::from(
        report
            .findings
            .iter()
            .any(|f| f.allowed.is_none() && f.severity >= threshold),
    )
}
