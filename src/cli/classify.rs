//! `demarcate classify`: every setting with its location, format, key path,
//! area and responsible parties, streamed file by file; with `--base`, only
//! the changed settings, classified by the base revision's configuration.

use super::{ClassifyArgs, Status};
use crate::baseline;
use crate::findings::Finding;
use crate::models::AreaRefs;
use crate::report;
use crate::report::settings::{self, SettingRow, SettingsWriter};
use crate::revision;
use crate::scan::{self, FileScan};
use crate::session::Session;
use crate::setting::Setting;

/// Runs `classify`.
pub fn run(args: &ClassifyArgs) -> anyhow::Result<Status> {
    let session = match (&args.base, &args.head) {
        (Some(_), Some(_)) => Session::open_commits(&args.paths, &args.model.request())?,
        _ => Session::open(&args.paths, &args.model.request())?,
    };
    let models = session.models()?;
    let areas = AreaRefs::new(&models);
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
            let revs = revision::open(&session.ws.root, &mode)?;
            // As in `lint`: the base revision's configuration judges, the new
            // end's (the head commit's with --head) judges the new end too.
            let lookup = baseline::Lookup::from(&session);
            let base = baseline::load(lookup, &revs.repo, revs.base.as_deref())?;
            let head = baseline::at_head(lookup, &revs.repo, &revs.side)?;
            let new_models = match &head {
                Some(h) => Some(h.models(&session.cli)?),
                None => None,
            };
            let new_models = new_models.as_ref().unwrap_or(&models);
            let base_models = match &base.snapshot {
                Some(_) => Some(base.models(&session.cli)?),
                None => None,
            };
            let judging = base_models.as_ref().unwrap_or(new_models);
            let request = match &head {
                _ if base.snapshot.is_some() => &base.request,
                Some(h) => &h.request,
                None => &session.request,
            };
            let judges = revision::Judges {
                base: judging,
                new: new_models,
                limits: &request.limits,
            };
            let areas = AreaRefs::new(judging);
            let scan = revision::scan_changes(&revs, request, &judges)?;
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
                            file.new.model.and_then(|m| judging.classify(m, s)),
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
    let Some(threshold) = args.fail_on.threshold() else {
        return Ok(0);
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
