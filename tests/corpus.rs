//! The reviewed corpora in `fixtures/corpus/<vendor>/`: repositories shaped
//! like public GitOps and Terraform repositories, one per vendor. Every
//! setting's area is kept as a snapshot (reviewed against the vendor's
//! table), and the vendor-owned classification is measured against the
//! labels in each corpus's `expected.txt`:
//!
//! - precision and recall of "only the vendor is responsible" on the leaf settings;
//! - false vendor-owned findings per 100 customer-side edits: every leaf the
//!   labels give to the customer side is edited in its file (its value
//!   changed), the edited file is read again, and the edited setting counts
//!   when it is classified vendor-owned.
//!
//! `cargo test --test corpus -- --nocapture` prints the table.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use demarcate::classify::Classifier;
use demarcate::discover::{self, WalkOptions};
use demarcate::limits::Limits;
use demarcate::packs::glob::TextGlob;
use demarcate::packs::{Pack, Role, builtin};
use demarcate::scan;
use demarcate::setting::Setting;

/// The labels of one corpus.
struct Labels {
    deployment: String,
    options: BTreeMap<String, String>,
    rules: Vec<(bool, TextGlob, TextGlob)>,
}

impl Labels {
    fn read(root: &Path) -> Labels {
        let text = std::fs::read_to_string(root.join("expected.txt")).unwrap();
        let mut labels = Labels {
            deployment: String::new(),
            options: BTreeMap::new(),
            rules: Vec::new(),
        };
        for line in text.lines().map(str::trim) {
            let mut words = line.split_whitespace();
            match words.next() {
                Some("deployment") => labels.deployment = words.next().unwrap().to_string(),
                Some("option") => {
                    let (k, v) = words.next().unwrap().split_once('=').unwrap();
                    labels.options.insert(k.to_string(), v.to_string());
                }
                Some(sign @ ("+" | "-")) => {
                    let file = TextGlob::new(words.next().unwrap(), false);
                    let setting = TextGlob::new(words.next().unwrap(), false);
                    labels.rules.push((sign == "+", file, setting));
                }
                _ => {}
            }
        }
        labels
    }

    /// Whether the labels give a setting to the vendor alone.
    fn vendor_owned(&self, file: &str, setting: &str) -> bool {
        self.rules
            .iter()
            .rev()
            .find(|(_, f, s)| f.matches(file) && s.matches(setting))
            .is_some_and(|(plus, _, _)| *plus)
    }
}

/// Reads one file of a corpus (as `lint` does) from the given text; `None`
/// when it does not read cleanly.
fn try_read(root: &Path, rel: &str, text: &str) -> Option<Vec<Setting>> {
    let candidate = discover::candidate_for(root, rel, &walk_options()).unwrap();
    let file = scan::parse_bytes(
        &Arc::from(rel),
        candidate.kind,
        &candidate.hint,
        text.as_bytes().to_vec(),
        &Limits::default(),
    );
    file.problems.is_empty().then_some(file.settings)
}

/// Reads one file of a corpus, which must read cleanly.
fn read(root: &Path, rel: &str, text: &str) -> Vec<Setting> {
    try_read(root, rel, text).unwrap_or_else(|| panic!("{rel} does not read cleanly"))
}

fn walk_options() -> WalkOptions {
    WalkOptions {
        max_file_bytes: 1024 * 1024,
        ..WalkOptions::default()
    }
}

fn corpus_root(vendor: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/corpus")
        .join(vendor)
}

fn pack(vendor: &str) -> Pack {
    builtin::packs()
        .unwrap()
        .into_iter()
        .find(|p| p.id == vendor)
        .unwrap()
}

/// (area id, responsible roles) of a setting, or `None`.
fn judge(
    pack: &Pack,
    c: &Classifier<'_>,
    labels: &Labels,
    s: &Setting,
) -> Option<(String, Vec<Role>)> {
    let m = c.classify(&s.view())?;
    let area = &pack.areas[m.area];
    let options = pack.options_with(&labels.options);
    let (raci, _) = area.resolve(&labels.deployment, &options);
    Some((area.id.clone(), raci.responsible))
}

fn is_vendor_only(judged: &Option<(String, Vec<Role>)>) -> bool {
    judged
        .as_ref()
        .is_some_and(|(_, r)| r.as_slice() == [Role::Vendor])
}

/// A different value for an edit, written so it stays valid where it stands.
fn edited(value: &str) -> String {
    if let Ok(n) = value.parse::<i64>() {
        return (n + 1).to_string();
    }
    match value {
        "true" => "false".to_string(),
        "false" => "true".to_string(),
        _ => format!("{value}x"),
    }
}

struct Measured {
    listing: String,
    leaves: usize,
    unclassified: usize,
    tp: usize,
    fp: usize,
    fn_: usize,
    edits: usize,
    false_vendor_edits: usize,
}

