//! Reading many blobs through one `git cat-file --batch` process: the
//! object names are written by a helper thread while the answers are read,
//! so neither pipe can fill up and stall the other.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::{ChildStdin, Stdio};
use std::thread;

use super::{GitError, Repo, check_rev};

/// Which content to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobSpec<'a> {
    /// A file at a commit (`<rev>:<path>`); pass a full object id, such as
    /// [`Repo::merge_base`] returns.
    AtRevision {
        /// The commit.
        rev: &'a str,
        /// Path relative to the top level, with `/`.
        path: &'a str,
    },
    /// A file's staged content: stage 0 of the index (`:0:<path>`).
    Index {
        /// Path relative to the top level, with `/`.
        path: &'a str,
    },
}

impl BlobSpec<'_> {
    /// The object name `cat-file` reads, one per line.
    fn object_name(&self) -> Result<String, GitError> {
        let (name, path) = match self {
            BlobSpec::AtRevision { rev, path } => {
                check_rev(rev)?;
                (format!("{rev}:{path}"), path)
            }
            BlobSpec::Index { path } => (format!(":0:{path}"), path),
        };
        // The batch protocol is line based; git drops a trailing CR.
        if path.contains('\n') || path.ends_with('\r') {
            return Err(GitError::UnsupportedPath {
                path: path.to_string(),
            });
        }
        Ok(name)
    }
}

/// The content read for one [`BlobSpec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blob {
    /// The bytes of the file.
    Found(Vec<u8>),
    /// No such file at that revision or stage (or the object is not here).
    Missing,
    /// The path names something other than a file (a folder).
    NotBlob,
    /// The file is larger than the limit (its size); not read.
    TooLarge(u64),
}

