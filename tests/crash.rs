//! Crash safety of saves: a process saving a sidecar is killed with SIGKILL at random moments,
//! hundreds of times, and the sidecar on disk must always be the complete old version or the
//! complete new one.

#![cfg(unix)]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use whosaid::detect::Severity;
use whosaid::judgement::Status;
use whosaid::sidecar::{self, Anchor, Annotation, OnDisk, SidecarFile};

const CHILD_ENV: &str = "WHOSAID_SAVE_LOOP_DIR";
const KILLS: usize = 200;

/// A sidecar big enough (about 1.5 MB) that a kill often lands in the middle of writing it.
fn version(which: Status) -> SidecarFile {
    let annotations = (0..1500)
        .map(|i| Annotation {
            id: format!("{i:012x}"),
            anchor: Anchor {
                start: i * 100,
                end: i * 100 + 20,
                quote: "a senior official".into(),
                prefix: "the talks had stalled, said ".into(),
                suffix: " on Tuesday, adding that".into(),
                detached: false,
            },
            origin: "anon.descriptor".into(),
            severity: Severity::Medium,
            status: which,
            before_dismissal: None,
            checklist: Default::default(),
            note: format!("note {i} for the {which} version"),
            author: "crash-test".into(),
            created: "2026-11-25T10:00:00Z".into(),
            updated: "2026-11-25T10:00:00Z".into(),
            history: vec![],
            conflict: None,
        })
        .collect();
    SidecarFile {
        version: 2,
        sign_off: None,
        annotations,
    }
}

/// Run only as the child of `a_kill_during_a_save_never_leaves_a_broken_sidecar`: saves the two
/// versions alternately until it is killed.
#[test]
#[ignore = "the child process of the crash test"]
fn save_loop_child() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let path = Path::new(&dir).join("draft.md.sources.ron");
    let versions = [version(Status::Verified), version(Status::Disputed)];
    let (_, mut on_disk) = sidecar::load(&path).unwrap_or((versions[0].clone(), OnDisk::Missing));
    let first: usize = std::env::var("WHOSAID_SAVE_LOOP_FIRST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for k in first.. {
        on_disk = sidecar::save(&path, &versions[k % 2], &on_disk).expect("save");
    }
}

#[test]
fn a_kill_during_a_save_never_leaves_a_broken_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md.sources.ron");
    let old = version(Status::Verified);
    let new = version(Status::Disputed);
    let mut rng = fastrand::Rng::with_seed(20261125);
    let (mut seen_old, mut seen_new, mut seen_missing) = (0, 0, 0);
    for _ in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "save_loop_child",
                "--test-threads",
                "1",
            ])
            .env(CHILD_ENV, dir.path())
            .env("WHOSAID_SAVE_LOOP_FIRST", rng.usize(0..2).to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.u64(5_000..150_000)));
        child.kill().unwrap(); // SIGKILL: no destructors, no flushing, nothing.
        child.wait().unwrap();
        if !path.exists() {
            seen_missing += 1;
            assert_eq!(
                seen_old + seen_new,
                0,
                "the sidecar vanished after being written"
            );
            continue;
        }
        match sidecar::load(&path) {
            Ok((file, _)) if file == old => seen_old += 1,
            Ok((file, _)) if file == new => seen_new += 1,
            Ok((file, _)) => {
                let first = file
                    .annotations
                    .iter()
                    .zip(&old.annotations)
                    .position(|(a, b)| a != b);
                panic!(
                    "the sidecar is neither the old nor the new version: {} annotations, first difference at {first:?}: {:?}",
                    file.annotations.len(),
                    first.map(|i| &file.annotations[i])
                )
            }
            Err(e) => panic!("a kill left a broken sidecar: {e}"),
        }
    }
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    eprintln!(
        "{KILLS} kills: old version {seen_old}, new version {seen_new}, none yet {seen_missing}; {leftovers} temporary files left by kills mid-write"
    );
    assert!(
        seen_old + seen_new > KILLS / 2,
        "most kills should land after a first save"
    );
}
