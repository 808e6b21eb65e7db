//! The lint engine: the tree as it is (parse errors, allowances, settings
//! in vendor-owned areas as notes), or the changes since a base revision
//! (judged by the base revision's configuration), turned into one sorted
//! [`LintReport`] with severities overridden and contacts assigned. Files
//! are judged one by one as they are read, so memory holds findings, not
//! every setting of the repository. Nothing here prints or knows clap.

mod changed;
mod contacts;
mod judge;
mod tree;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::allow;
use crate::baseline;
use crate::findings::{Finding, Severity};
use crate::models::{AreaRefs, Models};
use crate::report::{self, LintReport, Summary};
use crate::revision::{self, Mode, Revisions};
use crate::scan;
use crate::session::{ModelRequest, Session};
use crate::workspace::Workspace;
pub use changed::{ChangedSettings, Changes, changed_settings};
use judge::{Judge, Tally};

/// Files judged at once in tree mode.
const TREE_BATCH: usize = 256;

/// What `lint --base`/`--staged` says without a model.
pub const NO_MODEL_IN_DIFF: &str = "no responsibility model is configured, so no change can be judged; \
     run `demarcate init` to write a .demarcate.yaml, or pass --vendor and --deployment";

/// A finished run: the report, and where its snippets are read from.
pub struct Outcome {
    /// The findings, sorted, with the summary.
    pub report: LintReport,
    /// The texts the findings point into (the work tree, or the new end's blobs).
    pub sources: Box<dyn report::SourceText>,
}

/// Opens the session for `paths` and runs the engine over it: the tree
/// (`mode` is `None`) or the changes of `mode`. In diff modes git lists the
/// change (a few processes, one after another) in a thread of its own while
/// the configuration and the packs load, so that the two waits overlap.
pub fn open_and_run(
    paths: &[PathBuf],
    request: &ModelRequest,
    mode: Option<&Mode>,
) -> anyhow::Result<Outcome> {
    let open = || match mode {
        Some(Mode::Commits(..)) => Session::open_commits(paths, request),
        _ => Session::open(paths, request),
    };
    let Some(mode) = mode else {
        return run(&open()?, None);
    };
    let root = match mode {
        Mode::Commits(..) => Workspace::resolve_for_commits(paths, request.config.as_deref())?,
        _ => Workspace::resolve(paths, request.config.as_deref())?,
    }
    .root;
    let (session, revs) = std::thread::scope(|s| {
        let revs = s.spawn(|| revision::open(&root, mode));
        let session = open();
        let revs = revs
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the thread reading git stopped")));
        (session, revs)
    });
    // The session's errors (configuration, packs) come first, as without the thread.
    run_opened(&session?, Some(mode), Some(revs?))
}

/// Runs the engine over a session: the tree (`mode` is `None`) or the
/// changes of `mode`.
pub fn run(session: &Session, mode: Option<&Mode>) -> anyhow::Result<Outcome> {
    let revs = match mode {
        Some(m) => Some(revision::open(&session.ws.root, m)?),
        None => None,
    };
    run_opened(session, mode, revs)
}

