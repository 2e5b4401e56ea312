//! Combining two editors' changes to one sidecar, annotation by annotation.
//!
//! A three-way merge by annotation id against the version both started from: a field one side
//! changed takes that side's value; a field both changed the same way is simply kept. A true
//! conflict (both changed one field differently) keeps this side's value, writes the other
//! side's into the note under a marked line, and records what clashed in the annotation's
//! `conflict`, so nothing is lost and `check` fails until an editor looks. The review screen uses
//! this when a colleague saved meanwhile; `whosaid merge-driver` uses it for git.

use std::collections::{HashMap, HashSet};

use crate::judgement::{CheckItem, Checklist};
use crate::sidecar::{Annotation, Change, HISTORY_LIMIT, SidecarFile, VERSION};

/// The merged sidecar and, in words, every true conflict in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub file: SidecarFile,
    pub conflicts: Vec<String>,
}

/// Merges `ours` and `theirs`, both descended from `base`. Where they truly conflict, `ours` is
/// kept in place and `theirs` is recorded beside it.
pub fn merge(base: &SidecarFile, ours: &SidecarFile, theirs: &SidecarFile) -> Merged {
    let by_id = |f: &SidecarFile| -> HashMap<String, Annotation> {
        f.annotations
            .iter()
            .map(|a| (a.id.clone(), a.clone()))
            .collect()
    };
    let base_ids = by_id(base);
    let mut ours_ids = by_id(ours);
    let mut theirs_ids = by_id(theirs);
    twin_new_annotations(&base_ids, &ours_ids, &mut theirs_ids);

    let mut ids: Vec<String> = ours_ids
        .keys()
        .chain(theirs_ids.keys())
        .chain(base_ids.keys())
        .cloned()
        .collect::<HashSet<String>>()
        .into_iter()
        .collect();
    ids.sort();

    let mut conflicts = Vec::new();
    let mut annotations = Vec::new();
    for id in ids {
        let b = base_ids.get(&id);
        let o = ours_ids.remove(&id);
        let t = theirs_ids.remove(&id);
        let merged = match (b, o, t) {
            (_, Some(o), Some(t)) => {
                let b = b.cloned().unwrap_or_else(|| untouched_like(&o));
                Some(merge_one(&b, o, t, &mut conflicts))
            }
            (Some(b), Some(kept), None) | (Some(b), None, Some(kept)) => {
                if kept == *b {
                    None // deleted on one side, unchanged on the other
                } else {
                    // Deleted on one side but changed on the other: the change is work.
                    let why = "deleted in one version but changed in the other; kept".to_owned();
                    conflicts.push(describe(&kept, &why));
                    Some(with_conflict(kept, why))
                }
            }
            (None, Some(a), None) | (None, None, Some(a)) => Some(a),
            (_, None, None) => None,
        };
        annotations.extend(merged);
    }
    annotations.sort_by(|a, b| {
        (a.anchor.start, a.anchor.end, &a.id).cmp(&(b.anchor.start, b.anchor.end, &b.id))
    });

    let sign_off = match pick(&base.sign_off, &ours.sign_off, &theirs.sign_off) {
        Some(s) => s.clone(),
        // Both signed off (or one withdrew): the most recent sign-off stands.
        None => [&ours.sign_off, &theirs.sign_off]
            .into_iter()
            .flatten()
            .max_by(|a, b| a.when.cmp(&b.when))
            .cloned(),
    };
    Merged {
        file: SidecarFile {
            version: VERSION,
            sign_off,
            annotations,
        },
        conflicts,
    }
}

