//! Running a pack's own tests (`demarcate packs test`): every example of its
//! matcher groups is read as the file it names, classified with the pack,
//! and each expectation checked (area, and responsible parties per
//! deployment). Nothing is printed or escaped here: the results carry the
//! pack's text as written, and `crate::report` escapes it for its output.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::classify::Classifier;
use crate::formats::FileHint;
use crate::formats::chart::ChartInfo;
use crate::limits::Limits;
use crate::packs::examples::Example;
use crate::packs::{Pack, Role};

/// One expectation that did not hold, or a problem of the example itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Line in the pack file (of the expectation, or of the example).
    pub line: u32,
    /// What went wrong.
    pub message: String,
}

/// The result of one example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExampleResult {
    /// Pack id.
    pub pack: String,
    /// Where the pack was loaded from.
    pub origin: String,
    /// Matcher group.
    pub group: String,
    /// The example's name.
    pub name: String,
    /// Line of the example in the pack file.
    pub line: u32,
    /// Expectations checked.
    pub checked: usize,
    /// Those that failed (empty: the example passes).
    pub failures: Vec<Failure>,
}

impl ExampleResult {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs every example of a pack.
pub fn run(pack: &Pack) -> Vec<ExampleResult> {
    let classifier = Classifier::new(pack);
    pack.examples
        .iter()
        .map(|ex| run_one(pack, &classifier, ex))
        .collect()
}

fn hint_for(ex: &Example) -> FileHint {
    let name = ex.file.rsplit('/').next().unwrap_or(&ex.file);
    let info = ex.chart_yaml.as_deref().and_then(ChartInfo::parse);
    let values =
        crate::discover::is_values_name(name) || ex.chart.is_some() || ex.chart_yaml.is_some();
    FileHint {
        values,
        chart: ex
            .chart
            .clone()
            .or_else(|| info.as_ref().map(|c| c.name.clone())),
        subcharts: info.map(|c| c.dependencies).unwrap_or_default(),
    }
}

fn roles(list: &[Role]) -> String {
    if list.is_empty() {
        return "nobody".to_string();
    }
    list.iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn run_one(pack: &Pack, classifier: &Classifier<'_>, ex: &Example) -> ExampleResult {
    let mut result = ExampleResult {
        pack: pack.id.clone(),
        origin: pack.origin.clone(),
        group: ex.group.clone(),
        name: ex.name.clone(),
        line: ex.line,
        checked: 0,
        failures: Vec::new(),
    };
    let name = ex.file.rsplit('/').next().unwrap_or(&ex.file);
    let Some(kind) = crate::discover::kind_of(name) else {
        result.failures.push(Failure {
            line: ex.line,
            message: format!(
                "`{}` is not a file demarcate reads (.yaml, .yml, .tf, .tfvars)",
                ex.file
            ),
        });
        return result;
    };
    let rel: Arc<str> = Arc::from(ex.file.as_str());
    let scan = crate::scan::parse_bytes(
        &rel,
        kind,
        &hint_for(ex),
        ex.content.as_bytes().to_vec(),
        &Limits::default(),
    );
    for p in &scan.problems {
        result.failures.push(Failure {
            line: ex.line,
            message: format!(
                "the example does not read cleanly: {}:{}: {}",
                p.span.start.line, p.span.start.col, p.message
            ),
        });
    }
    let options = pack.options_with(&ex.options);
    for x in &ex.expect {
        result.checked += 1;
        let found: Vec<_> = scan
            .settings
            .iter()
            .filter(|s| s.path == x.setting)
            .collect();
        if found.is_empty() {
            let near: Vec<String> = scan
                .settings
                .iter()
                .map(|s| s.path.clone())
                .filter(|p| {
                    let tail = x.setting.rsplit(['.', ':']).next().unwrap_or(&x.setting);
                    p.ends_with(tail)
                })
                .take(3)
                .collect();
            result.failures.push(Failure {
                line: x.line,
                message: format!(
                    "no setting `{}` in the example{}",
                    x.setting,
                    if near.is_empty() {
                        String::new()
                    } else {
                        format!(" (similar: {})", near.join(", "))
                    }
                ),
            });
            continue;
        }
        for s in found {
            let m = classifier.classify(&s.view());
            let got = m.map(|m| pack.areas[m.area].id.as_str());
            if got != x.area.as_deref() {
                let rule = m.map_or(String::new(), |m| {
                    format!(" by the rule at line {}", pack.rules[m.rule].line)
                });
                result.failures.push(Failure {
                    line: x.line,
                    message: format!(
                        "`{}`: expected area {}, got {}{rule}",
                        x.setting,
                        x.area.as_deref().unwrap_or("none"),
                        got.unwrap_or("none"),
                    ),
                });
                continue;
            }
            let Some(area) = m.map(|m| &pack.areas[m.area]) else {
                continue;
            };
            let mut wrong: BTreeMap<&str, String> = BTreeMap::new();
            for (dep, want) in &x.responsible {
                let (raci, _) = area.resolve(dep, &options);
                let mut have = raci.responsible.clone();
                let mut want = want.clone();
                have.sort();
                want.sort();
                if have != want {
                    wrong.insert(
                        dep,
                        format!("expected {}, got {}", roles(&want), roles(&have)),
                    );
                }
            }
            for (dep, text) in wrong {
                result.failures.push(Failure {
                    line: x.line,
                    message: format!(
                        "`{}` (area {}) under {dep}: responsible {text}",
                        x.setting, area.id
                    ),
                });
            }
        }
    }
    result
}
