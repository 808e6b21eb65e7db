//! Revisions: the commit HEAD names, the ids of the commits a run compares
//! (resolved with the top-level folder in one `rev-parse`), and their
//! merge-base, with precise errors for an unknown revision, an unborn HEAD,
//! a shallow clone that lacks the base and unrelated histories.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{GitError, Repo, check_rev, failed, is_full_oid, locate};

impl Repo {
    /// As [`Repo::discover`], and the commits `revs` name, resolved in the
    /// same `rev-parse` process: `Some` with one full object id per
    /// revision when every one names a commit, `None` when any does not (or
    /// HEAD is unborn): the caller then resolves them one by one, which says
    /// precisely what is wrong.
    pub fn discover_resolving(
        dir: &Path,
        revs: &[&str],
    ) -> Result<(Repo, Option<Vec<String>>), GitError> {
        for rev in revs {
            check_rev(rev)?;
        }
        let probe = Repo {
            program: locate(OsStr::new("git")),
            root: dir.to_path_buf(),
        };
        let mut args = vec!["rev-parse".to_string(), "--show-toplevel".to_string()];
        args.extend(revs.iter().map(|r| format!("{r}^{{commit}}")));
        let out = probe.output(&args)?;
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        match lines.split_first() {
            Some((top, ids))
                if out.status.success()
                    && !top.is_empty()
                    && ids.len() == revs.len()
                    && ids.iter().all(|id| is_full_oid(id)) =>
            {
                let repo = Repo {
                    program: probe.program,
                    root: PathBuf::from(*top),
                };
                Ok((repo, Some(ids.iter().map(|id| id.to_string()).collect())))
            }
            _ => Ok((Repo::discover_with(&probe.program, dir)?, None)),
        }
    }

    /// The best common ancestor of two commits given by full object ids
    /// (from [`Repo::discover_resolving`]); `None` when git names none or
    /// fails (the caller then asks [`Repo::merge_base_with`], which says why).
    pub fn merge_base_of(&self, base: &str, head: &str) -> Result<Option<String>, GitError> {
        if !is_full_oid(base) || !is_full_oid(head) {
            return Ok(None);
        }
        let out = self.output(&["merge-base", base, head])?;
        let oid = String::from_utf8_lossy(&out.stdout).trim().to_string();
        Ok((out.status.success() && is_full_oid(&oid)).then_some(oid))
    }

    /// The commit HEAD points at, or `None` before the first commit.
    pub fn head(&self) -> Result<Option<String>, GitError> {
        self.resolve_commit("HEAD")
    }

    /// Whether this is a shallow clone.
    pub fn is_shallow(&self) -> Result<bool, GitError> {
        let text = self.run_text(&["rev-parse", "--is-shallow-repository"])?;
        Ok(text.trim() == "true")
    }

    /// The best common ancestor of `rev` and HEAD (`git merge-base REV HEAD`),
    /// as a full object id. A base missing from a shallow clone is
    /// [`GitError::ShallowMissingBase`], with how to fetch it.
    pub fn merge_base(&self, rev: &str) -> Result<String, GitError> {
        self.merge_base_with(rev, "HEAD")
    }

    /// The best common ancestor of `rev` and the commit `other` (HEAD, or the
    /// head of a pull request), as [`Repo::merge_base`] describes.
    pub fn merge_base_with(&self, rev: &str, other: &str) -> Result<String, GitError> {
        check_rev(rev)?;
        check_rev(other)?;
        // Fast path: both commits in one process; the checks below only run
        // when this fails, to say precisely why.
        let spec = format!("{rev}^{{commit}}");
        let other_spec = format!("{other}^{{commit}}");
        let out = self.output(&["rev-parse", &other_spec, &spec])?;
        let text = String::from_utf8_lossy(&out.stdout);
        let oids: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if let (true, [head, base]) = (out.status.success(), oids.as_slice()) {
            let out = self.output(&["merge-base", base, head])?;
            if out.status.success() {
                let oid = String::from_utf8_lossy(&out.stdout).trim().to_string();
                if is_full_oid(&oid) {
                    return Ok(oid);
                }
            }
        }
        let head = if other == "HEAD" {
            self.head()?.ok_or(GitError::UnbornHead)?
        } else {
            self.commit_id(other)?
        };
        let Some(base) = self.resolve_commit(rev)? else {
            return Err(if self.is_shallow()? {
                GitError::ShallowMissingBase {
                    rev: rev.to_string(),
                }
            } else {
                GitError::UnknownRevision {
                    rev: rev.to_string(),
                }
            });
        };
        let out = self.output(&["merge-base", &base, &head])?;
        match out.status.code() {
            Some(0) => {
                let oid = String::from_utf8_lossy(&out.stdout).trim().to_string();
                if oid.is_empty() {
                    return Err(GitError::Unexpected {
                        command: "merge-base".to_string(),
                        detail: "no object id".to_string(),
                    });
                }
                Ok(oid)
            }
            // Exit 1 without a message: no common ancestor is reachable.
            Some(1) if out.stderr.iter().all(u8::is_ascii_whitespace) => {
                Err(if self.is_shallow()? {
                    GitError::ShallowMissingBase {
                        rev: rev.to_string(),
                    }
                } else {
                    GitError::NoMergeBase {
                        rev: rev.to_string(),
                    }
                })
            }
            _ => Err(failed("merge-base", &out)),
        }
    }

    /// The full object id of the commit `rev` names, or `None` if there is none.
    pub(super) fn resolve_commit(&self, rev: &str) -> Result<Option<String>, GitError> {
        check_rev(rev)?;
        let spec = format!("{rev}^{{commit}}");
        let out = self.output(&["rev-parse", "--verify", "--quiet", &spec])?;
        if out.status.success() {
            let oid = String::from_utf8_lossy(&out.stdout).trim().to_string();
            return Ok((!oid.is_empty()).then_some(oid));
        }
        if out.status.code() == Some(1) || out.status.code() == Some(128) {
            return Ok(None);
        }
        Err(failed("rev-parse", &out))
    }
}
