//! Property test over the built-in packs: for every rule of every pack and
//! every deployment and option value whose code is not null, a minimal file
//! matching the rule is generated from the rule's own data, then changed:
//! (a) its value changed, (b) the setting removed, (c) made to stop
//! matching (value out of the pattern, chart or carrier renamed, the
//! repository or image the rule asks for changed, file moved out of the
//! scope). Each must give a finding at least as strict as the
//! code the model calls for. Controls (a reformat, a reorder, a pure
//! rename, a change to another setting of the same file) must give nothing
//! about the rule's setting. Runs in process through the change-judging
//! code with two texts; `tests/no_silent_pass.rs` covers the same through git.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use demarcate::config::{self, ModelChoice};
use demarcate::findings::ends::rank;
use demarcate::findings::judge::change_code;
use demarcate::findings::{Code, Finding};
use demarcate::limits::Limits;
use demarcate::models::Models;
use demarcate::packs::Pack;
use demarcate::revision::pair::{self, End, Judges};
use demarcate::scan;
use support::rulegen::{self, Generated, Seg, Style};

/// Every combination of option values of a pack.
fn option_sets(pack: &Pack) -> Vec<BTreeMap<String, String>> {
    let mut sets = vec![BTreeMap::new()];
    for o in &pack.options {
        let mut next = Vec::new();
        for set in &sets {
            for v in &o.values {
                let mut s = set.clone();
                s.insert(o.id.clone(), v.clone());
                next.push(s);
            }
        }
        sets = next;
    }
    sets
}

struct Run<'m, 'p> {
    models: &'m Models<'p>,
    scoped: &'m Models<'p>,
    limits: Limits,
}

impl Run<'_, '_> {
    fn judge(
        &self,
        models: &Models<'_>,
        base: (&str, &Generated, Style),
        new: (&str, &Generated, Style),
    ) -> Vec<Finding> {
        let end = |(rel, g, style): (&str, &Generated, Style)| End {
            rel: Arc::from(rel),
            hint: g.hint(),
            bytes: Some(g.text(style).into_bytes()),
        };
        let judges = Judges {
            base: models,
            new: models,
            limits: &self.limits,
        };
        let judged = pair::judge(base.1.kind, end(base), end(new), &judges);
        let mut all = judged.findings;
        all.extend(judged.new.problems);
        all
    }
}

/// The setting the rule claims in a generated file, if the rule (and not a
/// more specific one) classifies it.
fn claimed(g: &Generated, rel: &str, models: &Models<'_>, rule: usize) -> Option<String> {
    let file = scan::parse_bytes(
        &Arc::from(rel),
        g.kind,
        &g.hint(),
        g.text(Style::plain()).into_bytes(),
        &Limits::default(),
    );
    let index = models.for_file(rel)?;
    let mine: Vec<_> = file
        .settings
        .iter()
        .filter(|s| {
            models
                .classify(index, &s.view())
                .is_some_and(|m| m.rule == rule)
        })
        .collect();
    // The generated leaf, else any leaf the rule claims, else a block.
    mine.iter()
        .find(|s| s.value.scalar_text() == Some(g.value.as_str()))
        .or_else(|| mine.iter().find(|s| !s.is_block()))
        .or_else(|| mine.first())
        .map(|s| s.path.clone())
}

/// The area of the setting at `path` in a generated file.
fn area_of(g: &Generated, rel: &str, models: &Models<'_>, path: &str) -> Option<usize> {
    let file = scan::parse_bytes(
        &Arc::from(rel),
        g.kind,
        &g.hint(),
        g.text(Style::plain()).into_bytes(),
        &Limits::default(),
    );
    let index = models.for_file(rel)?;
    let s = file.settings.iter().find(|s| s.path == path)?;
    models.classify(index, &s.view()).map(|m| m.area)
}

/// Whether `found` holds a finding about `setting` at least as strict as `expected`.
fn caught(found: &[Finding], setting: &str, expected: Code) -> bool {
    found.iter().any(|f| {
        f.setting.as_deref() == Some(setting) && rank(Some(f.code)) <= rank(Some(expected))
    })
}

/// Whether `found` is silent: about everything (`all`), or about `setting`.
fn quiet(found: &[Finding], setting: &str, all: bool) -> bool {
    if all {
        found.is_empty()
    } else {
        !found.iter().any(|f| f.setting.as_deref() == Some(setting))
    }
}

#[derive(Default)]
struct Tally {
    pairs: usize,
    cases: usize,
    stayed: usize,
    controls: usize,
    silent: Vec<String>,
    noisy: Vec<String>,
    not_generated: Vec<String>,
}