/// As [`run`], with the revisions of `mode` already opened.
fn run_opened(
    session: &Session,
    mode: Option<&Mode>,
    revs: Option<Revisions>,
) -> anyhow::Result<Outcome> {
    // In diff modes the base revision's configuration and packs judge.
    let lookup = baseline::Lookup::from(session);
    let baseline = match &revs {
        Some(r) => Some(baseline::load(lookup, &r.repo, r.base.as_deref())?),
        None => None,
    };
    // With --head the new end's configuration is the head commit's.
    let head_end = match &revs {
        Some(r) => baseline::at_head(lookup, &r.repo, &r.side)?,
        None => None,
    };
    let models = match &head_end {
        Some(h) => h.models(&session.cli)?,
        None => session.models()?,
    };
    let now_config = head_end
        .as_ref()
        .map_or(session.config.as_ref(), baseline::Baseline::config);
    let base_models = match &baseline {
        Some(b) if b.snapshot.is_some() => Some(b.models(&session.cli)?),
        _ => None,
    };
    let judging = base_models.as_ref().unwrap_or(&models);
    if mode.is_some() && judging.entries().is_empty() && models.entries().is_empty() {
        anyhow::bail!(NO_MODEL_IN_DIFF);
    }
    let judging_config = match &baseline {
        Some(b) if b.snapshot.is_some() => b.config(),
        _ => now_config,
    };
    let (waivers, mut findings) = match now_config {
        Some(config) => allow::waivers(&config.file, &config.waivers),
        None => (Vec::new(), Vec::new()),
    };
    let areas = judging
        .entries()
        .iter()
        .chain(models.entries())
        .flat_map(|e| e.model.pack.areas.iter().map(|a| a.id.as_str()))
        .collect();
    let judge = Judge {
        models: judging,
        areas,
        waivers,
        // The allowance policy (horizon, required ref) is part of the check:
        // in diff modes the base's configuration sets it.
        terms: allow::Terms::new(
            judging_config
                .map(|c| c.allowances.clone())
                .unwrap_or_default(),
        ),
    };
    let area_refs = AreaRefs::new(&models);
    let mut tally = Tally {
        evidence: vec![false; judge.waivers.len()],
        ..Tally::default()
    };
    let (sources, complete): (Box<dyn report::SourceText>, bool) = match (&revs, &baseline) {
        (Some(revs), Some(baseline)) => {
            let request = baseline.request_with(head_end.as_ref(), &session.request);
            let judges = revision::Judges {
                base: judging,
                new: &models,
                limits: &request.limits,
            };
            let changed = revision::scan_changes(revs, request, &judges)?;
            let mut texts = HashMap::new();
            for file in &changed.files {
                tally.keep(judge.file(&file.new, file.findings.clone()));
                if let Some(text) = &file.new_text {
                    texts.insert(file.rel().to_string(), text.clone());
                }
            }
            tally.findings.extend(changed.problems);
            let builtin: Vec<String> = crate::packs::builtin::packs()
                .map(|p| p.into_iter().map(|p| p.id).collect())
                .unwrap_or_default();
            let now = match &head_end {
                Some(h) => h.snapshot.clone(),
                None => baseline::current(lookup),
            };
            tally.findings.extend(baseline::compare::config_change(
                baseline.snapshot.as_ref(),
                now.as_ref(),
                &builtin,
            ));
            (Box::new(report::Texts(texts)), false)
        }
        _ => {
            let request = &session.request;
            // What is kept of a file is its findings, which the report holds
            // anyway: large batches keep every core busy (a batch waits for
            // its slowest file) while one batch's findings are held twice.
            let skipped = scan::stream_files(
                request,
                TREE_BATCH,
                |c, bytes| tree::judge_file(&judge, &area_refs, &request.limits, c, bytes),
                |out| tally.keep(out),
            );
            tally.findings.extend(skipped);
            (Box::new(report::Disk(session.ws.root.clone())), true)
        }
    };
    findings.append(&mut tally.findings);
    let evidence = complete.then_some(tally.evidence);
    let about = allow::apply_waivers(
        &mut findings,
        &judge.waivers,
        evidence.as_deref(),
        &judge.areas,
        &judge.terms,
    );
    findings.extend(about);
    let counts = Summary {
        files: tally.files,
        settings: tally.settings,
        notice: (judging.entries().is_empty() && models.entries().is_empty())
            .then_some(report::NO_MODEL),
        ..Summary::default()
    };
    let report = settle(judging_config, judging, findings, counts);
    Ok(Outcome { report, sources })
}

/// Applies severity overrides and contacts, sorts, and builds the report.
fn settle(
    config: Option<&crate::config::Config>,
    models: &Models<'_>,
    mut findings: Vec<Finding>,
    counts: Summary,
) -> LintReport {
    overrides(config, &mut findings);
    // Whom to ask comes from the judging configuration: a change cannot
    // drop the contacts its own review would go to.
    if let Some(config) = config {
        contacts::assign(&mut findings, &config.contacts, models);
    }
    findings.sort_by(Finding::cmp_order);
    let mut summary = Summary::count(counts.files, counts.settings, &findings);
    summary.notice = counts.notice;
    let default = models.default_model();
    LintReport {
        vendor: default.map(|m| m.pack.id.clone()),
        deployment: default.map(|m| m.deployment.clone()),
        options: default.map(|m| m.options.clone()).unwrap_or_default(),
        findings,
        summary,
    }
}

/// Applies the configuration's `severity:` overrides (every command that
/// exits on a severity uses them: `lint` and `classify`).
pub fn overrides(config: Option<&crate::config::Config>, findings: &mut [Finding]) {
    let Some(config) = config else { return };
    for f in findings {
        if let Some(sev) = config.severity.get(&f.code) {
            f.severity = *sev;
        }
    }
}

/// Exit status of a report: 1 when an unallowed finding is at or above
/// `threshold` (`None`: nothing fails), else 0.
pub fn status(report: &LintReport, threshold: Option<Severity>) -> u8 {
    let Some(threshold) = threshold else {
        return 0;
    };
    u8::from(
        report
            .findings
            .iter()
            .any(|f| f.allowed.is_none() && f.severity >= threshold),
    )
}
