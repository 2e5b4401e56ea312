use std::path::Path;

use super::*;
use crate::config::Config;
use crate::detect::Detector;

fn stamp() -> Stamp {
    Stamp {
        author: "ana".into(),
        now: "2026-11-25T09:00:00Z".into(),
    }
}

fn review_of(text: &str) -> Review {
    let article = Article::new(Path::new("draft.md"), text.to_owned());
    let findings = Detector::new(&Config::default()).detect(text);
    let empty = Ok((SidecarFile::empty(), OnDisk::Missing));
    let (mut r, err) = Review::open(article, findings, empty);
    assert!(err.is_none());
    r.seed_ids(7);
    r
}

const TEXT: &str = "Sources said the port would close. A senior official said it would not.\n";

#[test]
fn counts_are_per_source() {
    let mut r = review_of(TEXT);
    assert_eq!(
        r.counts(),
        Counts {
            sources: 2,
            tagged: 0,
            untagged: 2,
            dismissed: 0,
            out_of_scale: 0
        }
    );
    assert!(r.set_status(0, Status::Corroborated, &stamp()));
    assert!(r.toggle_dismissed(1, &stamp()));
    assert_eq!(
        r.counts(),
        Counts {
            sources: 2,
            tagged: 1,
            untagged: 0,
            dismissed: 1,
            out_of_scale: 0
        }
    );
    assert!(r.is_dirty());
}

#[test]
fn dismiss_twice_restores_previous_status() {
    let mut r = review_of(TEXT);
    r.set_status(0, Status::Unverified, &stamp());
    r.toggle_dismissed(0, &stamp());
    assert_eq!(r.status(0), Status::Dismissed);
    r.toggle_dismissed(0, &stamp());
    assert_eq!(r.status(0), Status::Unverified);
}

#[test]
fn touching_without_change_leaves_no_annotation() {
    let mut r = review_of(TEXT);
    assert!(!r.set_status(0, Status::Untagged, &stamp()));
    assert!(!r.set_note(1, "  ", &stamp()));
    assert!(r.annotations.is_empty());
    assert!(!r.is_dirty());
}

#[test]
fn reopening_reattaches_and_keeps_orphans() {
    let mut r = review_of(TEXT);
    r.set_status(1, Status::Verified, &stamp());
    r.set_note(1, "Desk knows the name.", &stamp());
    let mut file = r.to_sidecar();
    // A second annotation whose quote has been edited out of the draft.
    let mut gone = file.annotations[0].clone();
    gone.id = "deadbeef0000".into();
    gone.anchor.quote = "a cabinet minister".into();
    gone.anchor.start = 5;
    gone.anchor.end = 23;
    file.annotations.push(gone.clone());

    // The draft gains a paragraph before the judged sentence: the annotation follows its text.
    let edited = format!("New intro paragraph.\n\n{TEXT}");
    let article = Article::new(Path::new("draft.md"), edited.clone());
    let findings = Detector::new(&Config::default()).detect(&edited);
    let (r2, _) = Review::open(article, findings, Ok((file, OnDisk::Missing)));
    assert_eq!(r2.sources.len(), 2);
    assert_eq!(r2.status(1), Status::Verified);
    assert_eq!(r2.annotation(1).unwrap().note, "Desk knows the name.");
    let s = &r2.sources[1];
    assert_eq!(&edited[s.start..s.end], "A senior official");
    // The stored position is a hint, rewritten only when the annotation itself changes.
    let stored = &r2.annotation(1).unwrap().anchor;
    assert_eq!(&TEXT[stored.start..stored.end], "A senior official");
    assert_eq!(r2.orphans().len(), 1);
    assert!(
        r2.to_sidecar().annotations.contains(&gone),
        "orphaned annotation written back unchanged"
    );
}

