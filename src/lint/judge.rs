//! Judging one file at a time: its problems and findings, its inline
//! allowances settled, and the evidence the configuration's waivers need;
//! and the tally the run keeps of the files judged so far.

use std::collections::HashSet;

use crate::allow::{self, Allowance};
use crate::findings::Finding;
use crate::models::Models;
use crate::scan::FileScan;

/// What every file is judged with.
pub(super) struct Judge<'m, 'p> {
    pub(super) models: &'m Models<'p>,
    pub(super) areas: HashSet<&'m str>,
    pub(super) waivers: Vec<Allowance>,
    pub(super) terms: allow::Terms,
}

/// What is kept of one file once it is judged.
pub(super) struct FileOutcome {
    findings: Vec<Finding>,
    evidence: Vec<bool>,
    settings: usize,
}

/// What the run keeps of the files judged so far.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) findings: Vec<Finding>,
    pub(super) evidence: Vec<bool>,
    pub(super) files: usize,
    pub(super) settings: usize,
}

impl Tally {
    pub(super) fn keep(&mut self, out: FileOutcome) {
        self.findings.extend(out.findings);
        for (e, x) in self.evidence.iter_mut().zip(out.evidence) {
            *e |= x;
        }
        self.files += 1;
        self.settings += out.settings;
    }
}

impl Judge<'_, '_> {
    /// Whether settling a file with these inline allowances needs its
    /// settings (they are needed only to settle allowances and waivers).
    pub(super) fn wants_settings(&self, allowances: &[Allowance]) -> bool {
        !allowances.is_empty() || !self.waivers.is_empty()
    }

    /// Settles one file read in full: its problems and `found`, its inline
    /// allowances, and waiver evidence.
    pub(super) fn file(&self, file: &FileScan, found: Vec<Finding>) -> FileOutcome {
        let mut findings = file.problems.clone();
        findings.extend(found);
        let located = if self.wants_settings(&file.allowances) {
            file.located(self.models)
        } else {
            Vec::new()
        };
        self.settle(findings, &file.allowances, &located, file.settings.len())
    }

    /// Settles one file: its `findings` (problems included), its inline
    /// `allowances` over its `located` settings (empty unless
    /// [`Judge::wants_settings`]), and the waivers' evidence.
    pub(super) fn settle(
        &self,
        mut findings: Vec<Finding>,
        allowances: &[Allowance],
        located: &[allow::Located<'_>],
        settings: usize,
    ) -> FileOutcome {
        let about =
            allow::apply_inline(&mut findings, allowances, located, &self.areas, &self.terms);
        findings.extend(about);
        FileOutcome {
            evidence: allow::waiver_evidence(&self.waivers, located),
            findings,
            settings,
        }
    }
}