/// Annotations created on both sides since `base` are matched by the text they are on, not by id:
/// two editors who each judged the same untouched finding made two ids for one annotation, so
/// theirs takes our id and the two merge; and two new annotations on different text that happen
/// to share an id are two annotations, so theirs gets a fresh one.
fn twin_new_annotations(
    base: &HashMap<String, Annotation>,
    ours: &HashMap<String, Annotation>,
    theirs: &mut HashMap<String, Annotation>,
) {
    let span = |a: &Annotation| (a.anchor.start, a.anchor.end, a.anchor.quote.clone());
    let ours_new: HashMap<(usize, usize, String), &str> = ours
        .values()
        .filter(|a| !base.contains_key(&a.id))
        .map(|a| (span(a), a.id.as_str()))
        .collect();
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut theirs_new: Vec<&Annotation> = theirs
        .values()
        .filter(|a| !base.contains_key(&a.id))
        .collect();
    theirs_new.sort_by(|a, b| a.id.cmp(&b.id));
    for a in theirs_new {
        if let Some(&id) = ours_new.get(&span(a)) {
            if id != a.id {
                renames.push((a.id.clone(), id.to_owned()));
            }
        } else if ours.contains_key(&a.id) {
            let mut n = 1u32;
            let fresh = loop {
                let candidate = format!("{}-{n}", a.id);
                if !ours.contains_key(&candidate) && !theirs.contains_key(&candidate) {
                    break candidate;
                }
                n += 1;
            };
            renames.push((a.id.clone(), fresh));
        }
    }
    // Take every renamed annotation out first, so one rename never overwrites another's target.
    let moved: Vec<(String, Annotation)> = renames
        .into_iter()
        .filter_map(|(from, to)| theirs.remove(&from).map(|a| (to, a)))
        .collect();
    for (to, mut a) in moved {
        a.id = to.clone();
        theirs.insert(to, a);
    }
}

/// The state an annotation starts from before anyone judged it: the common base of two
/// annotations both sides created independently.
fn untouched_like(a: &Annotation) -> Annotation {
    Annotation {
        status: crate::judgement::Status::Untagged,
        before_dismissal: None,
        checklist: Checklist::default(),
        note: String::new(),
        history: Vec::new(),
        conflict: None,
        ..a.clone()
    }
}

/// The one value a field takes when it can be decided: whichever side changed it, or either if
/// both agree. `None` is a true conflict.
fn pick<'a, T: PartialEq>(base: &'a T, ours: &'a T, theirs: &'a T) -> Option<&'a T> {
    if ours == theirs || theirs == base {
        Some(ours)
    } else if ours == base {
        Some(theirs)
    } else {
        None
    }
}

fn merge_one(
    base: &Annotation,
    ours: Annotation,
    theirs: Annotation,
    log: &mut Vec<String>,
) -> Annotation {
    let mut out = ours.clone();
    let mut clashes: Vec<String> = Vec::new();
    let other = format!("{} ({})", theirs.author, theirs.updated);

    // Where the text is: re-anchoring decides this again on load, so no conflict is recorded.
    out.anchor = pick(&base.anchor, &ours.anchor, &theirs.anchor)
        .unwrap_or(&ours.anchor)
        .clone();
    out.origin = pick(&base.origin, &ours.origin, &theirs.origin)
        .unwrap_or(&ours.origin)
        .clone();
    out.severity =
        *pick(&base.severity, &ours.severity, &theirs.severity).unwrap_or(&ours.severity);

    let judgement = |a: &Annotation| (a.status, a.before_dismissal);
    match pick(&judgement(base), &judgement(&ours), &judgement(&theirs)) {
        Some(&(status, before)) => {
            out.status = status;
            out.before_dismissal = before;
        }
        None => clashes.push(format!(
            "reliability: kept {}, {other} chose {}",
            ours.status, theirs.status
        )),
    }

    // Every question any side answered, whatever checklist each editor's newsroom uses.
    let mut items: Vec<CheckItem> = base
        .checklist
        .answered_items()
        .chain(ours.checklist.answered_items())
        .chain(theirs.checklist.answered_items())
        .collect();
    items.sort();
    items.dedup();
    for item in items {
        let (b, o, t) = (
            base.checklist.get(item),
            ours.checklist.get(item),
            theirs.checklist.get(item),
        );
        match pick(&b, &o, &t) {
            Some(&answer) => out.checklist.set(item, answer),
            None => clashes.push(format!(
                "checklist {}: kept {}, {other} answered {}",
                item.key(),
                o.as_str(),
                t.as_str()
            )),
        }
    }

    match pick(&base.note, &ours.note, &theirs.note) {
        Some(note) => out.note = note.clone(),
        None => {
            out.note = format!(
                "{}\n\n──── {other} wrote instead ────\n{}",
                ours.note, theirs.note
            );
            clashes.push(format!(
                "note: both versions kept, {other}'s below the marked line"
            ));
        }
    }

    let mut history: Vec<Change> = ours
        .history
        .iter()
        .chain(&theirs.history)
        .cloned()
        .collect();
    history.sort();
    history.dedup();
    let excess = history.len().saturating_sub(HISTORY_LIMIT);
    history.drain(..excess);
    out.history = history;

    if theirs.updated > ours.updated {
        out.updated = theirs.updated.clone();
        out.author = theirs.author.clone();
    }
    out.created = ours.created.clone().min(theirs.created.clone());

    let earlier = pick(&base.conflict, &ours.conflict, &theirs.conflict)
        .cloned()
        .unwrap_or_else(|| {
            let both: Vec<&str> = [&ours.conflict, &theirs.conflict]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            Some(both.join("; "))
        });
    out.conflict = earlier;
    if !clashes.is_empty() {
        let what = clashes.join("; ");
        log.push(describe(&out, &what));
        out = with_conflict(out, what);
    }
    out
}

