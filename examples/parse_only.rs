//! The parse-only baseline: the speed the whole pipeline is measured against.
//!
//! ```text
//! cargo run --release --example parse_only -- DIR [--threads N] [--porcelain]
//! ```
//!
//! Lists the files `demarcate` would read under DIR (the same discovery:
//! `.yaml`/`.yml`/`.tf`/`.tfvars`, `.gitignore` honoured, `.git/`,
//! `.terraform/` and chart `templates/` skipped), then reads each one and runs
//! only the bare parser over it, in parallel with rayon: the
//! `saphyr_parser::Parser` event loop consuming every event for YAML,
//! `hcl_edit::parser::parse_body` for Terraform. No trees, no settings, no
//! output. Prints files, bytes, seconds (walk included), files/s and MB/s
//! (1 MB = 10^6 bytes); `--porcelain` prints `files bytes seconds errors`
//! on one line for scripts.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// The same allocator as the demarcate binary, so that the baseline measures
/// the parsers and not the allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context as _;
use clap::Parser as _;
use demarcate::discover::{self, WalkOptions};
use demarcate::formats::FileKind;
use demarcate::limits::Limits;
use rayon::prelude::*;

/// Reads and bare-parses every file demarcate would read under a folder.
#[derive(Debug, clap::Parser)]
#[command(name = "parse_only")]
struct Args {
    /// Folder to read.
    dir: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Print `files bytes seconds errors` on one line.
    #[arg(long)]
    porcelain: bool,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("parse_only: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// What one file cost.
#[derive(Default)]
struct Tally {
    bytes: u64,
    errors: usize,
}

fn run(args: &Args) -> anyhow::Result<()> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("cannot start the thread pool")?;
    }
    let root = std::fs::canonicalize(&args.dir)
        .with_context(|| format!("`{}` does not exist", args.dir.display()))?;
    let started = Instant::now();
    let walk = WalkOptions {
        max_file_bytes: Limits::default().max_file_bytes,
        ..WalkOptions::default()
    };
    let found = discover::walk(&root, std::slice::from_ref(&root), &walk);
    let walked = started.elapsed();
    let tally = found
        .files
        .par_iter()
        .map(|c| parse_one(&c.abs, c.kind))
        .reduce(Tally::default, |a, b| Tally {
            bytes: a.bytes + b.bytes,
            errors: a.errors + b.errors,
        });
    let seconds = started.elapsed().as_secs_f64();
    let files = found.files.len();
    if args.porcelain {
        println!("{files} {} {seconds:.6} {}", tally.bytes, tally.errors);
    } else {
        println!(
            "parse-only: {files} files, {:.2} MB in {seconds:.3} s: {:.0} files/s, {:.1} MB/s \
             (walk {:.3} s, {} threads, {} files with errors)",
            tally.bytes as f64 / 1e6,
            files as f64 / seconds,
            tally.bytes as f64 / 1e6 / seconds,
            walked.as_secs_f64(),
            rayon::current_num_threads(),
            tally.errors,
        );
    }
    Ok(())
}

/// Reads one file and runs its bare parser; unreadable or non-UTF-8 files
/// and syntax errors count as errors.
fn parse_one(path: &std::path::Path, kind: FileKind) -> Tally {
    let Ok(bytes) = std::fs::read(path) else {
        return Tally {
            bytes: 0,
            errors: 1,
        };
    };
    let len = bytes.len() as u64;
    let Ok(text) = String::from_utf8(bytes) else {
        return Tally {
            bytes: len,
            errors: 1,
        };
    };
    let ok = match kind {
        FileKind::Yaml | FileKind::YamlTemplate => yaml_events(&text),
        FileKind::Terraform | FileKind::Tfvars => hcl_edit::parser::parse_body(&text).is_ok(),
    };
    Tally {
        bytes: len,
        errors: usize::from(!ok),
    }
}

/// Consumes every event of a YAML stream; false on a syntax error.
fn yaml_events(text: &str) -> bool {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        if event.is_err() {
            return false;
        }
    }
    true
}
