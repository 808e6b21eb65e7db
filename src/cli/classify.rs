//! `demarcate classify`: every setting with its location, format and key path.

use super::{ClassifyArgs, Status};
use crate::report::{self, settings::SettingRow};
use crate::scan;

/// Runs `classify`.
pub fn run(args: &ClassifyArgs) -> anyhow::Result<Status> {
    let ws = crate::workspace::Workspace::resolve(&args.paths, args.model.config.as_deref())?;
    let request = scan::ScanRequest::for_workspace(&ws);
    let result = scan::scan(&request);
    let rows: Vec<SettingRow<'_>> = result
        .settings()
        .map(|s| SettingRow {
            setting: s,
            area: None,
        })
        .collect();
    let problems = result.problems();
    let text = report::settings::render(args.format, &rows, &problems);
    report::write(args.output.as_deref(), &text)?;
    Ok(u8::from(
        problems
            .iter()
            .any(|p| p.severity == crate::findings::Severity::Error),
    ))
}
