//! demarcate: a policy-as-code linter that maps infrastructure settings
//! (Helm values, Talos machine configs, Kubernetes manifests, Terraform) to
//! the areas of a vendor's shared-responsibility model, and flags changes to
//! areas the vendor owns.
//!
//! The pipeline: [`discover`] files → [`formats`] parse them into
//! [`setting::Setting`]s → classify → diff → findings → allowances →
//! [`report`]. [`scan`] runs the shared first stages for every command.
//!
//! `ARCHITECTURE.md` at the repository root describes the pipeline, the
//! layers, the invariants and the stable contracts.

pub mod allow;
pub mod baseline;
pub mod classify;
pub mod cli;
pub mod config;
pub mod contacts;
pub mod diff;
pub mod discover;
pub mod explain;
pub mod finding;
pub mod findings;
pub mod formats;
pub mod git;
pub mod ignores;
pub mod init;
pub mod inventory;
pub mod keypath;
pub mod layout;
pub mod limits;
pub mod lint;
pub mod models;
pub mod packs;
pub mod packtest;
pub mod report;
pub mod revision;
pub mod scan;
pub mod session;
pub mod setting;
pub mod source;
pub mod typed;
pub mod workspace;
