//! A small git repository whose `lint` has findings of most kinds every
//! reporter renders, in tree mode (the head as it is) and in `--base HEAD~1`
//! mode (the head commit's changes), built from fixed texts with the test
//! pack (tests/data/acme-pack.yaml, deployment `managed`: the agent is ACME's,
//! the network shared, the host OS the provider's and the customer's).
//!
//! Tree mode: vendor-owned settings (one allowed inline, one by a waiver),
//! expired, unused and invalid allowances, a parse error, contacts.
//! `--base`: a vendor-owned change (one allowed), shared and provider-owned
//! changes, an unclassified change, a weakening configuration change, the
//! same allowance findings and parse error, contacts.
//! Allowances hold until 2999-12-31 or expired in 2001: nothing depends on
//! today's date.

use std::process::Output;

use super::gitrepo::GitRepo;

/// The judging configuration (the base's): contacts for the agent, a waiver.
pub const CONFIG: &str = "vendor: acme-edge
deployment: managed
packs: [packs/acme.yaml]
contacts:
  - who: [\"@acme/edge-liaison\", \"agent-support@acme.example\"]
    vendor: acme-edge
    area: agent
waivers:
  - paths: [\"talos/pinned.yaml\"]
    area: agent
    reason: ACME pinned this agent
    ref: CHG-9
allowances:
  max_days: 1000000
";

/// The head lowers a severity: a configuration change that weakens the check.
pub const CONFIG_HEAD_EXTRA: &str = "severity:\n  shared-change: note\n";

const CP_BASE: &str = "machine:
  network:
    hostname: edge-1
  install:
    disk: /dev/sda
    extensions:
      - image: reg/acme-agent:v1
cluster:
  clusterName: edge
";

const CP_HEAD: &str = "machine:
  network:
    # demarcate:allow agent -- nothing here
    hostname: edge-2
  install:
    disk: /dev/nvme0n1 # demarcate:allow host-os until=2001-01-01 -- expired approval
    extensions:
      - image: reg/acme-agent:v2
      # demarcate:allow agent ref=CHG-1 until=2999-12-31 -- approved by ACME
      - image: reg/acme-agent:v3
cluster:
  clusterName: edge-muc # demarcate:allow agent until=someday -- bad date
";

const WORKER_BASE: &str = "machine:\n  network:\n    hostname: worker-1\n";

/// Broken in the head: a parse error (and its old setting reported removed).
const WORKER_HEAD: &str = "machine:\n  network: [unclosed\n";

/// Unchanged; waived in the configuration.
const PINNED: &str = "machine:\n  install:\n    extensions:\n      - image: reg/acme-agent:v0\n";

/// A fixed commit for the Markdown links (the real one depends on the clock).
pub const HEAD_SHA: &str = "0123456789abcdef0123456789abcdef01234567";

/// How `lint` looks at the repository.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// The tree as it is.
    Tree,
    /// The changes since `HEAD~1`.
    Base,
}

/// The repository: the base commit, then the head commit with the changes.
pub fn repo() -> GitRepo {
    let pack = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/acme-pack.yaml"),
    )
    .unwrap();
    let repo = GitRepo::with(&[
        ("packs/acme.yaml", &pack),
        (".demarcate.yaml", CONFIG),
        ("talos/cp.yaml", CP_BASE),
        ("talos/worker.yaml", WORKER_BASE),
        ("talos/pinned.yaml", PINNED),
    ]);
    repo.write(".demarcate.yaml", &format!("{CONFIG}{CONFIG_HEAD_EXTRA}"));
    repo.write("talos/cp.yaml", CP_HEAD);
    repo.write("talos/worker.yaml", WORKER_HEAD);
    repo.commit("change");
    repo
}

/// `demarcate lint --format FORMAT --fail-on never` in `mode`, without color,
/// with GitHub's variables for links set to fixed values.
pub fn lint(repo: &GitRepo, mode: Mode, format: &str) -> Output {
    let mut args = vec!["lint", "--format", format, "--fail-on", "never"];
    if let Mode::Base = mode {
        args.extend(["--base", "HEAD~1"]);
    }
    let out = super::process::clean(env!("CARGO_BIN_EXE_demarcate"), repo.dir())
        .args(&args)
        .env("NO_COLOR", "1")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/edge")
        .env("DEMARCATE_HEAD_SHA", HEAD_SHA)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{mode:?} {format}: {}",
        super::process::text(&out)
    );
    out
}
