//! The engine's judging of settings into findings: [`judge`] (which code a
//! change or a setting earns), [`ends`] (both ends of a change classified)
//! and [`tree`] (tree-mode notes). The finding data types live in the core
//! module [`crate::finding`] and are re-exported here for the engine and the
//! reporters; modules below the engine import them from there
//! (ARCHITECTURE.md section 2).

pub mod ends;
pub mod judge;
pub mod tree;

pub use crate::finding::{Allowed, AreaRef, ChangeKind, Code, Finding, Severity};
