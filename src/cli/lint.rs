//! `demarcate lint`: arguments to the engine ([`crate::lint`]), its report
//! to the chosen format.

use super::{FailOn, LintArgs, Status};
use crate::findings::Severity;
use crate::lint;
use crate::report;
use crate::revision::Mode;

/// Runs `lint`.
pub fn run(args: &LintArgs) -> anyhow::Result<Status> {
    let mode = match (&args.base, &args.head, args.staged) {
        (Some(rev), Some(head), _) => Some(Mode::Commits(rev.clone(), head.clone())),
        (Some(rev), None, _) => Some(Mode::Base(rev.clone())),
        (None, _, true) => Some(Mode::Staged),
        (None, _, false) => None,
    };
    let outcome = lint::open_and_run(&args.paths, &args.model.request(), mode.as_ref())?;
    // Without a model nothing is judged: said on standard error too.
    if let Some(notice) = outcome.report.summary.notice {
        report::warn(notice);
    }
    let color = report::use_color(args.output.as_deref());
    let text = report::render_lint(
        args.format.into(),
        &outcome.report,
        outcome.sources.as_ref(),
        color,
    )?;
    report::write(args.output.as_deref(), &text)?;
    Ok(lint::status(&outcome.report, args.fail_on.threshold()))
}

impl FailOn {
    /// The lowest severity that fails the run (`None`: nothing fails).
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}
