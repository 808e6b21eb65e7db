//! The responsibility inventory of a whole repository (`demarcate report`):
//! settings counted per party, per area and per file, the allowances and
//! waivers with their status, and the files with the most unclassified
//! settings. Built from the streamed scan, so memory holds counts per file,
//! not settings.

mod allowances;
mod areas;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

pub use allowances::{AllowanceRow, Status};
pub use areas::{AreaRow, Duty};

use crate::allow;
use crate::classify::Match;
use crate::findings::Finding;
use crate::models::AreaRefs;
use crate::models::Models;
use crate::scan::{self, FileScan};
use crate::session::Session;

/// Files listed under "top unclassified".
pub const TOP_UNCLASSIFIED: usize = 20;
/// Example key paths kept per file with unclassified settings.
const EXAMPLES: usize = 3;

/// Settings of one party (the `owner` of areas, as `classify` reports it).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Party {
    /// Display name(s) of the responsible parties, e.g. `STACKIT` or `CSP and Customer`.
    pub owner: String,
    /// Settings in areas this party is responsible for.
    pub settings: usize,
    /// Files holding such settings.
    pub files: usize,
}

/// Settings of one file by owner.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FileRow {
    /// Repository-relative path.
    pub file: String,
    /// Settings per owner.
    pub owners: BTreeMap<String, usize>,
    /// Settings in no area.
    pub unclassified: usize,
}

/// A file with unclassified settings, and some of their key paths.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Unclassified {
    /// Repository-relative path.
    pub file: String,
    /// Settings in no area.
    pub settings: usize,
    /// The first few of their key paths.
    pub examples: Vec<String>,
}

/// The inventory of a repository.
#[derive(Debug, Clone, Serialize)]
pub struct Inventory {
    /// Vendor id of the default model.
    pub vendor: Option<String>,
    /// Deployment id of the default model.
    pub deployment: Option<String>,
    /// Options of the default model.
    pub options: BTreeMap<String, String>,
    /// Settings read.
    pub settings: usize,
    /// Settings in no area.
    pub unclassified: usize,
    /// Parties, most settings first.
    pub parties: Vec<Party>,
    /// Every area of every model in use, in model and pack order.
    pub areas: Vec<AreaRow>,
    /// Files with settings, in path order.
    pub files: Vec<FileRow>,
    /// Inline allowances and waivers with their status, in file and line order.
    pub allowances: Vec<AllowanceRow>,
    /// Files with the most unclassified settings.
    pub top_unclassified: Vec<Unclassified>,
    /// Files read.
    pub files_read: usize,
    /// Files whose settings could not all be read (parse errors, skipped files).
    pub unread: usize,
    /// Allowances count as expiring this many days before their `until`.
    pub expiring_days: u32,
}

/// What is kept of one file.
struct FileSummary {
    rel: Arc<str>,
    settings: usize,
    unclassified: usize,
    examples: Vec<String>,
    /// (model, area) → settings.
    by_area: BTreeMap<(usize, usize), usize>,
    allowances: Vec<AllowanceRow>,
    evidence: Vec<bool>,
    /// Findings a waiver names and reaches (all waivers need to settle).
    for_waivers: Vec<Finding>,
    unread: bool,
}

/// Scans the repository of a session and builds its inventory.
pub fn build(session: &Session, models: &Models<'_>) -> Inventory {
    let refs = AreaRefs::new(models);
    let terms = allow::Terms::new(
        session
            .config
            .as_ref()
            .map(|c| c.allowances.clone())
            .unwrap_or_default(),
    );
    let expiring_days = session
        .config
        .as_ref()
        .and_then(|c| c.expiring_days)
        .unwrap_or(crate::config::EXPIRING_DAYS);
    let (waivers, waiver_problems) = match &session.config {
        Some(c) => allow::waivers(&c.file, &c.waivers),
        None => (Vec::new(), Vec::new()),
    };
    let area_ids: HashSet<&str> = models
        .entries()
        .iter()
        .flat_map(|e| e.model.pack.areas.iter().map(|a| a.id.as_str()))
        .collect();
    let ctx = allowances::Context {
        models,
        refs: &refs,
        areas: &area_ids,
        waivers: &waivers,
        terms: &terms,
        expiring_days,
    };
    let mut acc = Accumulator::new(&refs, waivers.len());
    let skipped = scan::scan_streamed(
        &session.request,
        models,
        |file| summarize(&file, &ctx),
        |s| acc.add(s),
    );
    acc.unread += skipped.len();
    if let Some(config) = &session.config {
        let rows = allowances::waiver_rows(
            config,
            &ctx,
            &waiver_problems,
            &mut acc.for_waivers,
            &acc.evidence,
        );
        acc.allowances.extend(rows);
    }
    acc.finish(models, expiring_days)
}

