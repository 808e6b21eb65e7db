//! `demarcate classify`: every setting with its location, format, key path,
//! area and responsible parties.

use super::{ClassifyArgs, Status};
use crate::findings::Severity;
use crate::models::Models;
use crate::report::{self, settings::SettingRow};
use crate::revision;
use crate::scan::{self, Scan};
use crate::session::Session;
use crate::setting::Setting;

/// Runs `classify`.
pub fn run(args: &ClassifyArgs) -> anyhow::Result<Status> {
    let session = Session::open(&args.paths, &args.model)?;
    let models = session.models()?;
    if let Some(rev) = &args.base {
        return changed(&session, &models, rev, args);
    }
    let result = scan::scan(&session.request, &models);
    let rows = rows(&result, &models);
    let problems = result.problems();
    let text = report::settings::render(args.format, &rows, &problems);
    report::write(args.output.as_deref(), &text)?;
    Ok(u8::from(
        problems.iter().any(|p| p.severity == Severity::Error),
    ))
}

/// `classify --base`: only the settings that changed (removed ones at their new location).
fn changed(
    session: &Session,
    models: &Models<'_>,
    rev: &str,
    args: &ClassifyArgs,
) -> anyhow::Result<Status> {
    let scan = revision::scan_changes(session, models, &revision::Mode::Base(rev.to_string()))?;
    let mut settings: Vec<(Setting, Option<usize>)> = Vec::new();
    let mut problems = Vec::new();
    for file in &scan.files {
        problems.extend(file.new.problems.iter().cloned());
        for change in &file.changes {
            if let Some(s) = change.setting() {
                let mut s = s.clone();
                s.span = change.span;
                settings.push((s, file.new.model));
            }
        }
    }
    let rows: Vec<SettingRow<'_>> = settings
        .iter()
        .map(|(s, model)| {
            let area = model.and_then(|m| {
                let model = models.model(m)?;
                let found = models.classify(m, s)?;
                Some(model.area_ref(&model.pack.areas[found.area]))
            });
            SettingRow { setting: s, area }
        })
        .collect();
    let text = report::settings::render(args.format, &rows, &problems);
    report::write(args.output.as_deref(), &text)?;
    Ok(u8::from(
        problems.iter().any(|p| p.severity == Severity::Error),
    ))
}

/// Every setting of a scan with its area, if any.
pub fn rows<'s>(scan: &'s Scan, models: &Models<'_>) -> Vec<SettingRow<'s>> {
    let mut rows = Vec::new();
    for file in &scan.files {
        let model = file.model.and_then(|m| models.model(m));
        for (setting, m) in file.settings.iter().zip(&file.matches) {
            let area = model
                .zip(*m)
                .map(|(model, m)| model.area_ref(&model.pack.areas[m.area]));
            rows.push(SettingRow { setting, area });
        }
    }
    rows
}
