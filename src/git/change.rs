//! One changed file: its path at both ends and how it changed.

/// How a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileStatus {
    /// New: not at the base (also untracked, non-ignored files).
    Added,
    /// At the base and now, under the same path, with other content or type.
    Modified,
    /// At the base, gone now.
    Deleted,
    /// Moved (possibly also edited) from [`FileChange::base_path`].
    Renamed,
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileChange {
    /// The path now, relative to the work tree's top level with `/`; for a
    /// deleted file, the path it had.
    pub path: String,
    /// The path at the base: `None` for an added file, the old path for a rename.
    pub base_path: Option<String>,
    /// How it changed.
    pub status: FileStatus,
}

impl FileChange {
    /// Whether there is content at the base to read.
    pub fn has_base(&self) -> bool {
        self.base_path.is_some()
    }

    /// Whether there is content now (not deleted).
    pub fn has_new(&self) -> bool {
        self.status != FileStatus::Deleted
    }
}