fn summarize(file: &FileScan, ctx: &allowances::Context<'_, '_>) -> FileSummary {
    let mut by_area = BTreeMap::new();
    let mut unclassified = 0;
    let mut examples = Vec::new();
    for (s, m) in file.settings.iter().zip(&file.matches) {
        match (file.model, m) {
            (Some(model), Some(m)) => *by_area.entry((model, m.area)).or_insert(0) += 1,
            _ => {
                unclassified += 1;
                if examples.len() < EXAMPLES {
                    examples.push(s.path.clone());
                }
            }
        }
    }
    let settled = allowances::settle_file(file, ctx);
    FileSummary {
        rel: Arc::clone(&file.rel),
        settings: file.settings.len(),
        unclassified,
        examples,
        by_area,
        allowances: settled.rows,
        evidence: settled.evidence,
        for_waivers: settled.for_waivers,
        unread: settled.unread,
    }
}

/// Totals built file by file.
struct Accumulator<'r> {
    refs: &'r AreaRefs,
    files: Vec<FileRow>,
    /// Owner → files with settings of that owner.
    party_files: BTreeMap<String, usize>,
    /// (model, area) → (settings, files).
    areas: BTreeMap<(usize, usize), (usize, usize)>,
    unclassified: Vec<Unclassified>,
    settings: usize,
    unclassified_total: usize,
    files_read: usize,
    allowances: Vec<AllowanceRow>,
    evidence: Vec<bool>,
    for_waivers: Vec<Finding>,
    unread: usize,
}

impl<'r> Accumulator<'r> {
    fn new(refs: &'r AreaRefs, waivers: usize) -> Accumulator<'r> {
        Accumulator {
            refs,
            files: Vec::new(),
            party_files: BTreeMap::new(),
            areas: BTreeMap::new(),
            unclassified: Vec::new(),
            settings: 0,
            unclassified_total: 0,
            files_read: 0,
            allowances: Vec::new(),
            evidence: vec![false; waivers],
            for_waivers: Vec::new(),
            unread: 0,
        }
    }

    fn add(&mut self, s: FileSummary) {
        self.files_read += 1;
        self.settings += s.settings;
        self.unclassified_total += s.unclassified;
        for (key, n) in &s.by_area {
            let e = self.areas.entry(*key).or_insert((0, 0));
            e.0 += n;
            e.1 += 1;
        }
        if s.settings > 0 {
            let mut owners: BTreeMap<String, usize> = BTreeMap::new();
            for ((m, a), n) in &s.by_area {
                let owner = self
                    .refs
                    .get(Some(*m), Some(Match { area: *a, rule: 0 }))
                    .map_or_else(String::new, |r| r.owner.clone());
                *owners.entry(owner).or_insert(0) += n;
            }
            for owner in owners.keys() {
                *self.party_files.entry(owner.clone()).or_insert(0) += 1;
            }
            self.files.push(FileRow {
                file: s.rel.to_string(),
                owners,
                unclassified: s.unclassified,
            });
        }
        if s.unclassified > 0 {
            self.unclassified.push(Unclassified {
                file: s.rel.to_string(),
                settings: s.unclassified,
                examples: s.examples,
            });
            // Keep the top list bounded while streaming.
            if self.unclassified.len() > 4 * TOP_UNCLASSIFIED {
                top(&mut self.unclassified);
            }
        }
        self.allowances.extend(s.allowances);
        for (e, x) in self.evidence.iter_mut().zip(s.evidence) {
            *e |= x;
        }
        self.for_waivers.extend(s.for_waivers);
        self.unread += usize::from(s.unread);
    }

    fn finish(mut self, models: &Models<'_>, expiring_days: u32) -> Inventory {
        let areas = areas::rows(models, self.refs, &self.areas);
        let mut parties: BTreeMap<String, usize> = BTreeMap::new();
        for a in &areas {
            *parties.entry(a.owner.clone()).or_insert(0) += a.settings;
        }
        let mut parties: Vec<Party> = parties
            .into_iter()
            .map(|(owner, settings)| Party {
                files: self.party_files.get(&owner).copied().unwrap_or(0),
                owner,
                settings,
            })
            .collect();
        parties.sort_by(|a, b| b.settings.cmp(&a.settings).then(a.owner.cmp(&b.owner)));
        top(&mut self.unclassified);
        self.allowances
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        let default = models.default_model();
        Inventory {
            vendor: default.map(|m| m.pack.id.clone()),
            deployment: default.map(|m| m.deployment.clone()),
            options: default.map(|m| m.options.clone()).unwrap_or_default(),
            settings: self.settings,
            unclassified: self.unclassified_total,
            parties,
            areas,
            files: self.files,
            allowances: self.allowances,
            top_unclassified: self.unclassified,
            files_read: self.files_read,
            unread: self.unread,
            expiring_days,
        }
    }
}

/// Keeps the files with the most unclassified settings (ties in path order).
fn top(list: &mut Vec<Unclassified>) {
    list.sort_by(|a, b| b.settings.cmp(&a.settings).then(a.file.cmp(&b.file)));
    list.truncate(TOP_UNCLASSIFIED);
}