fn with_conflict(mut a: Annotation, what: String) -> Annotation {
    a.conflict = Some(match a.conflict.take() {
        Some(earlier) if !earlier.is_empty() => format!("{earlier}; {what}"),
        _ => what,
    });
    a
}

fn describe(a: &Annotation, what: &str) -> String {
    format!("\"{}\" ({}): {what}", a.anchor.quote, a.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Severity;
    use crate::judgement::{Answer, Status};
    use crate::sidecar::{Anchor, SignOff};

    fn ann(id: &str, start: usize, quote: &str) -> Annotation {
        Annotation {
            id: id.into(),
            anchor: Anchor {
                start,
                end: start + quote.len(),
                quote: quote.into(),
                prefix: String::new(),
                suffix: String::new(),
                detached: false,
            },
            origin: "anon.descriptor".into(),
            severity: Severity::Medium,
            status: Status::Untagged,
            before_dismissal: None,
            checklist: Checklist::default(),
            note: String::new(),
            author: "ana".into(),
            created: "2026-11-25T09:00:00Z".into(),
            updated: "2026-11-25T09:00:00Z".into(),
            history: vec![],
            conflict: None,
        }
    }

    fn file(annotations: Vec<Annotation>) -> SidecarFile {
        SidecarFile {
            version: VERSION,
            sign_off: None,
            annotations,
        }
    }

    fn edited(
        mut a: Annotation,
        who: &str,
        when: &str,
        f: impl FnOnce(&mut Annotation),
    ) -> Annotation {
        f(&mut a);
        a.author = who.into();
        a.updated = when.into();
        a
    }

    #[test]
    fn independent_changes_combine() {
        let base = file(vec![
            ann("a", 0, "sources said"),
            ann("b", 40, "an official"),
        ]);
        let ours = file(vec![
            edited(
                base.annotations[0].clone(),
                "ana",
                "2026-11-25T10:00:00Z",
                |a| a.status = Status::Verified,
            ),
            base.annotations[1].clone(),
        ]);
        let theirs = file(vec![
            edited(
                base.annotations[0].clone(),
                "ben",
                "2026-11-25T10:01:00Z",
                |a| a.note = "called the ministry".into(),
            ),
            edited(
                base.annotations[1].clone(),
                "ben",
                "2026-11-25T10:01:00Z",
                |a| a.checklist.set(CheckItem::IdentityKnown, Answer::Yes),
            ),
            ann("c", 80, "people familiar"),
        ]);
        let m = merge(&base, &ours, &theirs);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let a = &m.file.annotations;
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].status, Status::Verified);
        assert_eq!(a[0].note, "called the ministry");
        assert_eq!(a[0].author, "ben", "the latest change names its author");
        assert_eq!(a[1].checklist.get(CheckItem::IdentityKnown), Answer::Yes);
        assert_eq!(a[2].id, "c");
        assert!(a.iter().all(|a| a.conflict.is_none()));
    }

    #[test]
    fn a_true_conflict_keeps_both_notes_and_says_so() {
        let base = file(vec![ann("a", 0, "sources said")]);
        let ours = file(vec![edited(
            base.annotations[0].clone(),
            "ana",
            "2026-11-25T10:00:00Z",
            |a| {
                a.note = "ours".into();
                a.status = Status::Verified;
            },
        )]);
        let theirs = file(vec![edited(
            base.annotations[0].clone(),
            "ben",
            "2026-11-25T10:01:00Z",
            |a| {
                a.note = "theirs".into();
                a.status = Status::Disputed;
            },
        )]);
        let m = merge(&base, &ours, &theirs);
        let a = &m.file.annotations[0];
        assert!(a.note.starts_with("ours\n"));
        assert!(a.note.ends_with("\ntheirs"));
        assert!(a.note.contains("ben (2026-11-25T10:01:00Z) wrote instead"));
        assert_eq!(a.status, Status::Verified);
        let conflict = a.conflict.as_deref().unwrap();
        assert!(
            conflict.contains("reliability: kept verified, ben"),
            "{conflict}"
        );
        assert!(conflict.contains("disputed"));
        assert_eq!(m.conflicts.len(), 1);
    }

    #[test]
    fn deletion_wins_only_over_an_unchanged_annotation() {
        let base = file(vec![
            ann("a", 0, "sources said"),
            ann("b", 40, "an official"),
        ]);
        let ours = file(vec![edited(
            base.annotations[1].clone(),
            "ana",
            "2026-11-25T10:00:00Z",
            |a| a.note = "keep me".into(),
        )]);
        let theirs = file(vec![base.annotations[0].clone()]);
        let m = merge(&base, &ours, &theirs);
        // "a": deleted by us, unchanged by them → gone. "b": deleted by them, changed by us → kept.
        assert_eq!(m.file.annotations.len(), 1);
        assert_eq!(m.file.annotations[0].id, "b");
        assert!(m.file.annotations[0].conflict.is_some());
    }

    #[test]
    fn two_editors_judging_the_same_new_source_make_one_annotation() {
        let base = file(vec![]);
        let ours = file(vec![edited(
            ann("x1", 0, "sources said"),
            "ana",
            "t1",
            |a| a.status = Status::Verified,
        )]);
        let theirs = file(vec![edited(
            ann("y2", 0, "sources said"),
            "ben",
            "t2",
            |a| a.note = "checked".into(),
        )]);
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.file.annotations.len(), 1);
        let a = &m.file.annotations[0];
        assert_eq!(
            (a.id.as_str(), a.status, a.note.as_str()),
            ("x1", Status::Verified, "checked")
        );
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn new_annotations_on_different_text_that_share_an_id_are_both_kept() {
        let base = file(vec![]);
        let ours = file(vec![ann("same", 0, "sources said")]);
        let theirs = file(vec![ann("same", 40, "an official")]);
        let m = merge(&base, &ours, &theirs);
        let ids: Vec<&str> = m.file.annotations.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["same", "same-1"]);
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn merging_is_symmetric_apart_from_which_side_leads() {
        let base = file(vec![ann("a", 0, "sources said")]);
        let ours = file(vec![edited(
            base.annotations[0].clone(),
            "ana",
            "t1",
            |a| a.status = Status::Verified,
        )]);
        let theirs = file(vec![edited(
            base.annotations[0].clone(),
            "ben",
            "t2",
            |a| a.checklist.set(CheckItem::ReasonStated, Answer::No),
        )]);
        let one = merge(&base, &ours, &theirs).file;
        let other = merge(&base, &theirs, &ours).file;
        assert_eq!(one, other);
    }

    #[test]
    fn merging_with_an_unchanged_side_is_the_other_side() {
        let base = file(vec![ann("a", 0, "sources said")]);
        let ours = file(vec![edited(
            base.annotations[0].clone(),
            "ana",
            "t1",
            |a| {
                a.status = Status::Verified;
                a.history.push(Change {
                    when: "t1".into(),
                    who: "ana".into(),
                    what: "reliability: untagged → verified".into(),
                });
            },
        )]);
        assert_eq!(merge(&base, &ours, &base).file, ours);
        assert_eq!(merge(&base, &base, &ours).file, ours);
    }

    #[test]
    fn the_latest_sign_off_stands_when_both_signed() {
        let base = file(vec![]);
        let signed = |who: &str, when: &str| SidecarFile {
            sign_off: Some(SignOff {
                who: who.into(),
                when: when.into(),
                sources: 3,
                untagged: 0,
            }),
            ..file(vec![])
        };
        let m = merge(
            &base,
            &signed("ana", "2026-11-25T10:00:00Z"),
            &signed("ben", "2026-11-25T11:00:00Z"),
        );
        assert_eq!(m.file.sign_off.unwrap().who, "ben");
    }
}
