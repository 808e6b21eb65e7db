//! Access to a base revision and the index through a spawned `git`: the work
//! tree's top level, `merge-base REV HEAD`, the files changed since a commit
//! (work tree) or staged in the index, and blob contents read with one
//! `git cat-file --batch` process.
//!
//! Only the `git` program runs, never a shell, and always with `-C <root>`.
//! A repository's own configuration is not trusted to run programs: every
//! invocation passes `--no-pager`, `-c core.fsmonitor=false` (a configured
//! fsmonitor is a program git would start), `-c diff.autoRefreshIndex=false`
//! (`git diff` would otherwise refresh the index when a tracked file's
//! timestamp changed, which writes `.git/index` and runs the
//! `post-index-change` hook), `-c core.hooksPath=/dev/null` (no hook runs,
//! wherever the repository's configuration points), and the environment
//! `GIT_NO_LAZY_FETCH=1` (no fetch, and so no `core.sshCommand`, from a
//! partial clone's promisor remote), `GIT_TERMINAL_PROMPT=0` and
//! `GIT_OPTIONAL_LOCKS=0` (no opportunistic index writes, which would race a
//! `git commit` running the pre-commit hook). `git diff` gets
//! `--no-ext-diff`, `--no-textconv`, `--ignore-submodules=all` and, when it
//! compares with the work tree, every configured `filter.<driver>` emptied:
//! clean filters are programs git would run to hash a modified file. No
//! command used here runs hooks. The inherited environment is otherwise kept,
//! so `GIT_INDEX_FILE` and `GIT_DIR` set by a hook are honoured as git does.

mod blobs;
mod change;
mod changes;
mod contents;
mod entries;
mod error;
mod raw;
mod revs;
mod tree;

use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub use blobs::{Blob, BlobSpec};
pub use change::{FileChange, FileStatus};
pub use changes::{joined, with_untracked};
pub use contents::{Contents, NewSide};
pub use entries::{Entry, GitlinkChange, SYMLINK};
pub use error::GitError;

/// Options every git invocation starts with: no pager, no fsmonitor
/// program, no index refresh (a refresh rewrites `.git/index` and runs the
/// `post-index-change` hook), and no hooks at all (`core.hooksPath` pointed
/// at a path that holds none, even when the repository's configuration
/// names a tracked folder).
const PROTECTIONS: [&str; 7] = [
    "--no-pager",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "diff.autoRefreshIndex=false",
    "-c",
    "core.hooksPath=/dev/null",
];

/// An index file that does not exist and cannot be created (a missing
/// index reads as empty; any other error would stop git): below
/// `/proc/self`, or below a `/proc` that is not there.
const NO_INDEX: &str = "/proc/self/demarcate-no-index";

/// A git work tree, addressed by its top-level folder.
#[derive(Debug, Clone)]
pub struct Repo {
    program: OsString,
    root: PathBuf,
}

impl Repo {
    /// The work tree that holds `dir` (a folder), found with
    /// `git rev-parse --show-toplevel`.
    pub fn discover(dir: &Path) -> Result<Repo, GitError> {
        Repo::discover_with(OsStr::new("git"), dir)
    }

    /// As [`Repo::discover`], running `program` instead of `git` from `PATH`.
    pub fn discover_with(program: &OsStr, dir: &Path) -> Result<Repo, GitError> {
        let probe = Repo {
            program: locate(program),
            root: dir.to_path_buf(),
        };
        let out = probe.output(&["rev-parse", "--show-toplevel"])?;
        if !out.status.success() {
            return Err(GitError::NotARepository {
                path: dir.to_path_buf(),
                message: stderr_text(&out),
            });
        }
        let top = String::from_utf8_lossy(&out.stdout)
            .trim_end_matches(['\n', '\r'])
            .to_string();
        if top.is_empty() {
            return Err(GitError::NotARepository {
                path: dir.to_path_buf(),
                message: "git printed no top-level folder".to_string(),
            });
        }
        Ok(Repo {
            program: probe.program,
            root: PathBuf::from(top),
        })
    }

    /// The work tree's top-level folder; git's paths are relative to it.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A `git` command in the work tree with the protections described in the
    /// module documentation.
    fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.arg("-C")
            .arg(&self.root)
            .args(PROTECTIONS)
            .args(args)
            .env("GIT_NO_LAZY_FETCH", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(Stdio::null());
        cmd
    }

    /// As [`Repo::command`], for a command that compares commits only
    /// (`diff-tree`): git reads the index there all the same (for nothing
    /// the comparison uses), so it is pointed at an index file that cannot
    /// exist, which git reads as empty. Nothing of the index is read, and
    /// a large one costs nothing.
    fn command_without_index<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut cmd = self.command(args);
        cmd.env("GIT_INDEX_FILE", NO_INDEX);
        cmd
    }

    /// As [`Repo::run`], without the index ([`Repo::command_without_index`]).
    fn run_without_index<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Vec<u8>, GitError> {
        let out = self
            .command_without_index(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| self.spawn_error(args, e))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(failed(&describe(args), &out))
        }
    }

    /// Runs a command to completion and collects its output.
    fn output<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Output, GitError> {
        self.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| self.spawn_error(args, e))
    }

    /// Runs a command that must succeed; returns its standard output.
    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Vec<u8>, GitError> {
        let out = self.output(args)?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(failed(&describe(args), &out))
        }
    }

    /// As [`Repo::run`], with the output as text.
    fn run_text<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<String, GitError> {
        Ok(String::from_utf8_lossy(&self.run(args)?).into_owned())
    }

    fn spawn_error<S: AsRef<OsStr>>(&self, args: &[S], e: io::Error) -> GitError {
        if e.kind() == io::ErrorKind::NotFound {
            GitError::NotInstalled {
                program: self.program.to_string_lossy().into_owned(),
                source: e,
            }
        } else {
            GitError::Io {
                command: describe(args),
                source: e,
            }
        }
    }
}

/// Whether text is a full SHA-1 or SHA-256 object id.
pub(crate) fn is_full_oid(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The program to run: a bare name is looked up on `PATH` once, so that
/// every later spawn does not search it again.
fn locate(program: &OsStr) -> std::ffi::OsString {
    let as_path = Path::new(program);
    if as_path.components().count() != 1 {
        return program.to_os_string();
    }
    // `git.exe` on Windows.
    let mut file = program.to_os_string();
    if as_path.extension().is_none() && !std::env::consts::EXE_EXTENSION.is_empty() {
        file.push(".");
        file.push(std::env::consts::EXE_EXTENSION);
    }
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(&file))
                .find(|candidate| candidate.is_file())
        })
        .map_or_else(
            || program.to_os_string(),
            std::path::PathBuf::into_os_string,
        )
}

/// Refuses revisions git could read as options or that break its line protocols.
fn check_rev(rev: &str) -> Result<(), GitError> {
    if rev.is_empty() || rev.starts_with('-') || rev.chars().any(char::is_control) {
        return Err(GitError::InvalidRevision {
            rev: rev.to_string(),
        });
    }
    Ok(())
}

/// The subcommand and arguments, for messages.
fn describe<S: AsRef<OsStr>>(args: &[S]) -> String {
    args.iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Git's standard error as one trimmed text (or the exit status if it said nothing).
fn stderr_text(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if text.is_empty() {
        format!("exited with {}", out.status)
    } else {
        text
    }
}

fn failed(command: &str, out: &Output) -> GitError {
    GitError::Failed {
        command: command.to_string(),
        message: stderr_text(out),
    }
}
