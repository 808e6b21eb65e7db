//! `classify --base` in the engine: the settings that changed since a base
//! revision, each with its area under the judging models (the base
//! revision's configuration, as in `lint`; the new end's when the base has
//! none), file by file, and the problems met. The reporter renders them as
//! `classify` rows; nothing here prints.

use crate::baseline;
use crate::finding::{AreaRef, Finding};
use crate::models::{AreaRefs, Models};
use crate::revision::{self, Mode};
use crate::session::Session;
use crate::setting::Setting;

/// The changed settings of one file.
#[derive(Debug, Clone, Default)]
pub struct ChangedSettings {
    /// The settings that changed, removed ones at their new location.
    pub settings: Vec<Setting>,
    /// The area of each, if a matcher of the judging models claimed it.
    pub areas: Vec<Option<AreaRef>>,
}

/// What changed, file by file, and the problems met reading it.
#[derive(Debug, Default)]
pub struct Changes {
    /// One entry per changed file, in the order the change lists them.
    pub files: Vec<ChangedSettings>,
    /// Problems (parse errors, unreadable files), unsorted.
    pub problems: Vec<Finding>,
}

/// Reads the changes of `mode` and classifies every changed setting;
/// `models` are the session's, which judge when neither end has a configuration.
pub fn changed_settings(
    session: &Session,
    models: &Models<'_>,
    mode: &Mode,
) -> anyhow::Result<Changes> {
    let revs = revision::open(&session.ws.root, mode)?;
    // As in `lint`: the base revision's configuration judges, the new
    // end's (the head commit's with --head) judges the new end too.
    let lookup = baseline::Lookup::from(session);
    let base = baseline::load(lookup, &revs.repo, revs.base.as_deref())?;
    let head = baseline::at_head(lookup, &revs.repo, &revs.side)?;
    let new_models = match &head {
        Some(h) => Some(h.models(&session.cli)?),
        None => None,
    };
    let new_models = new_models.as_ref().unwrap_or(models);
    let base_models = match &base.snapshot {
        Some(_) => Some(base.models(&session.cli)?),
        None => None,
    };
    let judging = base_models.as_ref().unwrap_or(new_models);
    let request = base.request_with(head.as_ref(), &session.request);
    let judges = revision::Judges {
        base: judging,
        new: new_models,
        limits: &request.limits,
    };
    let areas = AreaRefs::new(judging);
    let scan = revision::scan_changes(&revs, request, &judges)?;
    let mut out = Changes {
        files: Vec::with_capacity(scan.files.len()),
        problems: scan.problems.clone(),
    };
    for file in &scan.files {
        out.problems.extend(file.new.problems.iter().cloned());
        let settings = changed(file);
        let model = file.new.model;
        let areas = settings
            .iter()
            .map(|s| {
                areas
                    .get(model, model.and_then(|m| judging.classify(m, &s.view())))
                    .cloned()
            })
            .collect();
        out.files.push(ChangedSettings { settings, areas });
    }
    Ok(out)
}

/// The settings that changed in a file, removed ones at their new location.
fn changed(file: &revision::ChangedFile) -> Vec<Setting> {
    file.changes
        .iter()
        .filter_map(|c| {
            let mut s = c.setting()?.clone();
            s.span = c.span;
            Some(s)
        })
        .collect()
}
