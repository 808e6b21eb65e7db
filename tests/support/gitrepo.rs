//! A temporary git repository for end-to-end tests of `--base`/`--staged`:
//! files written from strings, commits, and `demarcate lint` runs.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::process;

/// A temporary repository with `main` checked out.
pub struct GitRepo {
    _dir: tempfile::TempDir,
    /// Its top-level folder.
    pub root: PathBuf,
}

impl GitRepo {
    /// An empty repository.
    pub fn new() -> GitRepo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        let repo = GitRepo { _dir: dir, root };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    /// A repository holding `files` (path, text), committed as the base.
    pub fn with(files: &[(&str, &str)]) -> GitRepo {
        let repo = GitRepo::new();
        for (rel, text) in files {
            repo.write(rel, text);
        }
        repo.commit("base");
        repo
    }

    /// Runs git in the repository.
    pub fn git(&self, args: &[&str]) -> String {
        process::git(&self.root, args)
    }

    /// Stages everything and commits.
    pub fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    /// Writes a file (folders created).
    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    /// Writes raw bytes.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Reads a file.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    /// Replaces exactly one occurrence of `from` in a file.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {rel}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Removes a file.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap();
    }

    /// `demarcate ARGS` in the repository.
    pub fn run(&self, args: &[&str]) -> Output {
        process::clean(env!("CARGO_BIN_EXE_demarcate"), &self.root)
            .args(args)
            .output()
            .unwrap()
    }

    /// `demarcate lint --format json ARGS`: exit code and report.
    pub fn lint_json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut all = vec!["lint", "--format", "json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
            panic!(
                "no JSON (exit {:?}): {}",
                out.status.code(),
                process::text(&out)
            )
        });
        (out.status.code().unwrap(), json)
    }

    /// The path of a file.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The root.
    pub fn dir(&self) -> &Path {
        &self.root
    }
}

/// The findings of a report with this code.
pub fn with_code<'a>(json: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}