fn measure(vendor: &str) -> Measured {
    let root = corpus_root(vendor);
    let labels = Labels::read(&root);
    let pack = pack(vendor);
    let classifier = Classifier::new(&pack);
    let found = discover::walk(&root, std::slice::from_ref(&root), &walk_options());
    let mut m = Measured {
        listing: String::new(),
        leaves: 0,
        unclassified: 0,
        tp: 0,
        fp: 0,
        fn_: 0,
        edits: 0,
        false_vendor_edits: 0,
    };
    for file in &found.files {
        let rel = file.rel.as_ref();
        let text = std::fs::read_to_string(&file.abs).unwrap();
        let settings = read(&root, rel, &text);
        for s in &settings {
            let judged = judge(&pack, &classifier, &labels, s);
            let shown = judged.as_ref().map_or("-".to_string(), |(a, r)| {
                format!("{a} ({})", pack.owner_names(r))
            });
            let _ = writeln!(
                m.listing,
                "{rel}:{} {} → {shown}",
                s.span.start.line, s.path
            );
            if s.is_block() {
                continue;
            }
            m.leaves += 1;
            m.unclassified += usize::from(judged.is_none());
            let want = labels.vendor_owned(rel, &s.path);
            let got = is_vendor_only(&judged);
            match (want, got) {
                (true, true) => m.tp += 1,
                (false, true) => {
                    m.fp += 1;
                    eprintln!("false positive: {rel}:{} {}", s.span.start.line, s.path);
                }
                (true, false) => {
                    m.fn_ += 1;
                    eprintln!("false negative: {rel}:{} {}", s.span.start.line, s.path);
                }
                (false, false) => {}
            }
            if !want {
                // A customer-side edit: change this value where it is written
                // (literal values only: an edited expression would not parse).
                if matches!(s.value, demarcate::setting::Value::Expr(_)) {
                    continue;
                }
                let Some(value) = s.value.scalar_text() else {
                    continue;
                };
                let line_no = s.span.end.line as usize;
                let lines: Vec<&str> = text.split('\n').collect();
                let Some(line) = lines.get(line_no - 1) else {
                    continue;
                };
                let Some(at) = line.rfind(value).filter(|_| !value.is_empty()) else {
                    continue;
                };
                let mut new_line = line.to_string();
                new_line.replace_range(at..at + value.len(), &edited(value));
                let mut new_lines: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
                new_lines[line_no - 1] = new_line;
                let new_text = new_lines.join("\n");
                let Some(after) = try_read(&root, rel, &new_text) else {
                    continue;
                };
                let Some(changed) = after
                    .iter()
                    .find(|a| a.path == s.path && a.span.start.line == s.span.start.line)
                else {
                    continue;
                };
                m.edits += 1;
                if is_vendor_only(&judge(&pack, &classifier, &labels, changed)) {
                    m.false_vendor_edits += 1;
                    eprintln!(
                        "false vendor-owned edit: {rel}:{} {}",
                        s.span.start.line, s.path
                    );
                }
            }
        }
    }
    m
}

fn check(vendor: &str, snapshot: &str) {
    let m = measure(vendor);
    let precision = m.tp as f64 / (m.tp + m.fp).max(1) as f64;
    let recall = m.tp as f64 / (m.tp + m.fn_).max(1) as f64;
    let per100 = 100.0 * m.false_vendor_edits as f64 / m.edits.max(1) as f64;
    eprintln!(
        "| {vendor} | {} | {:.1}% | {} | {:.3} | {:.3} | {} | {:.2} |",
        m.leaves,
        100.0 * m.unclassified as f64 / m.leaves.max(1) as f64,
        m.tp + m.fn_,
        precision,
        recall,
        m.edits,
        per100
    );
    insta::assert_snapshot!(snapshot, m.listing);
    assert!(
        m.leaves >= 150,
        "{vendor}: a corpus of a few hundred settings"
    );
    assert!(m.tp > 0, "{vendor}: the corpus has vendor-owned settings");
    assert!(m.edits >= 100, "{vendor}: enough customer-side edits");
    assert!(precision >= 0.95, "{vendor}: precision {precision:.3}");
    assert!(recall >= 0.85, "{vendor}: recall {recall:.3}");
    assert!(
        per100 <= 1.0,
        "{vendor}: {per100:.2} false vendor-owned per 100 edits"
    );
}

#[test]
fn glasswall_halo_corpus() {
    check("glasswall-halo", "corpus_glasswall_halo");
}

#[test]
fn stackit_edge_cloud_corpus() {
    check("stackit-edge-cloud", "corpus_stackit_edge_cloud");
}

#[test]
fn nexgen_cloud_corpus() {
    check("nexgen-cloud", "corpus_nexgen_cloud");
}

#[test]
fn wso2_choreo_corpus() {
    check("wso2-choreo", "corpus_wso2_choreo");
}
