//! Helpers shared by integration tests (each test file uses some of them).

#![allow(dead_code)]

pub mod acme;
pub mod files;
pub mod gitrepo;
pub mod multitool;
pub mod process;
pub mod rulegen;
pub mod rulegen_ctx;
pub mod showcase;