#[test]
fn every_rule_change_is_caught_and_controls_stay_quiet() {
    let packs = demarcate::packs::builtin::packs().unwrap();
    let mut t = Tally::default();
    for pack in &packs {
        for deployment in &pack.deployments {
            for options in option_sets(pack) {
                let choice = ModelChoice {
                    vendor: Some(pack.id.clone()),
                    deployment: Some(deployment.id.clone()),
                    options: options.clone(),
                    ..ModelChoice::default()
                };
                let models = Models::resolve(&packs, None, &choice).unwrap();
                let options_yaml: String = options
                    .iter()
                    .map(|(k, v)| format!("      {k}: \"{v}\"\n"))
                    .collect();
                let scope_text = format!(
                    "scopes:\n  - paths: [\"in/**\"]\n    vendor: {}\n    deployment: {}\n    options:\n{}",
                    pack.id,
                    deployment.id,
                    if options_yaml.is_empty() {
                        "      {}\n".to_string()
                    } else {
                        options_yaml
                    }
                );
                let config = config::load_text(
                    &scope_text,
                    std::path::Path::new("/r/.demarcate.yaml"),
                    ".demarcate.yaml",
                    "",
                )
                .unwrap_or_else(|p| panic!("{p:?}\n{scope_text}"));
                let scoped =
                    Models::resolve(&packs, Some(&config), &ModelChoice::default()).unwrap();
                let run = Run {
                    models: &models,
                    scoped: &scoped,
                    limits: Limits::default(),
                };
                for (i, rule) in pack.rules.iter().enumerate() {
                    let area = &pack.areas[rule.area];
                    let (raci, _) = area.resolve(&deployment.id, &options);
                    let Some(expected) = change_code(&raci, area.support) else {
                        continue;
                    };
                    let label = format!(
                        "{} {} {:?} rule line {} ({})",
                        pack.id,
                        deployment.id,
                        options,
                        rule.line,
                        rule.path.as_str()
                    );
                    check_rule(&run, rule, i, expected, &label, &mut t);
                }
            }
        }
    }
    println!(
        "pack mutations: {} cases (rule × deployment/options × mutation), {} of them left the setting in its area through another rule, {} controls, {} silent passes, {} noisy controls, {} rule×deployment pairs not generated",
        t.cases,
        t.stayed,
        t.controls,
        t.silent.len(),
        t.noisy.len(),
        t.not_generated.len()
    );
    println!("rule × deployment/options pairs with a code: {}", t.pairs);
    // `PACK_MUTATIONS_ALL=1` lists every pair not generated.
    let shown = if std::env::var_os("PACK_MUTATIONS_ALL").is_some() {
        usize::MAX
    } else {
        30
    };
    for s in t.not_generated.iter().take(shown) {
        println!("not generated: {s}");
    }
    for s in t.noisy.iter().take(15) {
        println!("noisy: {s}");
    }
    assert!(
        t.silent.is_empty(),
        "silent passes:\n{}",
        t.silent.join("\n")
    );
    assert!(
        t.noisy.is_empty(),
        "noisy controls:\n{}",
        t.noisy.join("\n")
    );
    assert!(t.cases > 1000, "too few cases: {}", t.cases);
    // A rule whose minimal file another, more specific rule claims cannot be
    // exercised alone; they are listed above and must stay rare.
    assert!(
        t.not_generated.len() * 100 < t.pairs,
        "{} of {} rule × deployment pairs not generated",
        t.not_generated.len(),
        t.pairs
    );
}

