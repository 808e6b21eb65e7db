//! What can go wrong talking to git, with enough context for the CLI to
//! print and exit 2.

use std::io;
use std::path::PathBuf;

/// What can go wrong talking to git.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The `git` program could not be started.
    #[error("git is not installed or not on PATH (could not run `{program}`: {source})")]
    NotInstalled {
        /// The program that was run.
        program: String,
        /// Why it could not start.
        source: io::Error,
    },
    /// The folder is not inside a git work tree.
    #[error("`{path}` is not inside a git work tree: {message}")]
    NotARepository {
        /// The folder asked about.
        path: PathBuf,
        /// What git said.
        message: String,
    },
    /// A revision that does not name a commit here.
    #[error("unknown revision `{rev}`: no commit of that name in this repository")]
    UnknownRevision {
        /// The revision as given.
        rev: String,
    },
    /// A revision that may not be passed to git (empty, option-like, control characters).
    #[error("invalid revision `{rev}`")]
    InvalidRevision {
        /// The revision as given.
        rev: String,
    },
    /// The base commit is not in this shallow clone.
    #[error(
        "the base revision `{rev}` (or its common ancestor with HEAD) is not in this shallow \
         clone; fetch more history, e.g. `git fetch --deepen=1000 origin` or \
         `git fetch --unshallow`, and fetch the base branch itself \
         (`git fetch origin <branch>`); with actions/checkout set `fetch-depth: 0`"
    )]
    ShallowMissingBase {
        /// The revision as given.
        rev: String,
    },
    /// The revision and HEAD share no history.
    #[error("`{rev}` and HEAD have no common ancestor")]
    NoMergeBase {
        /// The revision as given.
        rev: String,
    },
    /// HEAD does not point at a commit yet.
    #[error("the repository has no commits yet (HEAD is unborn); there is no base to compare with")]
    UnbornHead,
    /// A file git listed as changed whose base content is not here.
    #[error(
        "the content of `{path}` at {rev} is not in this repository{}",
        if *partial_clone {
            " (a partial clone: fetch the missing objects, e.g. `git fetch --refetch origin` \
             or clone without `--filter`)"
        } else {
            ""
        }
    )]
    MissingObject {
        /// The path at the base.
        path: String,
        /// The base commit.
        rev: String,
        /// Whether the repository is a partial clone.
        partial_clone: bool,
    },
    /// A path git cannot be asked about (it holds a newline).
    #[error("cannot read `{path}` from git: the path holds a newline")]
    UnsupportedPath {
        /// The path, as text.
        path: String,
    },
    /// A git command failed.
    #[error("`git {command}` failed: {message}")]
    Failed {
        /// The git subcommand and arguments.
        command: String,
        /// What git said (its standard error), or the exit status.
        message: String,
    },
    /// Talking to a running git process failed.
    #[error("`git {command}`: {source}")]
    Io {
        /// The git subcommand.
        command: String,
        /// The I/O error.
        source: io::Error,
    },
    /// Git printed something this module does not understand.
    #[error("`git {command}` printed unexpected output: {detail}")]
    Unexpected {
        /// The git subcommand.
        command: String,
        /// What was wrong.
        detail: String,
    },
}
