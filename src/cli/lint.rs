//! `demarcate lint`: the tree as it is (parse errors, allowances, settings in
//! vendor-owned areas as notes), or the changes since a base revision.

use std::collections::{HashMap, HashSet};

use super::{FailOn, LintArgs, Status};
use crate::allow::{self, Located};
use crate::findings::judge;
use crate::findings::{Finding, Severity};
use crate::models::Models;
use crate::report::{self, LintReport, Summary};
use crate::revision::{self, Mode};
use crate::scan::{self, FileScan};
use crate::session::Session;

/// Runs `lint`.
pub fn run(args: &LintArgs) -> anyhow::Result<Status> {
    let session = Session::open(&args.paths, &args.model)?;
    let models = session.models()?;
    let mode = match (&args.base, args.staged) {
        (Some(rev), _) => Some(Mode::Base(rev.clone())),
        (None, true) => Some(Mode::Staged),
        (None, false) => None,
    };
    if let Some(mode) = mode {
        return run_changes(&session, &models, &mode, args);
    }
    let result = scan::scan(&session.request, &models);
    let mut findings = result.problems();
    for file in &result.files {
        findings.extend(tree_findings(file, &models));
    }
    let sources = report::Disk(session.ws.root.clone());
    let run = Run {
        findings,
        files: &result.files,
        complete: true,
    };
    finish(&session, &models, run, args, &sources)
}

/// What a lint run found, before allowances.
struct Run<'s> {
    /// Findings so far.
    findings: Vec<Finding>,
    /// The files read in full (all files in tree mode, changed files otherwise).
    files: &'s [FileScan],
    /// Whether `files` is the whole repository.
    complete: bool,
}

/// Base or staged mode: findings for the settings that changed.
fn run_changes(
    session: &Session,
    models: &Models<'_>,
    mode: &Mode,
    args: &LintArgs,
) -> anyhow::Result<Status> {
    let changed = revision::scan_changes(session, models, mode)?;
    let mut findings = Vec::new();
    for file in &changed.files {
        findings.extend(file.new.problems.iter().cloned());
        findings.extend(change_findings(file, models));
    }
    let files: Vec<FileScan> = changed.files.iter().map(|f| f.new.clone()).collect();
    let texts: HashMap<String, String> = changed
        .files
        .iter()
        .filter_map(|f| Some((f.rel().to_string(), f.new_text.clone()?)))
        .collect();
    let sources = report::Texts(texts);
    let run = Run {
        findings,
        files: &files,
        complete: false,
    };
    finish(session, models, run, args, &sources)
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

/// Notes for settings in areas only the vendor is responsible for.
fn tree_findings(file: &FileScan, models: &Models<'_>) -> Vec<Finding> {
    let Some(model) = file.model.and_then(|m| models.model(m)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, (s, m)) in file.settings.iter().zip(&file.matches).enumerate() {
        let Some(m) = m else { continue };
        // Report leaves, and blocks only when empty (their leaves stand for them).
        let has_child = file
            .settings
            .get(i + 1)
            .is_some_and(|next| is_child(&s.path, &next.path));
        if s.is_block() && has_child {
            continue;
        }
        out.extend(judge::tree_finding(model, &model.pack.areas[m.area], s));
    }
    out
}

/// Whether `child` is a key path below `parent`.
fn is_child(parent: &str, child: &str) -> bool {
    child
        .strip_prefix(parent)
        .is_some_and(|rest| rest.starts_with(['.', '[', ':']))
}

/// Every setting with its area id, for deciding which allowances are used.
pub fn located<'s>(files: &'s [FileScan], models: &'s Models<'_>) -> Vec<Located<'s>> {
    let mut out = Vec::new();
    for file in files {
        let pack = file.model.and_then(|m| models.model(m)).map(|m| m.pack);
        for (s, m) in file.settings.iter().zip(&file.matches) {
            let area = pack.zip(*m).map(|(p, m)| p.areas[m.area].id.as_str());
            out.push(Located {
                file: &file.rel,
                line: s.span.start.line,
                path: &s.path,
                area,
            });
        }
    }
    out
}

/// Applies allowances and severities, renders and writes the report.
fn finish(
    session: &Session,
    models: &Models<'_>,
    run: Run<'_>,
    args: &LintArgs,
    sources: &dyn report::SourceText,
) -> anyhow::Result<Status> {
    let Run {
        mut findings,
        files,
        complete,
    } = run;
    let settings = located(files, models);
    let setting_count = files.iter().map(|f| f.settings.len()).sum();
    let mut allowances: Vec<allow::Allowance> = files
        .iter()
        .flat_map(|f| f.allowances.iter().cloned())
        .collect();
    if let Some(config) = &session.config {
        let (waivers, invalid) = allow::waivers(&config.file, &config.waivers);
        allowances.extend(waivers);
        findings.extend(invalid);
    }
    let areas: HashSet<&str> = models
        .entries()
        .iter()
        .flat_map(|e| e.model.pack.areas.iter().map(|a| a.id.as_str()))
        .collect();
    let about_allowances = allow::apply(
        &mut findings,
        &allowances,
        &settings,
        complete,
        &areas,
        &allow::today(),
    );
    findings.extend(about_allowances);
    if let Some(config) = &session.config {
        for f in &mut findings {
            if let Some(sev) = config.severity.get(&f.code) {
                f.severity = *sev;
            }
        }
    }
    findings.sort_by(|a, b| (&a.file, a.span.start, a.code).cmp(&(&b.file, b.span.start, b.code)));
    let summary = Summary::count(files.len(), setting_count, &findings);
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
