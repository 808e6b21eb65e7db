//! Helpers shared by integration tests (each test file uses some of them).

#![allow(dead_code)]

pub mod acme;
pub mod files;
pub mod gitrepo;
pub mod json_schema;
pub mod process;
pub mod rulegen;
pub mod rulegen_ctx;
