//! `demarcate classify`: every setting with its location, format, key path,
//! area and responsible parties, streamed file by file.

use super::{ClassifyArgs, FailOn, Status};
use crate::findings::{Finding, Severity};
use crate::models::AreaRefs;
use crate::report;
use crate::report::settings::{self, SettingRow, SettingsWriter};
use crate::revision;
use crate::scan::{self, FileScan};
use crate::session::Session;
use crate::setting::Setting;

/// Runs `classify`.
pub fn run(args: &ClassifyArgs) -> anyhow::Result<Status> {
    let session = Session::open(&args.paths, &args.model.request())?;
    let models = session.models()?;
    let areas = AreaRefs::new(&models);
    let mut writer =
        SettingsWriter::new(report::open(args.output.as_deref())?, args.format.into())?;
    let mut problems: Vec<Finding> = Vec::new();
    let mut failed: Option<std::io::Error> = None;
    match &args.base {
        Some(rev) => {
            let revs = revision::open(&session, &revision::Mode::Base(rev.clone()))?;
            let judges = revision::Judges {
                base: &models,
                new: &models,
                limits: &session.request.limits,
            };
            let scan = revision::scan_changes(&session, &revs, &session.request, &judges)?;
            problems.extend(scan.problems.iter().cloned());
            for file in &scan.files {
                problems.extend(file.new.problems.iter().cloned());
                let changed = changed_settings(file);
                let rows: Vec<SettingRow<'_>> = changed
                    .iter()
                    .map(|s| SettingRow {
                        setting: s,
                        area: areas.get(
                            file.new.model,
                            file.new.model.and_then(|m| models.classify(m, s)),
                        ),
                    })
                    .collect();
                writer.push(&settings::chunk(args.format.into(), &rows))?;
            }
        }
        None => {
            let skipped = scan::scan_streamed(
                &session.request,
                &models,
                |file| {
                    (
                        settings::chunk(args.format.into(), &rows(&file, &areas)),
                        file.problems,
                    )
                },
                |(chunk, found)| {
                    if failed.is_none() {
                        failed = writer.push(&chunk).err();
                    }
                    problems.extend(found);
                },
            );
            problems.extend(skipped);
        }
    }
    problems.sort_by(Finding::cmp_order);
    let written = match failed {
        Some(e) => Err(e),
        None => writer.finish(&problems),
    };
    match written {
        // A closed pipe (`demarcate classify | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Note => Severity::Note,
        FailOn::Never => return Ok(0),
    };
    Ok(u8::from(problems.iter().any(|p| p.severity >= threshold)))
}

/// The settings that changed in a file, removed ones at their new location.
fn changed_settings(file: &revision::ChangedFile) -> Vec<Setting> {
    file.changes
        .iter()
        .filter_map(|c| {
            let mut s = c.setting()?.clone();
            s.span = c.span;
            Some(s)
        })
        .collect()
}

/// Every setting of a file with its area, if any.
pub fn rows<'s>(file: &'s FileScan, areas: &'s AreaRefs) -> Vec<SettingRow<'s>> {
    file.settings
        .iter()
        .zip(&file.matches)
        .map(|(setting, m)| SettingRow {
            setting,
            area: areas.get(file.model, *m),
        })
        .collect()
}
