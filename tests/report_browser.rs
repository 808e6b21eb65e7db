//! The HTML report in a real browser: headless Chromium loads the report of
//! the example repository from disk (no network), its DOM must hold the
//! treemap and the tables, and its screenshot must show the treemap's
//! colours. Skipped with a message when Chromium is missing, unless
//! `DEMARCATE_REQUIRE_CHROMIUM=1` (CI sets it), which makes a missing
//! browser a failure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Bin;
use serde_json::Value;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Runs the browser on a file with extra arguments (bounded in time, no network, no profile).
fn browse(browser: &Path, profile: &Path, page: &Path, extra: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("timeout");
    cmd.arg("120")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()));
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn report(format: &str, output: &Path) {
    let out = Bin::cargo_bin("demarcate")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["report", "fixtures/example", "--format", format, "--output"])
        .arg(output)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_html_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("DEMARCATE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "DEMARCATE_REQUIRE_CHROMIUM=1 but chromium is not installed (apt-get install chromium)"
        );
        eprintln!(
            "skipped: chromium is not installed; set DEMARCATE_REQUIRE_CHROMIUM=1 to make this a failure"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let data = dir.path().join("report.json");
    report("html", &page);
    report("json", &data);
    let inv: Value = serde_json::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap();
    let profile = dir.path().join("profile");

    let dom = String::from_utf8(browse(&browser, &profile, &page, &["--dump-dom"]).stdout).unwrap();
    assert!(
        dom.contains("<svg") && dom.contains("id=\"treemap\""),
        "{dom}"
    );
    // One file group per file with settings, one party row per party, one area row and article per area.
    let files = inv["files"].as_array().unwrap().len();
    assert_eq!(dom.matches("<g class=\"file\">").count(), files);
    for (i, p) in inv["parties"].as_array().unwrap().iter().enumerate() {
        let row = format!("<tr id=\"party-{i}\">");
        let at = dom.find(&row).unwrap_or_else(|| panic!("no {row}"));
        let owner = p["owner"].as_str().unwrap();
        assert!(dom[at..].contains(owner), "{owner}");
    }
    let areas = inv["areas"].as_array().unwrap().len();
    assert_eq!(
        dom.matches("<article class=\"area\" id=\"area-").count(),
        areas
    );
    assert!(dom.contains("EdgeHostLet"));

    let shot = dir.path().join("report.png");
    browse(
        &browser,
        &profile,
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
        ],
    );
    let decoder = png::Decoder::new(std::fs::File::open(&shot).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 2000));
    let bytes = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let colours: HashSet<&[u8]> = bytes.chunks(step).map(|p| &p[..3]).collect();
    assert!(
        colours.len() > 10,
        "the screenshot is blank: {} colours",
        colours.len()
    );
    // The treemap was painted: the first party's colour (#4e79a7) is on screen.
    assert!(
        colours.contains(&[0x4e, 0x79, 0xa7][..]),
        "no treemap colour in the screenshot"
    );
}
