//! The sidecar's serialised form is a contract with people (who read, diff and merge it) and with
//! every earlier whosaid (whose files must still load). Golden files pin the exact bytes; run
//! `WHOSAID_BLESS=1 cargo test --test sidecar_format` after an intended change, and review the diff.

use std::path::{Path, PathBuf};

use whosaid::config::Config;
use whosaid::detect::Detector;
use whosaid::judgement::{Answer, CheckItem, Status};
use whosaid::review::{Review, Saved, SidecarState, Stamp};
use whosaid::sidecar::{self, SidecarFile, VERSION};

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sidecars")
        .join(name)
}

fn assert_golden(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var_os("WHOSAID_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "{name} differs: run `WHOSAID_BLESS=1 cargo test --test sidecar_format` if intended"
    );
}

/// One file per sidecar version whosaid has written before the current one.
const EARLIER_VERSIONS: &[&str] = &["v1.ron"];

/// Every version whosaid has ever written loads, and is written back as the current version
/// with nothing lost.
#[test]
fn every_earlier_version_loads_and_is_written_back_as_the_current_one() {
    for &old in EARLIER_VERSIONS {
        let text = std::fs::read_to_string(golden(old)).unwrap();
        let file = sidecar::parse(Path::new(old), &text).unwrap();
        assert!(file.version < VERSION);
        let upgraded = SidecarFile {
            version: VERSION,
            ..file.clone()
        };
        let written = sidecar::to_text(&upgraded);
        assert_golden(&old.replace(".ron", ".upgraded.ron"), &written);
        let back = sidecar::parse(Path::new("x"), &written).unwrap();
        assert_eq!(
            back.annotations, file.annotations,
            "nothing lost from {old}"
        );
    }
}

const DRAFT: &str = "\
Port talks stall

The sale could be delayed, according to people familiar with the matter.
An unnamed US official said the fund had not filed. Sources said the union
was not consulted. The harbour master was seen leaving early.
";

fn stamp(who: &str, minute: u32) -> Stamp {
    Stamp {
        author: who.into(),
        now: format!("2026-11-25T10:{minute:02}:00Z"),
    }
}

fn open_in(dir: &Path) -> Review {
    let path = dir.join("draft.md");
    let detector = Detector::new(&Config::default());
    let (mut review, error) = whosaid::review::open_draft(&path, None, Some(&detector)).unwrap();
    assert!(error.is_none());
    review.seed_ids(11);
    review
}

/// The bytes a typical review writes: one record per annotation, sorted by position, with the
/// history of each change, a source marked by hand, and the sign-off.
#[test]
fn a_review_writes_exactly_the_golden_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();
    let mut r = open_in(dir.path());
    assert_eq!(r.sources.len(), 3);
    r.set_status(0, Status::Corroborated, &stamp("ana", 1));
    r.set_check(0, CheckItem::IdentityKnown, Answer::Yes, &stamp("ana", 2));
    r.set_note(
        0,
        "Two people at the port, \"both\" named to the desk.",
        &stamp("ana", 3),
    );
    r.toggle_dismissed(2, &stamp("ben", 4));
    let start = DRAFT.find("The harbour master").unwrap();
    r.add_manual(start, start + "The harbour master".len(), &stamp("ben", 5))
        .unwrap();
    r.sign_off_now(&stamp("chief", 6));
    assert_eq!(r.save().unwrap(), Saved::Written);
    let written = std::fs::read_to_string(dir.path().join("draft.md.sources.ron")).unwrap();
    assert_golden("golden.ron", &written);
    // The documented complete example is this file.
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/sidecar-format.md"),
    )
    .unwrap();
    assert!(
        doc.contains(&format!("```ron\n{written}```")),
        "docs/sidecar-format.md's example is not tests/sidecars/golden.ron"
    );
}

/// Opening and saving without a change leaves the file alone, byte for byte and mtime.
#[test]
fn nothing_changed_means_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();
    let mut r = open_in(dir.path());
    r.set_status(1, Status::Verified, &stamp("ana", 1));
    r.save().unwrap();
    let side = dir.path().join("draft.md.sources.ron");
    let before = (
        std::fs::read(&side).unwrap(),
        std::fs::metadata(&side).unwrap().modified().unwrap(),
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut again = open_in(dir.path());
    assert_eq!(again.save().unwrap(), Saved::Unchanged);
    // Setting what is already set is not a change either.
    again.set_status(1, Status::Verified, &stamp("ben", 2));
    assert_eq!(again.save().unwrap(), Saved::Unchanged);
    let after = (
        std::fs::read(&side).unwrap(),
        std::fs::metadata(&side).unwrap().modified().unwrap(),
    );
    assert_eq!(before, after);
}

/// A field this whosaid does not know (written by a newer one, or by hand) is never dropped: the
/// file is not loaded, so it is never saved over.
#[test]
fn unknown_fields_are_refused_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();
    let side = dir.path().join("draft.md.sources.ron");
    let text = std::fs::read_to_string(golden("golden.ron"))
        .unwrap()
        .replacen("note:", "reviewer: \"desk\",\n            note:", 1);
    std::fs::write(&side, &text).unwrap();
    let path = dir.path().join("draft.md");
    let detector = Detector::new(&Config::default());
    let (mut r, error) = whosaid::review::open_draft(&path, None, Some(&detector)).unwrap();
    let error = error.unwrap().to_string();
    assert!(error.contains("reviewer"), "{error}");
    assert!(matches!(r.sidecar_state(), SidecarState::Blocked(_)));
    r.set_status(0, Status::Disputed, &stamp("ana", 1));
    assert!(r.save().is_err());
    assert_eq!(std::fs::read_to_string(&side).unwrap(), text);
}
