//! Writes a deterministic synthetic infrastructure repository for benchmarks.
//!
//! ```text
//! cargo run --release --example corpus -- --files 5000 --seed 42 OUT_DIR
//! cargo run --release --example corpus -- --files 20000 --seed 42 --git --change 10 OUT_DIR
//! ```
//!
//! The content is a pure function of `--files` and `--seed` (see
//! `benches/support/corpus.rs`). With `--git` the folder becomes a git
//! repository with one commit of everything (fixed author and dates, so the
//! commit ids are reproducible too); `--change K` then edits K files as a
//! small pull request would and commits that on top, so that
//! `demarcate lint --base HEAD~1` has K changed files to report.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context as _, bail};
use clap::Parser;

/// Writes a synthetic repository of Helm, Talos, Kubernetes and Terraform files.
#[derive(Debug, Parser)]
#[command(name = "corpus")]
struct Args {
    /// Number of files to write (any positive number; 100 to 20,000 is the intended range).
    #[arg(long, default_value_t = 1000)]
    files: usize,
    /// Seed of the generator: the same seed and count give the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Make the folder a git repository with one commit of all files.
    #[arg(long)]
    git: bool,
    /// After the first commit, edit this many files and commit again (needs --git).
    #[arg(long, value_name = "K", default_value_t = 0, requires = "git")]
    change: usize,
    /// Folder to write; must not exist or be empty.
    out: PathBuf,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("corpus: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> anyhow::Result<()> {
    if args.files == 0 {
        bail!("--files must be at least 1");
    }
    let out = &args.out;
    if out.exists() {
        let mut entries = std::fs::read_dir(out)
            .with_context(|| format!("`{}` is not a readable folder", out.display()))?;
        if entries.next().is_some() {
            bail!(
                "`{}` is not empty; remove it or choose another folder",
                out.display()
            );
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create `{}`", out.display()))?;

    let started = std::time::Instant::now();
    let mut made: HashSet<PathBuf> = HashSet::new();
    let mut paths: Vec<String> = Vec::with_capacity(args.files);
    let stats = corpus::generate(args.files, args.seed, |rel, text| {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            if !made.contains(dir) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create `{}`", dir.display()))?;
                made.insert(dir.to_path_buf());
            }
        }
        std::fs::write(&path, text)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        paths.push(rel.to_string());
        anyhow::Ok(())
    })?;
    let mb = stats.bytes as f64 / 1e6;
    println!(
        "wrote {} files ({} .yaml, {} .tf, {} .tfvars), {mb:.1} MB, mean {:.1} KB, largest {:.1} KB, to {} in {:.2} s",
        stats.files,
        stats.yaml,
        stats.terraform,
        stats.tfvars,
        stats.bytes as f64 / stats.files as f64 / 1e3,
        stats.largest as f64 / 1e3,
        out.display(),
        started.elapsed().as_secs_f64(),
    );

    if args.git {
        git(out, &["-c", "init.defaultBranch=main", "init", "-q"])?;
        git(out, &["add", "-A"])?;
        let message = format!("corpus: {} files, seed {}", stats.files, args.seed);
        git(out, &["commit", "-q", "-m", &message])?;
        println!("git: committed all files");
    }
    if args.change > 0 {
        let changed = change_files(out, &paths, args.change, args.seed)?;
        git(out, &["add", "-A"])?;
        let message = format!("change {} files", changed.len());
        git(out, &["commit", "-q", "-m", &message])?;
        println!(
            "git: changed and committed {} files (HEAD~1 is the base), e.g. {}",
            changed.len(),
            changed.first().map_or("", String::as_str)
        );
        if changed.len() < args.change {
            bail!(
                "only {} of {} files could be changed",
                changed.len(),
                args.change
            );
        }
    }
    Ok(())
}

/// Edits `k` files chosen by the seed (files without an integer value to
/// change are passed over); returns their paths in the order changed.
fn change_files(out: &Path, paths: &[String], k: usize, seed: u64) -> anyhow::Result<Vec<String>> {
    let mut rng = corpus::Rng::stream(seed, u64::MAX);
    let mut order: Vec<usize> = (0..paths.len()).collect();
    // Fisher-Yates shuffle, so the choice is spread over the whole repository.
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut changed = Vec::with_capacity(k);
    for i in order {
        if changed.len() == k {
            break;
        }
        let path = out.join(&paths[i]);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        if let Some(new) = corpus::modify(&text, &mut rng) {
            std::fs::write(&path, new)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            changed.push(paths[i].clone());
        }
    }
    Ok(changed)
}

/// Runs git in `dir` with a fixed identity and dates (reproducible commit
/// ids) and without the variables of an enclosing git hook.
fn git(dir: &Path, args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=demarcate bench",
            "-c",
            "user.email=bench@demarcate.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.autocrlf=false",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", "2025-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2025-01-01T00:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .status()
        .context("cannot run git")?;
    if !status.success() {
        bail!("`git {}` failed ({status})", args.join(" "));
    }
    Ok(())
}