impl Repo {
    /// Reads the blobs named by `specs`, in order, with one `git cat-file
    /// --batch` process. Blobs over `max_bytes` are not read into memory.
    pub fn read_blobs(
        &self,
        specs: &[BlobSpec<'_>],
        max_bytes: u64,
    ) -> Result<Vec<Blob>, GitError> {
        let capped: Vec<(BlobSpec<'_>, u64)> = specs.iter().map(|s| (*s, max_bytes)).collect();
        self.read_blobs_capped(&capped)
    }

    /// As [`Repo::read_blobs`], with a limit for each blob: blobs of
    /// different kinds (changed files, `Chart.yaml` files) read by one process.
    pub fn read_blobs_capped(&self, specs: &[(BlobSpec<'_>, u64)]) -> Result<Vec<Blob>, GitError> {
        let names = specs
            .iter()
            .map(|(spec, _)| spec.object_name())
            .collect::<Result<Vec<_>, _>>()?;
        let limits: Vec<u64> = specs.iter().map(|(_, max)| *max).collect();
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let args = ["cat-file", "--batch", "--buffer"];
        let mut child = self
            .command(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| self.spawn_error(&args, e))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(io_error(io::Error::other("pipes not set up")));
        };
        let (read, written, message) = thread::scope(|s| {
            let writer = s.spawn(move || write_names(stdin, &names));
            let errors = s.spawn(move || {
                let mut text = String::new();
                let _ = BufReader::new(stderr)
                    .take(64 * 1024)
                    .read_to_string(&mut text);
                text
            });
            let read = read_answers(stdout, &limits);
            if read.is_err() {
                let _ = child.kill();
            }
            let written = writer
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("writer panicked")));
            (read, written, errors.join().unwrap_or_default())
        });
        let status = child.wait().map_err(io_error)?;
        match read {
            Ok(blobs) if status.success() => {
                written.map_err(io_error)?;
                Ok(blobs)
            }
            Ok(_) => Err(GitError::Failed {
                command: "cat-file --batch".to_string(),
                message: or_status(message, status),
            }),
            Err(e) if !message.trim().is_empty() => Err(GitError::Failed {
                command: "cat-file --batch".to_string(),
                message: format!("{}; {e}", message.trim()),
            }),
            Err(e) => Err(e),
        }
    }
}

fn io_error(source: io::Error) -> GitError {
    GitError::Io {
        command: "cat-file --batch".to_string(),
        source,
    }
}

fn or_status(message: String, status: std::process::ExitStatus) -> String {
    let message = message.trim().to_string();
    if message.is_empty() {
        format!("exited with {status}")
    } else {
        message
    }
}

/// Writes one object name per line, then closes git's input.
fn write_names(stdin: ChildStdin, names: &[String]) -> io::Result<()> {
    let mut w = BufWriter::new(stdin);
    for name in names {
        w.write_all(name.as_bytes())?;
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// Reads one answer per limit in `limits` (the most bytes read of that
/// blob): `<oid> <type> <size>\n<content>\n`, or `<name> missing\n` (and
/// other one-word verdicts such as `ambiguous`).
fn read_answers(stdout: impl Read, limits: &[u64]) -> Result<Vec<Blob>, GitError> {
    let unexpected = |detail: String| GitError::Unexpected {
        command: "cat-file --batch".to_string(),
        detail,
    };
    let mut r = BufReader::with_capacity(64 * 1024, stdout);
    let mut blobs = Vec::with_capacity(limits.len());
    let mut header = Vec::new();
    for &max_bytes in limits {
        header.clear();
        r.read_until(b'\n', &mut header).map_err(io_error)?;
        if header.pop() != Some(b'\n') {
            return Err(unexpected(
                "git stopped before answering every request".to_string(),
            ));
        }
        let line = String::from_utf8_lossy(&header);
        let mut fields = line.rsplitn(3, ' ');
        let last = fields.next().unwrap_or_default();
        let Ok(size) = last.parse::<u64>() else {
            // `<name> missing`, `<name> ambiguous`: nothing follows.
            blobs.push(Blob::Missing);
            continue;
        };
        let kind = fields.next().unwrap_or_default();
        if fields.next().is_none() {
            return Err(unexpected(format!("header `{line}`")));
        }
        let blob = if kind != "blob" {
            skip(&mut r, size)?;
            Blob::NotBlob
        } else if size > max_bytes {
            skip(&mut r, size)?;
            Blob::TooLarge(size)
        } else {
            let len = usize::try_from(size).map_err(|_| unexpected(format!("size {size}")))?;
            let mut bytes = vec![0; len];
            r.read_exact(&mut bytes).map_err(io_error)?;
            Blob::Found(bytes)
        };
        let mut newline = [0u8; 1];
        r.read_exact(&mut newline).map_err(io_error)?;
        if newline != *b"\n" {
            return Err(unexpected("content not followed by a newline".to_string()));
        }
        blobs.push(blob);
    }
    Ok(blobs)
}

/// Reads and drops `size` bytes.
fn skip(r: &mut impl Read, size: u64) -> Result<(), GitError> {
    let copied = io::copy(&mut r.take(size), &mut io::sink()).map_err(io_error)?;
    if copied != size {
        return Err(io_error(io::Error::from(io::ErrorKind::UnexpectedEof)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_found_missing_and_other_answers() {
        let out: &[u8] = b"1111 blob 5\nhello\n:0:a b.yaml missing\n2222 tree 3\nabc\n3333 blob 4\nbig!\nHEAD:x ambiguous\n";
        let blobs = read_answers(out, &[4; 5]).unwrap();
        assert_eq!(
            blobs,
            vec![
                Blob::TooLarge(5),
                Blob::Missing,
                Blob::NotBlob,
                Blob::Found(b"big!".to_vec()),
                Blob::Missing
            ]
        );
    }

    #[test]
    fn short_output_is_an_error() {
        let out: &[u8] = b"1111 blob 5\nhel";
        assert!(read_answers(out, &[100]).is_err());
        let out: &[u8] = b"1111 blob 1\nx\n";
        assert!(matches!(
            read_answers(out, &[100, 100]),
            Err(GitError::Unexpected { .. })
        ));
    }

    #[test]
    fn object_names_refuse_newlines_and_options() {
        let spec = BlobSpec::Index { path: "a\nb.yaml" };
        assert!(matches!(
            spec.object_name(),
            Err(GitError::UnsupportedPath { .. })
        ));
        let spec = BlobSpec::AtRevision {
            rev: "--output=x",
            path: "a.yaml",
        };
        assert!(matches!(
            spec.object_name(),
            Err(GitError::InvalidRevision { .. })
        ));
        let spec = BlobSpec::Index { path: "1:odd.yaml" };
        assert_eq!(spec.object_name().unwrap(), ":0:1:odd.yaml");
    }
}
