//! `demarcate lint`: the tree as it is (parse errors, allowances, settings in
//! vendor-owned areas as notes), or the changes since a base revision.
//! Files are judged one by one as they are read, so memory holds findings,
//! not every setting of the repository.

use std::collections::{HashMap, HashSet};

use super::{FailOn, LintArgs, Status};
use crate::allow::{self, Allowance};
use crate::baseline;
use crate::findings::{Finding, Severity};
use crate::models::AreaRefs;
use crate::models::Models;
use crate::report::{self, LintReport, Summary};
use crate::revision::{self, Mode};
use crate::scan::{self, FileScan};
use crate::session::Session;

/// What every file is judged with.
struct Judge<'m, 'p> {
    models: &'m Models<'p>,
    areas: HashSet<&'m str>,
    waivers: Vec<Allowance>,
    terms: allow::Terms,
}

/// What is kept of one file once it is judged.
struct FileOutcome {
    findings: Vec<Finding>,
    evidence: Vec<bool>,
    settings: usize,
}

/// What `lint --base`/`--staged` says without a model.
pub const NO_MODEL_IN_DIFF: &str = "no responsibility model is configured, so no change can be judged; \
     run `demarcate init` to write a .demarcate.yaml, or pass --vendor and --deployment";

/// Runs `lint`.
pub fn run(args: &LintArgs) -> anyhow::Result<Status> {
    let session = Session::open(&args.paths, &args.model.request())?;
    let mode = match (&args.base, &args.head, args.staged) {
        (Some(rev), Some(head), _) => Some(Mode::Commits(rev.clone(), head.clone())),
        (Some(rev), None, _) => Some(Mode::Base(rev.clone())),
        (None, _, true) => Some(Mode::Staged),
        (None, _, false) => None,
    };
    // In diff modes the base revision's configuration and packs judge.
    let revs = mode
        .as_ref()
        .map(|m| revision::open(&session, m))
        .transpose()?;
    let baseline = match &revs {
        Some(r) => Some(baseline::load(&session, &r.repo, r.base.as_deref())?),
        None => None,
    };
    // With --head the new end's configuration is the head commit's.
    let head_end = match &revs {
        Some(r) => baseline::at_head(&session, &r.repo, &r.side)?,
        None => None,
    };
    let models = match &head_end {
        Some(h) => h.models(&session)?,
        None => session.models()?,
    };
    let now_config = head_end
        .as_ref()
        .map_or(session.config.as_ref(), baseline::Baseline::config);
    let base_models = match &baseline {
        Some(b) if b.snapshot.is_some() => Some(b.models(&session)?),
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
            let request = match &head_end {
                _ if baseline.snapshot.is_some() => &baseline.request,
                Some(h) => &h.request,
                None => &session.request,
            };
            let judges = revision::Judges {
                base: judging,
                new: &models,
                limits: &request.limits,
            };
            let changed = revision::scan_changes(&session, revs, request, &judges)?;
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
                None => baseline::current(&session),
            };
            tally.findings.extend(baseline::compare::config_change(
                baseline.snapshot.as_ref(),
                now.as_ref(),
                &builtin,
            ));
            (Box::new(report::Texts(texts)), false)
        }
        _ => {
            let skipped = scan::scan_streamed(
                &session.request,
                &models,
                |f| {
                    let notes = crate::findings::tree::notes(
                        &f.settings,
                        &f.matches,
                        f.model,
                        &models,
                        &area_refs,
                    );
                    judge.file(&f, notes)
                },
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
    // Without a model nothing is judged: said on standard error too.
    if let Some(notice) = counts.notice {
        report::warn(notice);
    }
    finish(
        judging_config,
        judging,
        findings,
        counts,
        args,
        sources.as_ref(),
    )
}

/// What the run keeps of the files judged so far.
#[derive(Default)]
struct Tally {
    findings: Vec<Finding>,
    evidence: Vec<bool>,
    files: usize,
    settings: usize,
}

impl Tally {
    fn keep(&mut self, out: FileOutcome) {
        self.findings.extend(out.findings);
        for (e, x) in self.evidence.iter_mut().zip(out.evidence) {
            *e |= x;
        }
        self.files += 1;
        self.settings += out.settings;
    }
}

impl Judge<'_, '_> {
    /// Settles one file: its problems and `found`, its inline allowances, and waiver evidence.
    fn file(&self, file: &FileScan, found: Vec<Finding>) -> FileOutcome {
        let mut findings = file.problems.clone();
        findings.extend(found);
        // Settings are only needed to settle allowances: skip them when there are none.
        let located = if file.allowances.is_empty() && self.waivers.is_empty() {
            Vec::new()
        } else {
            file.located(self.models)
        };
        let about = allow::apply_inline(
            &mut findings,
            &file.allowances,
            &located,
            &self.areas,
            &self.terms,
        );
        findings.extend(about);
        FileOutcome {
            evidence: allow::waiver_evidence(&self.waivers, &located),
            findings,
            settings: file.settings.len(),
        }
    }
}

/// Applies severities, renders and writes the report.
fn finish(
    config: Option<&crate::config::Config>,
    models: &Models<'_>,
    mut findings: Vec<Finding>,
    counts: Summary,
    args: &LintArgs,
    sources: &dyn report::SourceText,
) -> anyhow::Result<Status> {
    if let Some(config) = config {
        for f in &mut findings {
            if let Some(sev) = config.severity.get(&f.code) {
                f.severity = *sev;
            }
        }
    }
    // Whom to ask comes from the judging configuration: a change cannot
    // drop the contacts its own review would go to.
    if let Some(config) = config {
        crate::contacts::assign(&mut findings, &config.contacts, models);
    }
    findings.sort_by(Finding::cmp_order);
    let mut summary = Summary::count(counts.files, counts.settings, &findings);
    summary.notice = counts.notice;
    let default = models.default_model();
    let report = LintReport {
        vendor: default.map(|m| m.pack.id.clone()),
        deployment: default.map(|m| m.deployment.clone()),
        options: default.map(|m| m.options.clone()).unwrap_or_default(),
        findings,
        summary,
    };
    let color = report::use_color(args.output.as_deref());
    let text = report::render_lint(args.format.into(), &report, sources, color)?;
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
