//! Limits that keep hostile or accidental input (huge files, deep nesting,
//! alias bombs) from exhausting time or memory. Exceeding one is a finding.

/// Resource limits applied while reading files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are skipped with a note.
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and sequences read.
    pub max_depth: usize,
    /// Most nodes one file may produce, aliases expanded.
    pub max_nodes: usize,
    /// Most YAML documents read from one file.
    pub max_documents: usize,
    /// Files with a longer line (in bytes) are skipped with a note.
    pub max_line_bytes: usize,
}

impl Limits {
    /// The highest limits a configuration may set: beyond them recursion
    /// (depth), memory (nodes, documents) or time would no longer be safe.
    pub const CEILING: Limits = Limits {
        max_file_bytes: 64 * 1024 * 1024,
        max_depth: 512,
        max_nodes: 20_000_000,
        max_documents: 1_000_000,
        max_line_bytes: 16 * 1024 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 4 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_documents: 10_000,
            max_line_bytes: 1024 * 1024,
        }
    }
}
