//! Shared by the hostile-input tests: the hostile repository (the committed
//! `fixtures/hostile/` plus files made at test time) with the finding each
//! case must produce, and running the binary under a time limit.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub mod invariants;
pub mod snapshot;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Text of a file outside the repository that a link points to: it must never be shown.
pub const SECRET: &str = "SECRET-6c1f2a-OUTSIDE-THE-REPOSITORY";

/// What one file must produce.
#[derive(Debug, Clone)]
pub enum Expect {
    /// No `parse-error` or `file-skipped` finding.
    Clean,
    /// Exactly one finding with this code, at this line, with this text in its message.
    Once {
        /// Finding code.
        code: &'static str,
        /// Line, when it is fixed.
        line: Option<u64>,
        /// Part of the message.
        message: &'static str,
    },
    /// The per-file cap: `count` findings, the last one saying the rest are not listed.
    Capped {
        /// Finding code.
        code: &'static str,
        /// Findings reported.
        count: usize,
    },
}

/// A file of the hostile repository and its expected finding.
#[derive(Debug, Clone)]
pub struct Case {
    /// Repository-relative path as the output shows it.
    pub file: String,
    /// What it must produce.
    pub expect: Expect,
}

/// The repository in a temporary folder (with a sibling folder outside it).
pub struct HostileRepo {
    /// Holds `repo/` and `outside/`; removed on drop.
    _dir: tempfile::TempDir,
    root: PathBuf,
    /// Every case, committed or made.
    pub cases: Vec<Case>,
}

