//! Fuzz target: reading `.demarcate.yaml` from text (problems or a configuration, never a panic).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(config) = demarcate::config::load_text(
            text,
            Path::new("repo/.demarcate.yaml"),
            ".demarcate.yaml",
            "",
        ) {
            let ceiling = demarcate::limits::Limits::CEILING;
            assert!(config.limits.max_depth <= ceiling.max_depth);
            assert!(config.limits.max_nodes <= ceiling.max_nodes);
            assert!(config.limits.max_file_bytes <= ceiling.max_file_bytes);
        }
    }
});
