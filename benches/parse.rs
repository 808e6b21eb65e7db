//! Parser and classifier benchmarks (divan): each stage of reading one file,
//! from the bare YAML/HCL parsers up to settings, on generated inputs of a
//! fixed size; classifying those settings with a synthetic pack; and the
//! whole `scan::scan` on a small generated repository, with and without a model.
//!
//! ```text
//! cargo bench --bench parse                  # everything
//! cargo bench --bench parse -- yaml_events   # one group (divan filters by name)
//! ```
//!
//! Throughput is reported in bytes of input per second (settings per second
//! for classification). Inputs come from `benches/support/corpus.rs` with a
//! fixed seed and the pack is `benches/support/bench-pack.yaml`, so runs
//! compare like with like.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use corpus::Shape;
use demarcate::classify::Classifier;
use demarcate::config::ModelChoice;
use demarcate::discover::WalkOptions;
use demarcate::formats::embed::PosMap;
use demarcate::formats::{self, FileHint, FileKind};
use demarcate::limits::Limits;
use demarcate::models::Models;
use demarcate::packs::Pack;
use demarcate::scan::{self, ScanRequest};
use demarcate::source::Source;
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

fn main() {
    divan::main();
}

/// Size every single-file input is generated to (the generator stops at
/// the first unit past it, so inputs are a little larger).
const INPUT_BYTES: usize = 32 * 1024;

/// Seed of every input.
const SEED: u64 = 42;

/// Files in the repository `scan` is measured on.
const SCAN_FILES: usize = 200;

/// The YAML shapes, by the name used as a bench argument.
const YAML_SHAPES: &[&str] = &["helm-values", "talos", "kubernetes", "flux-helmrelease"];

/// Every shape `formats::parse_file` is measured on.
const ALL_SHAPES: &[&str] = &[
    "helm-values",
    "talos",
    "kubernetes",
    "flux-helmrelease",
    "terraform",
];

fn shape(name: &str) -> Shape {
    match name {
        "helm-values" => Shape::HelmValues,
        "talos" => Shape::TalosConfig,
        "kubernetes" => Shape::KubernetesManifests,
        "flux-helmrelease" => Shape::FluxHelmRelease,
        "terraform" => Shape::Terraform,
        other => panic!("unknown shape {other}"),
    }
}

/// The generated text of a shape (generated once per process).
fn input(name: &str) -> &'static str {
    static INPUTS: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
        ALL_SHAPES
            .iter()
            .map(|n| (*n, corpus::sample(shape(n), SEED, INPUT_BYTES)))
            .collect()
    });
    INPUTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.as_str())
        .expect("known shape")
}

/// Bare `saphyr-parser`: every event consumed, nothing built.
#[divan::bench(args = YAML_SHAPES)]
fn yaml_events(bencher: Bencher, name: &str) {
    let text = input(name);
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        let mut parser = saphyr_parser::Parser::new_from_str(divan::black_box(text));
        let mut events = 0usize;
        while let Some(event) = parser.next_event() {
            event.expect("generated YAML parses");
            events += 1;
        }
        events
    });
}

/// Our YAML tree builder (`formats::yaml::parse`): positions, anchors,
/// merge keys, duplicate-key checks.
#[divan::bench(args = YAML_SHAPES)]
fn yaml_tree(bencher: Bencher, name: &str) {
    let text = input(name);
    let src = Source::new(text.to_string());
    let limits = Limits::default();
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        let stream = formats::yaml::parse(divan::black_box(&src), &PosMap::Identity, &limits);
        assert!(stream.fatal.is_none());
        stream
    });
}

/// Bare `hcl-edit` parser.
#[divan::bench]
fn hcl_body(bencher: Bencher) {
    let text = input("terraform");
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        hcl_edit::parser::parse_body(divan::black_box(text)).expect("generated HCL parses")
    });
}

/// Decoding bytes into a `Source` (BOM, binary check, UTF-8, line index).
#[divan::bench(args = ALL_SHAPES)]
fn source_from_bytes(bencher: Bencher, name: &str) {
    let text = input(name);
    bencher
        .counter(BytesCount::of_str(text))
        .with_inputs(|| text.as_bytes().to_vec())
        .bench_values(|bytes| Source::from_bytes(bytes).expect("generated text is UTF-8"));
}