impl HostileRepo {
    /// The repository root.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

fn once(file: &str, code: &'static str, line: Option<u64>, message: &'static str) -> Case {
    Case {
        file: file.to_string(),
        expect: Expect::Once {
            code,
            line,
            message,
        },
    }
}

fn clean(file: &str) -> Case {
    Case {
        file: file.to_string(),
        expect: Expect::Clean,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Nine levels of nine aliases, indented.
fn laughs(indent: &str) -> String {
    let mut out = format!("{indent}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        out.push_str(&format!("{indent}a{i}: &a{i} [{refs}]\n"));
    }
    out
}

/// Builds the hostile repository.
pub fn hostile_repo() -> HostileRepo {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile");
    copy_dir(&fixture, &root);
    std::fs::remove_file(root.join("README.md")).unwrap();
    let mut cases = vec![
        once("bombs/laughs.yaml", "parse-error", Some(7), "node budget"),
        once(
            "bombs/flux-helmrelease.yaml",
            "parse-error",
            Some(17),
            "node budget",
        ),
        once(
            "bombs/argo-application.yaml",
            "parse-error",
            Some(17),
            "node budget",
        ),
        once(
            "bombs/talos-inline-manifests.yaml",
            "parse-error",
            Some(14),
            "node budget",
        ),
        once("malformed.yaml", "parse-error", Some(5), "flow mapping"),
        once("malformed.tf", "parse-error", Some(4), "HCL"),
        once(
            "control-chars.yaml",
            "parse-error",
            Some(2),
            "control character U+001B",
        ),
        clean("cr-only.yaml"),
        clean("crlf.yaml"),
        clean("good/talos/edgehostlet.yaml"),
        clean("good/terraform/edge.tf"),
        clean("good/stec/edgeimage.yaml"),
    ];

    // Embedded documents share the file's budget: a first document (of no
    // known format) spends most of it on aliases, then twelve Applications
    // of 30,000 nodes each go over it once, and only once.
    let apps = format!(
        "first: &f [{}]\nagain: [{}]\n",
        vec!["x"; 1_000].join(", "),
        vec!["*f"; 940].join(", ")
    );
    let values = format!("[{}]", vec!["x"; 30_000].join(","));
    let apps = apps + &(0..12)
        .map(|i| {
            format!(
                "---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app{i}\nspec:\n  source:\n    chart: podinfo\n    helm:\n      values: |\n        list: {values}\n"
            )
        })
        .collect::<String>();
    write(&root, "bombs/shared-budget.yaml", apps);
    cases.push(once(
        "bombs/shared-budget.yaml",
        "parse-error",
        Some(24),
        "node budget",
    ));

    // One anchored string of 512 KiB, aliased 400,000 times.
    let text = format!(
        "big: &b \"{}\"\nmany:\n{}",
        "x".repeat(1 << 19),
        "- *b\n".repeat(400_000)
    );
    write(&root, "bombs/alias-text.yaml", text);
    cases.push(once(
        "bombs/alias-text.yaml",
        "parse-error",
        None,
        "node budget",
    ));

    // 100 nested anchors around 300,000 items: each anchor copies what it holds.
    let mut nest = String::from("n: ");
    for i in 0..100 {
        nest.push_str(&format!("&n{i} ["));
    }
    nest.push_str(&vec!["x"; 300_000].join(",\n "));
    nest.push_str(&"]".repeat(100));
    nest.push('\n');
    write(&root, "bombs/anchor-nest.yaml", nest);
    cases.push(once(
        "bombs/anchor-nest.yaml",
        "parse-error",
        None,
        "node budget",
    ));

    // 60 levels of 1,000-byte keys above 30,000 leaves: every key path repeats them.
    let mut deep_keys = String::new();
    for level in 0..60 {
        deep_keys.push_str(&" ".repeat(level));
        deep_keys.push_str(&format!("k{level}{}:\n", "k".repeat(1000)));
    }
    deep_keys.push_str(&" ".repeat(60));
    deep_keys.push('{');
    for i in 0..30_000 {
        deep_keys.push_str(&format!("v{i}: 1,"));
        if i % 1000 == 999 {
            deep_keys.push('\n');
            deep_keys.push_str(&" ".repeat(61));
        }
    }
    deep_keys.push_str("}\n");
    write(&root, "values-long-keys.yaml", deep_keys);
    cases.push(once(
        "values-long-keys.yaml",
        "parse-error",
        None,
        "the settings of this file take more than",
    ));

    // 50,000 duplicate keys: the first problems and a count of the rest.
    let dups: String = (0..50_000).map(|_| "machine: {}\n").collect();
    write(&root, "dup-keys.yaml", dups);
    cases.push(Case {
        file: "dup-keys.yaml".into(),
        expect: Expect::Capped {
            code: "parse-error",
            count: 21,
        },
    });

    // Nesting 10,000 deep: YAML, JSON in YAML, HCL.
    write(
        &root,
        "deep.yaml",
        format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    cases.push(once("deep.yaml", "parse-error", Some(1), ""));
    write(
        &root,
        "deep-json.yaml",
        format!("{}1{}\n", "{\"a\": ".repeat(10_000), "}".repeat(10_000)),
    );
    cases.push(once("deep-json.yaml", "parse-error", Some(1), ""));
    write(
        &root,
        "deep.tf",
        format!("x = {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    cases.push(once("deep.tf", "parse-error", Some(1), "nesting"));

    // 20,000 documents in one file.
    write(&root, "many-docs.yaml", "---\nmachine: {}\n".repeat(20_000));
    cases.push(once(
        "many-docs.yaml",
        "parse-error",
        Some(20_001),
        "more than 10000 documents",
    ));

    // Big, long and heavy files.
    write(&root, "big.yaml", "machine: {}\n".repeat(440_000));
    cases.push(once("big.yaml", "file-skipped", Some(1), "byte limit"));
    write(
        &root,
        "long-line.yaml",
        format!("machine: \"{}\"\n", "x".repeat(2 << 20)),
    );
    cases.push(once("long-line.yaml", "file-skipped", Some(1), "line 1 is"));
    write(
        &root,
        "heredoc-mb.tf",
        format!(
            "locals {{\n  script = <<EOT\n{}EOT\n}}\n",
            "echo 'a line of a long script'\n".repeat(100_000)
        ),
    );
    cases.push(clean("heredoc-mb.tf"));
    let heredocs: String = (0..20_000)
        .map(|i| format!("a{i} = <<D{i}\nD{i}\n"))
        .collect();
    write(&root, "heredocs-endless.tf", heredocs);
    cases.push(once(
        "heredocs-endless.tf",
        "file-skipped",
        None,
        "heredocs without their end line",
    ));
    let object: Vec<String> = (0..50_000).map(|i| format!("k{i} = \"é{i}\"")).collect();
    write(
        &root,
        "object-50k.tf",
        format!("locals {{\n  x = {{{}}}\n}}\n", object.join(", ")),
    );
    cases.push(once(
        "object-50k.tf",
        "file-skipped",
        Some(2),
        "over the limit for HCL objects",
    ));
    write(
        &root,
        "wide.tf",
        format!(
            "locals {{\n  wide = [{}]\n}}\n",
            vec!["\"é\""; 50_000].join(", ")
        ),
    );
    cases.push(clean("wide.tf"));

    // Many embedded documents and merge keys: linear, read in full.
    let manifests: String = (0..10_000)
        .map(|i| format!("    - name: m{i}\n      contents: |\n        a: {i}\n"))
        .collect();
    write(
        &root,
        "many-manifests.yaml",
        format!(
            "version: v1alpha1\nmachine:\n  type: worker\ncluster:\n  inlineManifests:\n{manifests}"
        ),
    );
    cases.push(clean("many-manifests.yaml"));
    let base: String = (0..20_000).map(|i| format!("  k{i}: {i}\n")).collect();
    write(
        &root,
        "values.yaml",
        format!("base: &base\n{base}merged:\n  <<: [*base, *base]\n  extra: 1\n"),
    );
    cases.push(clean("values.yaml"));

    // Bytes that are not text.
    let mut nul = "machine:\n  network:\n".to_string().into_bytes();
    for i in 0..1_000 {
        nul.extend_from_slice(format!("    k{i}: value\n").as_bytes());
    }
    nul.extend_from_slice(b"    hostname: ed\0ge\n");
    write(&root, "nul-late.yaml", nul);
    cases.push(once("nul-late.yaml", "file-skipped", Some(1_003), "NUL"));
    write(&root, "binary.yaml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    cases.push(once("binary.yaml", "file-skipped", Some(3), "binary"));
    write(
        &root,
        "latin1.yaml",
        b"machine:\n  network:\n    hostname: h\xf6st\n",
    );
    cases.push(once("latin1.yaml", "file-skipped", Some(3), "not UTF-8"));

    // The file system: links, permissions, special files, names.
    special_files(dir.path(), &root, &mut cases);

    HostileRepo {
        _dir: dir,
        root,
        cases,
    }
}

#[cfg(unix)]
fn special_files(dir: &Path, root: &Path, cases: &mut Vec<Case>) {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::{PermissionsExt, symlink};

    write(
        dir,
        "outside/secret.yaml",
        format!("machine:\n  token: {SECRET}\n"),
    );
    symlink(dir.join("outside/secret.yaml"), root.join("escape.yaml")).unwrap();
    cases.push(once(
        "escape.yaml",
        "file-skipped",
        Some(1),
        "outside the repository",
    ));
    symlink("loop.yaml", root.join("loop.yaml")).unwrap();
    cases.push(once(
        "loop.yaml",
        "file-skipped",
        Some(1),
        "cannot be resolved",
    ));
    symlink("/dev/zero", root.join("zero.yaml")).unwrap();
    cases.push(once(
        "zero.yaml",
        "file-skipped",
        Some(1),
        "outside the repository",
    ));

    write(root, "unreadable.yaml", "machine: {}\n");
    let path = root.join("unreadable.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading; the file is fine.
        cases.push(clean("unreadable.yaml"));
    } else {
        cases.push(once(
            "unreadable.yaml",
            "file-skipped",
            Some(1),
            "could not be read",
        ));
    }

    let fifo = Command::new("mkfifo").arg(root.join("pipe.yaml")).status();
    if fifo.is_ok_and(|s| s.success()) {
        cases.push(once(
            "pipe.yaml",
            "file-skipped",
            Some(1),
            "not a regular file",
        ));
    }

    // Ignore files and Chart.yaml files that are links, FIFOs or huge: the
    // folder's files are still read; the ignore file is noted.
    std::fs::create_dir_all(root.join("ignore-zero")).unwrap();
    symlink("/dev/zero", root.join("ignore-zero/.gitignore")).unwrap();
    write(root, "ignore-zero/kept.yaml", "machine:\n  type: worker\n");
    cases.push(once(
        "ignore-zero/.gitignore",
        "file-skipped",
        Some(1),
        "ignore file is a symlink; not followed",
    ));
    cases.push(clean("ignore-zero/kept.yaml"));
    write(root, "ignore-big/.gitignore", "*.yaml\n".repeat(300_000));
    write(root, "ignore-big/kept.yaml", "machine:\n  type: worker\n");
    cases.push(once(
        "ignore-big/.gitignore",
        "file-skipped",
        Some(1),
        "byte limit; not read; its ignore patterns are not applied",
    ));
    cases.push(clean("ignore-big/kept.yaml"));
    write(
        dir,
        "outside/Chart.yaml",
        format!("apiVersion: v2\nname: {SECRET}\n"),
    );
    write(root, "chart-out/values.yaml", "image:\n  tag: \"1.0\"\n");
    symlink(
        dir.join("outside/Chart.yaml"),
        root.join("chart-out/Chart.yaml"),
    )
    .unwrap();
    cases.push(once(
        "chart-out/Chart.yaml",
        "file-skipped",
        Some(1),
        "outside the repository",
    ));
    cases.push(clean("chart-out/values.yaml"));
    write(root, "chart-zero/values.yaml", "image:\n  tag: \"1.0\"\n");
    symlink("/dev/zero", root.join("chart-zero/Chart.yaml")).unwrap();
    cases.push(once(
        "chart-zero/Chart.yaml",
        "file-skipped",
        Some(1),
        "outside the repository",
    ));
    cases.push(clean("chart-zero/values.yaml"));
    std::fs::create_dir_all(root.join("ignore-fifo")).unwrap();
    write(root, "ignore-fifo/kept.yaml", "machine:\n  type: worker\n");
    write(root, "chart-fifo/values.yaml", "image:\n  tag: \"1.0\"\n");
    let fifos = Command::new("mkfifo")
        .arg(root.join("ignore-fifo/.ignore"))
        .arg(root.join("chart-fifo/Chart.yaml"))
        .status();
    if fifos.is_ok_and(|s| s.success()) {
        cases.push(once(
            "ignore-fifo/.ignore",
            "file-skipped",
            Some(1),
            "not a regular file; not read; its ignore patterns are not applied",
        ));
        cases.push(once(
            "chart-fifo/Chart.yaml",
            "file-skipped",
            Some(1),
            "not a regular file",
        ));
    }
    cases.push(clean("ignore-fifo/kept.yaml"));
    cases.push(clean("chart-fifo/values.yaml"));

    let name = OsStr::from_bytes(b"bad-\xff.yaml");
    std::fs::write(root.join(name), "machine: {}\n").unwrap();
    cases.push(once(
        "bad-\u{FFFD}.yaml",
        "file-skipped",
        Some(1),
        "not UTF-8",
    ));
}

#[cfg(not(unix))]
fn special_files(_: &Path, _: &Path, _: &mut Vec<Case>) {}

/// What a run of the binary printed.
pub struct Output {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// The longest a run may take before the test fails (a hang must not block CI).
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Runs the binary in `dir` with `args`, killing it after [`TIME_LIMIT`].
pub fn run_demarcate(dir: &Path, args: &[&str]) -> Output {
    run_with(dir, args, &[])
}

/// As [`run_demarcate`], with extra environment variables.
pub fn run_with(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_demarcate"));
    cmd.current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut s).unwrap();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("demarcate {args:?} took longer than {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}
