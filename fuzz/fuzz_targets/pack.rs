//! Fuzz target: loading a rule pack from text (problems or a pack, never a panic).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = demarcate::packs::load::load(text, "fuzz.yaml");
    }
});
