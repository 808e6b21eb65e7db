//! `demarcate classify`: every setting with its location, format, key path,
//! area and responsible parties, streamed file by file; with `--base`, only
//! the changed settings, which the engine selects and classifies by the base
//! revision's configuration (`lint::changed_settings`). This module maps the
//! arguments, calls the scan or the engine, and renders.

use super::{ClassifyArgs, Status};
use crate::findings::Finding;
use crate::lint;
use crate::models::AreaRefs;
use crate::report;
use crate::report::settings::{self, SettingRow, SettingsWriter};
use crate::revision;
use crate::scan::{self, FileScan};
use crate::session::Session;

/// Runs `classify`.
pub fn run(args: &ClassifyArgs) -> anyhow::Result<Status> {
    let session = match (&args.base, &args.head) {
        (Some(_), Some(_)) => Session::open_commits(&args.paths, &args.model.request())?,
        _ => Session::open(&args.paths, &args.model.request())?,
    };
    let models = session.models()?;
    let mut writer =
        SettingsWriter::new(report::open(args.output.as_deref())?, args.format.into())?;
    let mut problems: Vec<Finding> = Vec::new();
    let mut failed: Option<std::io::Error> = None;
    match &args.base {
        Some(rev) => {
            let mode = match &args.head {
                Some(head) => revision::Mode::Commits(rev.clone(), head.clone()),
                None => revision::Mode::Base(rev.clone()),
            };
            let changes = lint::changed_settings(&session, &models, &mode)?;
            problems = changes.problems;
            for file in &changes.files {
                let rows: Vec<SettingRow<'_>> = file
                    .settings
                    .iter()
                    .zip(&file.areas)
                    .map(|(setting, area)| SettingRow {
                        setting,
                        area: area.as_ref(),
                    })
                    .collect();
                writer.push(&settings::chunk(args.format.into(), &rows))?;
            }
        }
        None => {
            let areas = AreaRefs::new(&models);
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
    lint::overrides(session.config.as_ref(), &mut problems);
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
    let Some(threshold) = args.fail_on.threshold() else {
        return Ok(0);
    };
    Ok(u8::from(problems.iter().any(|p| p.severity >= threshold)))
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
