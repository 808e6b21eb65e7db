//! `demarcate lint`: the tree as it is (parse errors, allowances, settings in
//! vendor-owned areas as notes), or the changes since a base revision.
//! Files are judged one by one as they are read, so memory holds findings,
//! not every setting of the repository.

use std::collections::{HashMap, HashSet};

use super::{FailOn, LintArgs, Status};
use crate::allow::{self, Allowance};
use crate::classify::AreaRefs;
use crate::findings::judge;
use crate::findings::{Finding, Severity};
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
    today: String,
}

/// What is kept of one file once it is judged.
struct FileOutcome {
    findings: Vec<Finding>,
    evidence: Vec<bool>,
    settings: usize,
}

/// Runs `lint`.
pub fn run(args: &LintArgs) -> anyhow::Result<Status> {
    let session = Session::open(&args.paths, &args.model)?;
    let models = session.models()?;
    let (waivers, mut findings) = match &session.config {
        Some(config) => allow::waivers(&config.file, &config.waivers),
        None => (Vec::new(), Vec::new()),
    };
    let areas = models
        .entries()
        .iter()
        .flat_map(|e| e.model.pack.areas.iter().map(|a| a.id.as_str()))
        .collect();
    let judge = Judge {
        models: &models,
        areas,
        waivers,
        today: allow::today(),
    };
    let mode = match (&args.base, args.staged) {
        (Some(rev), _) => Some(Mode::Base(rev.clone())),
        (None, true) => Some(Mode::Staged),
        (None, false) => None,
    };
    let area_refs = AreaRefs::new(&models);
    let mut tally = Tally {
        evidence: vec![false; judge.waivers.len()],
        ..Tally::default()
    };
    let (sources, complete): (Box<dyn report::SourceText>, bool) = match &mode {
        None => {
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
        Some(mode) => {
            let changed = revision::scan_changes(&session, &models, mode)?;
            let mut texts = HashMap::new();
            for file in &changed.files {
                tally.keep(judge.file(&file.new, change_findings(file, &models)));
                if let Some(text) = &file.new_text {
                    texts.insert(file.rel().to_string(), text.clone());
                }
            }
            (Box::new(report::Texts(texts)), false)
        }
    };
    findings.append(&mut tally.findings);
    let evidence = complete.then_some(tally.evidence);
    let about = allow::apply_waivers(
        &mut findings,
        &judge.waivers,
        evidence.as_deref(),
        &judge.areas,
        &judge.today,
    );
    findings.extend(about);
    let counts = Summary {
        files: tally.files,
        settings: tally.settings,
        ..Summary::default()
    };
    finish(&session, &models, findings, counts, args, sources.as_ref())
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
            &self.today,
        );
        findings.extend(about);
        FileOutcome {
            evidence: allow::waiver_evidence(&self.waivers, &located),
            findings,
            settings: file.settings.len(),
        }
    }
}

/// Findings for the changes of one file, under the model that judges it.
fn change_findings(file: &revision::ChangedFile, models: &Models<'_>) -> Vec<Finding> {
    let Some(index) = file.new.model else {
        return Vec::new();
    };
    let Some(model) = models.model(index) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for change in &file.changes {
        let Some(setting) = change.setting() else {
            continue;
        };
        let Some(m) = models.classify(index, setting) else {
            continue;
        };
        let input = judge::ChangeInput {
            kind: change.kind,
            setting,
            before: change.before.as_ref().map(|s| &s.value),
            after: change.after.as_ref().map(|s| &s.value),
            at: change.span,
            file: file.rel(),
        };
        out.extend(judge::change_finding(
            model,
            &model.pack.areas[m.area],
            &input,
        ));
    }
    out
}

/// Applies severities, renders and writes the report.
fn finish(
    session: &Session,
    models: &Models<'_>,
    mut findings: Vec<Finding>,
    counts: Summary,
    args: &LintArgs,
    sources: &dyn report::SourceText,
) -> anyhow::Result<Status> {
    if let Some(config) = &session.config {
        for f in &mut findings {
            if let Some(sev) = config.severity.get(&f.code) {
                f.severity = *sev;
            }
        }
    }
    if let Some(config) = &session.config {
        crate::contacts::assign(&mut findings, &config.contacts, models);
    }
    findings.sort_by(|a, b| (&a.file, a.span.start, a.code).cmp(&(&b.file, b.span.start, b.code)));
    let summary = Summary::count(counts.files, counts.settings, &findings);
    let default = models.default_model();
    let report = LintReport {
        vendor: default.map(|m| m.pack.id.clone()),
        deployment: default.map(|m| m.deployment.clone()),
        options: default.map(|m| m.options.clone()).unwrap_or_default(),
        findings,
        summary,
    };
    let color = report::use_color(args.output.as_deref());
    let text = report::render_lint(args.format, &report, sources, color)?;
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
