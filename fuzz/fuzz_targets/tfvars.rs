//! Fuzz target: `scan::parse_bytes` on a `.tfvars` file, with the shared invariants.

#![no_main]

#[path = "../../tests/common/invariants.rs"]
mod invariants;

use demarcate::formats::FileKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    invariants::check_file(data, FileKind::Tfvars, &invariants::small_limits());
});
