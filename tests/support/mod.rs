//! Helpers shared by integration tests.

pub mod json_schema;
