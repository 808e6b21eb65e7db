//! `Classifier::classify_cached` (what tree-mode `lint` uses while a file is
//! read: the rules filed under a setting's context and whether each rule's
//! context constraints hold are worked out once per context) gives every
//! setting the same match as `Classifier::classify`, whatever order the
//! settings and their contexts arrive in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use demarcate::classify::{Classifier, ContextCache};
use demarcate::discover::{self, WalkOptions};
use demarcate::limits::Limits;
use demarcate::packs::{Pack, builtin, load};
use demarcate::scan;
use demarcate::setting::Setting;

fn packs() -> Vec<Pack> {
    let mut packs = builtin::packs().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("benches/support/bench-pack.yaml")).unwrap();
    packs.push(load::load(&text, "bench-pack.yaml").unwrap());
    packs
}

/// Every setting of every file demarcate reads under `fixtures/`.
fn fixture_settings() -> Vec<Setting> {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let opts = WalkOptions {
        max_file_bytes: 1024 * 1024,
        ..WalkOptions::default()
    };
    let found = discover::walk(&root, std::slice::from_ref(&root), &opts);
    let mut settings = Vec::new();
    for c in &found.files {
        let Ok(bytes) = std::fs::read(&c.abs) else {
            continue;
        };
        let file = scan::parse_bytes(&c.rel, c.kind, &c.hint, bytes, &Limits::default());
        settings.extend(file.settings);
    }
    settings
}

#[test]
fn cached_classification_is_the_same_in_any_order() {
    let settings = fixture_settings();
    assert!(settings.len() > 2_000, "only {} settings", settings.len());
    // File order, then an order that switches context at almost every setting.
    let mut shuffled: Vec<&Setting> = settings.iter().collect();
    let n = shuffled.len();
    for i in 0..n {
        shuffled.swap(i, (i * 7919 + 13) % n);
    }
    let orders: [Vec<&Setting>; 2] = [settings.iter().collect(), shuffled];
    for pack in &packs() {
        let classifier = Classifier::new(pack);
        let expected: Vec<_> = orders[0]
            .iter()
            .map(|s| classifier.classify(&s.view()))
            .collect();
        let matched = expected.iter().filter(|m| m.is_some()).count();
        assert!(matched > 0, "{}: nothing matched", pack.id);
        for (o, order) in orders.iter().enumerate() {
            let mut cache = ContextCache::default();
            for (i, s) in order.iter().enumerate() {
                let want = classifier.classify(&s.view());
                let got = classifier.classify_cached(&s.view(), &mut cache);
                assert_eq!(
                    got, want,
                    "{} (order {o}, #{i}): {}:{} {}",
                    pack.id, s.file, s.span.start.line, s.path
                );
            }
        }
    }
}

#[test]
fn a_new_context_with_the_same_text_is_looked_at_again() {
    // Two files with the same text, alternating: a rule that constrains the
    // file must be checked again for each, not taken from the cache.
    let text =
        "resource \"azurerm_kubernetes_cluster\" \"k\" {\n  kubernetes_version = \"1.30\"\n}\n";
    let pack_text = r#"
vendor: {id: t, name: T, source: {title: t, version: "1"}}
parties: {vendor: V, customer: C}
deployments: [{id: d, name: D}]
areas:
  - {id: a, title: A, row: r, responsibility: {d: [vendor]}}
matchers:
  - group: g
    source: s
    rules:
      - {area: a, format: terraform, file: "vendor/**", path: "**"}
"#;
    let pack = load::load(pack_text, "t.yaml").unwrap();
    let classifier = Classifier::new(&pack);
    let mut cache = ContextCache::default();
    let read = |rel: &str| {
        scan::parse_bytes(
            &Arc::from(rel),
            demarcate::formats::FileKind::Terraform,
            &Default::default(),
            text.as_bytes().to_vec(),
            &Limits::default(),
        )
        .settings
    };
    let vendor = read("vendor/main.tf");
    let customer = read("customer/main.tf");
    let leaf = |s: &[Setting]| {
        s.iter()
            .find(|s| s.path.ends_with("kubernetes_version"))
            .cloned()
            .unwrap()
    };
    let (v, c) = (leaf(&vendor), leaf(&customer));
    assert!(classifier.classify_cached(&v.view(), &mut cache).is_some());
    assert!(classifier.classify_cached(&c.view(), &mut cache).is_none());
    assert!(classifier.classify_cached(&v.view(), &mut cache).is_some());
}
