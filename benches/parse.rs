//! Parser benchmarks (divan): each stage of reading one file, from the bare
//! YAML/HCL parsers up to settings, on generated inputs of a fixed size, and
//! the whole `scan::scan` on a small generated repository.
//!
//! ```text
//! cargo bench --bench parse                  # everything
//! cargo bench --bench parse -- yaml_events   # one group (divan filters by name)
//! ```
//!
//! Throughput is reported in bytes of input per second. Inputs come from
//! `benches/support/corpus.rs` with a fixed seed, so runs compare like with like.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use corpus::Shape;
use demarcate::discover::WalkOptions;
use demarcate::formats::embed::PosMap;
use demarcate::formats::{self, FileHint, FileKind};
use demarcate::limits::Limits;
use demarcate::scan::{self, ScanRequest};
use demarcate::source::Source;
use divan::Bencher;
use divan::counter::BytesCount;

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

/// One file all the way to settings (`formats::parse_file`), as `scan` does
/// after reading it: tree, format detection, flattening, embedded documents.
#[divan::bench(args = ALL_SHAPES)]
fn settings(bencher: Bencher, name: &str) {
    let text = input(name);
    let shape = shape(name);
    let src = Source::new(text.to_string());
    let kind = if shape == Shape::Terraform {
        FileKind::Terraform
    } else {
        FileKind::Yaml
    };
    let hint = FileHint {
        values: shape == Shape::HelmValues,
        chart: (shape == Shape::HelmValues).then(|| "bench".to_string()),
    };
    let file: Arc<str> = Arc::from(format!("bench/{}", shape.file_name()));
    let limits = Limits::default();
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        let parsed = formats::parse_file(&file, kind, divan::black_box(&src), &hint, &limits);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems.first());
        parsed
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

/// The shared pipeline on a small repository: walk, read, parse, settings
/// (in parallel, as the commands run it).
#[divan::bench(sample_count = 20)]
fn scan_repository(bencher: Bencher) {
    let repo = repo();
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
        let result = scan::scan(divan::black_box(&request));
        assert!(result.problems().is_empty());
        result
    });
}