/// What `formats::parse_file` needs for a shape's input.
struct Prepared {
    src: Source,
    kind: FileKind,
    hint: FileHint,
    file: Arc<str>,
}

fn prepare(name: &str) -> Prepared {
    let shape = shape(name);
    Prepared {
        src: Source::new(input(name).to_string()),
        kind: if shape == Shape::Terraform {
            FileKind::Terraform
        } else {
            FileKind::Yaml
        },
        hint: FileHint {
            values: shape == Shape::HelmValues,
            chart: (shape == Shape::HelmValues).then(|| "bench".to_string()),
            ..Default::default()
        },
        file: Arc::from(format!("bench/{}", shape.file_name())),
    }
}

/// One file all the way to settings (`formats::parse_file`), as `scan` does
/// after reading it: tree, format detection, flattening, embedded documents.
#[divan::bench(args = ALL_SHAPES)]
fn settings(bencher: Bencher, name: &str) {
    let p = prepare(name);
    let limits = Limits::default();
    bencher.counter(BytesCount::of_str(input(name))).bench(|| {
        let parsed =
            formats::parse_file(&p.file, p.kind, divan::black_box(&p.src), &p.hint, &limits);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems.first());
        parsed
    });
}

/// The synthetic pack the classification benches use (loaded once), as
/// the one pack of a run.
fn packs() -> &'static [Pack] {
    static PACKS: LazyLock<Vec<Pack>> = LazyLock::new(|| {
        let pack = demarcate::packs::load::load(
            include_str!("support/bench-pack.yaml"),
            "benches/support/bench-pack.yaml",
        )
        .expect("the bench pack loads");
        vec![pack]
    });
    &PACKS
}

/// Classifying every setting of one file (`Classifier::classify`); the
/// settings are read once, outside the measurement.
#[divan::bench(args = ALL_SHAPES)]
fn classify(bencher: Bencher, name: &str) {
    let p = prepare(name);
    let parsed = formats::parse_file(&p.file, p.kind, &p.src, &p.hint, &Limits::default());
    let classifier = Classifier::new(&packs()[0]);
    bencher
        .counter(ItemsCount::new(parsed.settings.len()))
        .bench(|| {
            parsed
                .settings
                .iter()
                .filter(|s| classifier.classify(divan::black_box(&s.view())).is_some())
                .count()
        });
}

/// A generated repository on disk, written once per process.
struct Repo {
    _dir: tempfile::TempDir,
    root: PathBuf,
    bytes: u64,
}

fn repo() -> &'static Repo {
    static REPO: LazyLock<Repo> = LazyLock::new(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("temp dir path");
        let stats = corpus::generate(SCAN_FILES, SEED, |rel, text| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("file in a folder"))?;
            std::fs::write(path, text)
        })
        .expect("write corpus");
        Repo {
            _dir: dir,
            root,
            bytes: stats.bytes,
        }
    });
    &REPO
}

/// The models of a `scan_repository` argument: none, or the bench pack with
/// its `managed` deployment for every file.
fn models(which: &str) -> Models<'static> {
    match which {
        "no-model" => Models::none(),
        "bench-pack" => {
            let choice = ModelChoice {
                vendor: Some("bench-edge".to_string()),
                deployment: Some("managed".to_string()),
                ..ModelChoice::default()
            };
            Models::resolve(packs(), None, &choice).expect("the bench model resolves")
        }
        other => panic!("unknown model {other}"),
    }
}

/// The shared pipeline on a small repository: walk, read, parse, settings
/// and (with a model) classification, in parallel as the commands run it.
#[divan::bench(args = ["no-model", "bench-pack"], sample_count = 20)]
fn scan_repository(bencher: Bencher, which: &str) {
    let repo = repo();
    let models = models(which);
    let limits = Limits::default();
    let request = ScanRequest {
        root: repo.root.clone(),
        paths: vec![repo.root.clone()],
        walk: WalkOptions {
            max_file_bytes: limits.max_file_bytes,
            ..WalkOptions::default()
        },
        limits,
    };
    bencher.counter(BytesCount::new(repo.bytes)).bench(|| {
        let result = scan::scan(divan::black_box(&request), &models);
        assert!(result.problems().is_empty());
        result
    });
}