fn check_rule(
    run: &Run<'_, '_>,
    rule: &demarcate::packs::rule::Rule,
    i: usize,
    expected: Code,
    label: &str,
    t: &mut Tally,
) {
    t.pairs += 1;
    let Some(g) = rulegen::generate(rule) else {
        t.not_generated.push(label.to_string());
        return;
    };
    let rel = format!("deploy/{}", g.name);
    let Some(setting) = claimed(&g, &rel, run.models, i) else {
        t.not_generated.push(format!(
            "{label}: {}",
            g.text(Style::plain()).replace('\n', "⏎")
        ));
        return;
    };
    let plain = Style::plain();
    // A mutation meant to take the setting out of the area may leave it in
    // the area through another rule: then nothing left the area, and no
    // finding is due (counted apart).
    let stays = |after: &Generated, rel: &str, models: &Models<'_>| {
        area_of(after, rel, models, &setting) == Some(rule.area)
    };
    let mut stayed = 0;
    let mut case = |name: &str, found: Vec<Finding>, stays: bool| {
        t.cases += 1;
        if stays && !caught(&found, &setting, expected) {
            stayed += 1;
            return;
        }
        if !caught(&found, &setting, expected) {
            t.silent.push(format!(
                "{label} [{name}] `{setting}` expected {expected}: {:?}",
                found
                    .iter()
                    .map(|f| (f.code, f.setting.clone()))
                    .collect::<Vec<_>>()
            ));
        }
    };
    // (a) the value changed (within the pattern, if any).
    let changed = match &rule.value {
        Some(v) if v.is_literal() => None,
        Some(v) => Some(rulegen::fill(v, "z")),
        None => Some("v2".to_string()),
    };
    if let Some(value) = changed {
        let after = g.with_value(&value);
        case(
            "change value",
            run.judge(run.models, (&rel, &g, plain), (&rel, &after, plain)),
            false,
        );
    }
    // (b) the setting removed.
    let removed = g.without_setting();
    case(
        "remove setting",
        run.judge(run.models, (&rel, &g, plain), (&rel, &removed, plain)),
        false,
    );
    // (c) stop matching: the value out of the pattern…
    if rule.value.is_some() {
        let after = g.with_value("out-of-pattern");
        let s = stays(&after, &rel, run.models);
        case(
            "value out of pattern",
            run.judge(run.models, (&rel, &g, plain), (&rel, &after, plain)),
            s,
        );
    }
    // … the chart renamed …
    if g.chart.is_some() {
        let mut after = g.clone();
        after.chart = Some("renamed-chart".to_string());
        let s = stays(&after, &rel, run.models);
        case(
            "chart renamed",
            run.judge(run.models, (&rel, &g, plain), (&rel, &after, plain)),
            s,
        );
    }
    if let (Some(_), true) = (&rule.context.chart, g.hcl) {
        let mut after = g.clone();
        let mut at: Vec<Seg> = g.carrier.clone().unwrap_or_default();
        at.push(Seg::Key("chart".into()));
        after.tree = {
            let mut t = after.tree.clone();
            let probe = Generated {
                tree: t.clone(),
                path: at.clone(),
                ..after.clone()
            };
            t = probe.with_value("renamed-chart").tree;
            t
        };
        let s = stays(&after, &rel, run.models);
        case(
            "chart renamed",
            run.judge(run.models, (&rel, &g, plain), (&rel, &after, plain)),
            s,
        );
    }
    // … the carrier renamed (object name, document name or resource label) …
    if let Some(carrier) = &g.carrier {
        let mut after = g.clone();
        let probe = Generated {
            path: carrier.clone(),
            ..g.clone()
        };
        let renamed_tree = if g.hcl {
            rename_key(&g.tree, carrier, "renamed")
        } else {
            probe.with_value("renamed-carrier").tree
        };
        after.tree = renamed_tree;
        if g.hcl {
            after.path = replace_prefix(&g.path, carrier, "renamed");
        }
        case(
            "carrier renamed",
            run.judge(run.models, (&rel, &g, plain), (&rel, &after, plain)),
            false,
        );
    }
    // … the repository or image the rule asks for changed …
    for (n, switch) in g.switches.iter().enumerate() {
        let after = g.switched(n, "elsewhere.example/other");
        let s = stays(&after, &rel, run.models);
        case(
            &format!("{} changed", switch.what),
            run.judge(run.models, (&rel, &g, plain), (&rel, &after, plain)),
            s,
        );
    }
    // … and the file moved out of the scope (with its value changed too).
    let in_rel = format!("in/{}", g.name);
    let out_rel = format!("out/{}", g.name);
    case(
        "moved out of scope",
        run.judge(run.scoped, (&in_rel, &g, plain), (&out_rel, &g, plain)),
        false,
    );
    t.stayed += stayed;
    // Controls: nothing about the rule's setting.
    let mut control = |name: &str, found: Vec<Finding>| {
        t.controls += 1;
        // A change to another setting may be reported for that setting.
        if !quiet(&found, &setting, name != "other setting changed") {
            t.noisy.push(format!(
                "{label} [{name}] `{setting}`: {:?}",
                found
                    .iter()
                    .map(|f| (f.code, f.setting.clone(), f.message.clone()))
                    .collect::<Vec<_>>()
            ));
        }
    };
    let reformat = Style {
        indent: 4,
        comments: true,
        ..Style::plain()
    };
    control(
        "reformat",
        run.judge(run.models, (&rel, &g, plain), (&rel, &g, reformat)),
    );
    let with_sibling = g.with_sibling("a");
    let reorder = Style {
        reversed: true,
        ..Style::plain()
    };
    control(
        "reorder",
        run.judge(
            run.models,
            (&rel, &with_sibling, plain),
            (&rel, &with_sibling, reorder),
        ),
    );
    let renamed = format!("deploy/renamed/{}", g.name);
    control(
        "pure rename",
        run.judge(run.models, (&rel, &g, plain), (&renamed, &g, plain)),
    );
    let other = with_sibling.with_sibling("b");
    control(
        "other setting changed",
        run.judge(
            run.models,
            (&rel, &with_sibling, plain),
            (&rel, &other, plain),
        ),
    );
}

/// The tree with the key at `at` (its last segment) renamed.
fn rename_key(tree: &rulegen::Tree, at: &[Seg], to: &str) -> rulegen::Tree {
    use rulegen::Tree;
    let Some((first, rest)) = at.split_first() else {
        return tree.clone();
    };
    match (tree, first) {
        (Tree::Map(entries), Seg::Key(k)) => Tree::Map(
            entries
                .iter()
                .map(|(key, child)| {
                    if key == k {
                        if rest.is_empty() {
                            (to.to_string(), child.clone())
                        } else {
                            (key.clone(), rename_key(child, rest, to))
                        }
                    } else {
                        (key.clone(), child.clone())
                    }
                })
                .collect(),
        ),
        _ => tree.clone(),
    }
}

fn replace_prefix(path: &[Seg], prefix: &[Seg], to: &str) -> Vec<Seg> {
    let mut out = path.to_vec();
    if let Some(last) = prefix.len().checked_sub(1) {
        out[last] = Seg::Key(to.to_string());
    }
    out
}