#[test]
fn annotation_survives_when_detector_stops_flagging() {
    let mut r = review_of(TEXT);
    r.set_status(0, Status::Disputed, &stamp());
    let file = r.to_sidecar();
    let article = Article::new(Path::new("draft.md"), TEXT.to_owned());
    let (r2, _) = Review::open(article, vec![], Ok((file, OnDisk::Missing)));
    assert_eq!(r2.sources.len(), 1);
    assert_eq!(r2.status(0), Status::Disputed);
    assert_eq!(r2.sources[0].rule, "anon.impersonal");
}

#[test]
fn blocked_sidecar_refuses_to_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    let side = crate::sidecar::path_for(&path);
    let broken = "(version: 1, annotations: [oops])";
    // On disk too: a save reads it again, and refuses while it is still broken.
    std::fs::write(&side, broken).unwrap();
    let article = Article::new(&path, TEXT.to_owned());
    let err = crate::sidecar::parse(&side, broken).unwrap_err();
    let (mut r, shown) = Review::open(article, vec![], Err(err));
    assert!(shown.is_some());
    r.sources.push(Source {
        start: 0,
        end: 7,
        rule: "anon.impersonal".into(),
        severity: Severity::High,
        why: crate::detect::Why::Manual,
        group: None,
        signals: None,
        annotation: None,
    });
    r.set_status(0, Status::Verified, &stamp());
    assert!(matches!(r.save(), Err(SaveError::Unreadable(_))));
    assert!(r.is_dirty(), "work stays in memory");
    assert_eq!(
        std::fs::read_to_string(&side).unwrap(),
        broken,
        "never overwritten"
    );
}

#[test]
fn save_writes_sorted_sidecar_and_skips_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, TEXT).unwrap();
    let article = Article::load(&path).unwrap();
    let findings = Detector::new(&Config::default()).detect(article.text());
    let (mut r, _) = Review::load(article, findings);
    assert_eq!(r.save().unwrap(), Saved::Unchanged);
    assert!(
        !r.sidecar_path().exists(),
        "no empty sidecar for an untouched draft"
    );
    r.set_status(1, Status::Verified, &stamp());
    r.set_status(0, Status::SingleSource, &stamp());
    assert_eq!(r.save().unwrap(), Saved::Written);
    let (file, _) = crate::sidecar::load(r.sidecar_path()).unwrap();
    let starts: Vec<usize> = file.annotations.iter().map(|a| a.anchor.start).collect();
    assert_eq!(starts, [0, 35]);
    assert!(!r.is_dirty());
}

/// Undo and redo take the quick way when they can (one annotation, one source's link) and end
/// exactly where placing every annotation again would: the same links, places and sources.
#[test]
fn quick_undo_and_redo_match_a_full_rebuild() {
    let text = "Sources said the port would close. A senior official said it would not. \
                People familiar with the talks agreed.\n";
    let mut r = review_of(text);
    let links = |r: &Review| -> Vec<(usize, usize, Option<usize>)> {
        r.sources
            .iter()
            .map(|s| (s.start, s.end, s.annotation))
            .collect()
    };
    let rebuilt = |r: &mut Review| {
        r.rebuild_sources();
        (links(r), r.places.clone())
    };
    let s = stamp();
    assert!(r.set_status(1, Status::Verified, &s));
    assert!(r.set_status(2, Status::Disputed, &s));
    assert!(r.set_note(2, "checked", &s));
    for _ in 0..3 {
        assert!(r.undo().is_some());
        let quick = (links(&r), r.places.clone());
        assert_eq!(quick, rebuilt(&mut r));
    }
    assert!(r.annotations.is_empty());
    for _ in 0..3 {
        assert!(r.redo().is_some());
        let quick = (links(&r), r.places.clone());
        assert_eq!(quick, rebuilt(&mut r));
    }
    assert_eq!(r.status(1), Status::Verified);
    assert_eq!(r.status(2), Status::Disputed);
    assert_eq!(r.annotation(2).unwrap().note, "checked");
}
