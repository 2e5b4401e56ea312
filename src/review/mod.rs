//! A review in progress: the detector's findings merged with the editor's annotations, and every
//! operation the editor can perform on them. Knows nothing of terminals; the TUI and the `scan`
//! command both sit on top of it.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub mod anchoring;
mod persist;
#[cfg(test)]
mod tests;
mod undo;
pub mod verdict;

use crate::article::{Article, LoadError};
use crate::detect::{Detector, Finding, Severity, Signals, Why};
use crate::judgement::{Answer, CheckItem, Checklist, Scale, Status};
use crate::sidecar::merge;
use crate::sidecar::recovery::{self, RecoveryFile};
use crate::sidecar::{
    self, Anchor, Annotation, Change, HISTORY_LIMIT, OnDisk, SaveError, SidecarError, SidecarFile,
    SignOff,
};
use anchoring::AnchorState;

/// The origin of a source an editor marked by hand.
pub const MANUAL: &str = "manual";

/// Characters of context kept either side of an annotation's quote.
pub const CONTEXT_CHARS: usize = anchoring::CONTEXT_CHARS;

/// One anonymous source as the editor sees it: a finding, an annotation, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub start: usize,
    pub end: usize,
    /// The detector's rule (`anon.descriptor`), or the origin an annotation records for a source
    /// only the sidecar knows (`manual`).
    pub rule: Cow<'static, str>,
    pub severity: Severity,
    /// Why it is a source; [`Review::why`] puts it in words.
    pub why: Why,
    /// Mentions of one source share a group; `None` for a source only the sidecar knows.
    pub group: Option<usize>,
    pub signals: Option<Signals>,
    /// Index into [`Review::annotations`], once the editor has judged this source.
    pub annotation: Option<usize>,
}

impl Source {
    /// Whether the detector found it, rather than an annotation alone making it (a source
    /// marked by hand, or one judged in an earlier review that the detector no longer flags):
    /// only the detector's have a group.
    pub fn from_detector(&self) -> bool {
        self.group.is_some()
    }
}

impl From<Finding> for Source {
    fn from(f: Finding) -> Self {
        Source {
            start: f.start,
            end: f.end,
            rule: Cow::Borrowed(f.rule.as_str()),
            severity: f.severity,
            why: f.why,
            group: Some(f.group),
            signals: Some(f.signals),
            annotation: None,
        }
    }
}

/// What applying a reliability to a source's other mentions did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupApplied {
    pub changed: usize,
    /// Mentions judged differently, left as they were.
    pub kept: usize,
}

/// Who is making a change, and when (RFC 3339 UTC). Injected so tests control the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub author: String,
    pub now: String,
}

impl Stamp {
    pub fn now(author: &str) -> Self {
        Self {
            author: author.to_owned(),
            now: jiff::Timestamp::now()
                .round(jiff::Unit::Second)
                .unwrap_or_else(|_| jiff::Timestamp::now())
                .to_string(),
        }
    }
}

/// Counts shown in the status bar, per source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub sources: usize,
    pub tagged: usize,
    pub untagged: usize,
    pub dismissed: usize,
    /// Judged with a status that is not a level of the scale in force (a misspelling, or another
    /// newsroom's level): kept as written, never counted as tagged.
    pub out_of_scale: usize,
}

/// Whether the sidecar on disk may be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SidecarState {
    Writable(OnDisk),
    /// It failed to parse or is from a newer version: never overwritten.
    Blocked(String),
}

/// Where an annotation is in the current text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub state: AnchorState,
    /// The text it is attached to; meaningless when orphaned.
    pub start: usize,
    pub end: usize,
}

const ORPHANED: Place = Place {
    state: AnchorState::Orphaned,
    start: 0,
    end: 0,
};

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Nothing had changed, so the file was left alone.
    Unchanged,
    Written,
    /// Someone else saved meanwhile; both sets of changes were combined and written.
    Merged {
        conflicts: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("that source already has a judgement; clear it or pick another source")]
    AlreadyJudged,
    #[error("that text is already a source")]
    AlreadySource,
    #[error("select some text first")]
    EmptySelection,
    #[error("only an orphaned note can be re-attached or deleted")]
    NotOrphaned,
    #[error("no such source")]
    NoSuchSource,
}

#[derive(Debug)]
pub struct Review {
    /// Shared, so a large draft can be scanned on another thread without a copy.
    article: Arc<Article>,
    sidecar_path: PathBuf,
    sidecar: SidecarState,
    /// The sidecar as last read or written: what a colleague's save is merged against.
    base: SidecarFile,
    pub sources: Vec<Source>,
    pub annotations: Vec<Annotation>,
    /// Where each annotation is; parallel to `annotations`.
    places: Vec<Place>,
    sign_off: Option<SignOff>,
    dirty: bool,
    /// Counts changes, so the recovery file is only rewritten when something changed.
    changes: u64,
    rng: fastrand::Rng,
    undo: undo::Stacks,
    /// The reliability scale in force, to tell a level from a status outside it.
    scale: Scale,
    /// The judgements as last opened or saved, so undoing back to them is not "unsaved".
    clean: SidecarFile,
    /// While the checklist is open: each annotation it changed, by id, with its answers when
    /// first changed. Its history records the final answers when the checklist closes, not
    /// every step of cycling through them.
    checklist_open: Option<Vec<(String, Checklist)>>,
}

/// Reads a draft — from its file, or from `given` bytes (standard input) reported under `path` —
/// and, when a detector is given, finds its sources. A draft too large to scan before the first
/// frame is read with no detector and scanned later.
pub fn read_draft(
    path: &Path,
    given: Option<Vec<u8>>,
    detector: Option<&Detector>,
) -> Result<(Article, Vec<Finding>), LoadError> {
    let article = match given {
        Some(bytes) => Article::from_bytes(path, bytes)?,
        None => Article::load(path)?,
    };
    let findings =
        detector.map_or_else(Vec::new, |d| d.detect_as(article.text(), article.format()));
    Ok((article, findings))
}

/// Opens a draft as a review: reads it, finds its sources, loads the sidecar beside it and
/// re-anchors the annotations. Every command, the review screen and the tests open drafts this
/// way. A sidecar that cannot be read leaves the review usable but unsaveable; its error comes
/// back beside the review.
pub fn open_draft(
    path: &Path,
    given: Option<Vec<u8>>,
    detector: Option<&Detector>,
) -> Result<(Review, Option<SidecarError>), LoadError> {
    let (article, findings) = read_draft(path, given, detector)?;
    Ok(Review::load(article, findings))
}

/// [`open_draft`] for an article already read.
pub fn open_article(article: Article, detector: &Detector) -> (Review, Option<SidecarError>) {
    let findings = detector.detect_as(article.text(), article.format());
    Review::load(article, findings)
}

/// Sources made or copied by one task when a review opens.
const SOURCES_A_TASK: usize = 4096;

impl Review {
    /// Merges findings with the sidecar's annotations. A sidecar that failed to load leaves the
    /// review usable but unsaveable; the error is returned alongside so the caller can show it.
    pub fn open(
        article: Article,
        findings: Vec<Finding>,
        loaded: Result<(SidecarFile, OnDisk), SidecarError>,
    ) -> (Self, Option<SidecarError>) {
        let sidecar_path = sidecar::path_for(article.path());
        let (base, sidecar, error) = match loaded {
            Ok((file, on_disk)) => (file, SidecarState::Writable(on_disk), None),
            Err(e) => (
                SidecarFile::empty(),
                SidecarState::Blocked(e.to_string()),
                Some(e),
            ),
        };
        // A large draft's 40,000 sources, made on every core: one thread took 9 ms.
        let sources = findings
            .into_par_iter()
            .with_min_len(SOURCES_A_TASK)
            .map(Source::from)
            .collect();
        let mut review = Self {
            article: Arc::new(article),
            sidecar_path,
            sidecar,
            sources,
            annotations: base.annotations.clone(),
            places: Vec::new(),
            sign_off: base.sign_off.clone(),
            base,
            dirty: false,
            changes: 0,
            rng: fastrand::Rng::new(),
            undo: undo::Stacks::default(),
            scale: Scale::default(),
            clean: SidecarFile::empty(),
            checklist_open: None,
        };
        review.attach_annotations();
        review.clean = review.to_sidecar();
        (review, error)
    }

    /// Loads the sidecar beside `article` and merges it.
    pub fn load(article: Article, findings: Vec<Finding>) -> (Self, Option<SidecarError>) {
        let loaded = sidecar::load(&sidecar::path_for(article.path()));
        Self::open(article, findings, loaded)
    }

    /// Makes annotation ids reproducible (tests and snapshots).
    pub fn seed_ids(&mut self, seed: u64) {
        self.rng = fastrand::Rng::with_seed(seed);
    }

    /// Places every annotation in the text (see [`anchoring::place_all`]) and attaches it to a
    /// source.
    fn attach_annotations(&mut self) {
        let text = self.article.text();
        let anchors: Vec<&Anchor> = self.annotations.iter().map(|a| &a.anchor).collect();
        let placed = anchoring::place_all(text, &anchors);
        let mut places = vec![ORPHANED; self.annotations.len()];
        // Where each annotation is now lives in `places`; the stored anchor is left as it was.
        // A stored position is a hint (docs/sidecar-format.md): it is rewritten only when the
        // editor changes that annotation, so one added line above does not rewrite every
        // annotation in the sidecar, and its diff shows only what an editor did.
        for (ai, p) in placed.into_iter().enumerate() {
            let Some(p) = p else { continue };
            places[ai] = Place {
                state: p.state,
                start: p.start,
                end: p.end,
            };
        }
        self.places = places;

        let mut extra = Vec::new();
        for (ai, place) in self.places.iter_mut().enumerate() {
            if place.state == AnchorState::Orphaned {
                continue;
            }
            match free_source_over(&mut self.sources, place.start, place.end) {
                // A judgement belongs to the source it was made on: its quote is that source's
                // text or covers it. Found inside a longer, different source ("the source" in
                // "the source familiar with the matter") it is not that source's, unless its own
                // context still stands beside it (the same words; the detector's span changed).
                Some(source)
                    if (place.start > source.start || source.end > place.end)
                        && !anchoring::one_side_holds(
                            text,
                            &self.annotations[ai].anchor,
                            place.start,
                            place.end,
                        ) =>
                {
                    *place = ORPHANED;
                }
                Some(source) => source.annotation = Some(ai),
                None => {
                    let ann = &self.annotations[ai];
                    extra.push(Source {
                        start: place.start,
                        end: place.end,
                        rule: Cow::Owned(ann.origin.clone()),
                        severity: ann.severity,
                        why: if ann.origin == MANUAL {
                            Why::Manual
                        } else {
                            Why::Earlier
                        },
                        group: None,
                        signals: None,
                        annotation: Some(ai),
                    })
                }
            }
        }
        if !extra.is_empty() {
            self.sources.extend(extra);
            self.sources.sort_by_key(|s| (s.start, s.end));
        }
    }

    pub fn article(&self) -> &Article {
        &self.article
    }

    /// The article, to hand to a background scan.
    pub fn shared_article(&self) -> Arc<Article> {
        Arc::clone(&self.article)
    }

    pub fn sidecar_path(&self) -> &Path {
        &self.sidecar_path
    }

    pub fn sidecar_state(&self) -> &SidecarState {
        &self.sidecar
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Where an annotation is in the current text.
    pub fn place(&self, annotation: usize) -> Place {
        self.places.get(annotation).copied().unwrap_or(ORPHANED)
    }

    /// The anchor state of a source's annotation (a source with no annotation is anchored by
    /// definition: it is where the detector found it).
    pub fn anchor_state(&self, source: usize) -> AnchorState {
        self.sources
            .get(source)
            .and_then(|s| s.annotation)
            .map_or(AnchorState::Anchored, |a| self.place(a).state)
    }

    /// Annotations whose text was edited away, by index into `annotations`, in sidecar order.
    pub fn orphans(&self) -> Vec<usize> {
        let mut out: Vec<usize> = (0..self.annotations.len())
            .filter(|&a| self.place(a).state == AnchorState::Orphaned)
            .collect();
        out.sort_by_key(|&a| (self.annotations[a].anchor.start, a));
        out
    }

    /// Annotations attached by a fuzzy match and not yet confirmed.
    pub fn moved(&self) -> usize {
        self.places
            .iter()
            .filter(|p| p.state == AnchorState::Moved)
            .count()
    }

    pub fn sign_off(&self) -> Option<&SignOff> {
        self.sign_off.as_ref()
    }

    /// Whether a judgement changed after the sourcing was signed off, so the sign-off no longer
    /// describes it. (Times are RFC 3339 in UTC, written alike, so they compare as text.)
    pub fn sign_off_stale(&self) -> bool {
        self.sign_off
            .as_ref()
            .is_some_and(|s| self.annotations.iter().any(|a| a.updated > s.when))
    }

    pub fn annotation(&self, source: usize) -> Option<&Annotation> {
        self.sources
            .get(source)?
            .annotation
            .map(|a| &self.annotations[a])
    }

    /// Why `source` is one, in words.
    pub fn why(&self, source: usize) -> String {
        let s = &self.sources[source];
        s.why.to_text(self.article.text(), s.start..s.end)
    }

    pub fn status(&self, source: usize) -> Status {
        self.annotation(source)
            .map_or(Status::Untagged, |a| a.status)
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            sources: self.sources.len(),
            ..Counts::default()
        };
        for i in 0..self.sources.len() {
            match self.status(i) {
                Status::Untagged => c.untagged += 1,
                Status::Dismissed => c.dismissed += 1,
                s if self.in_scale(s) => c.tagged += 1,
                _ => c.out_of_scale += 1,
            }
        }
        c
    }

    /// Judges statuses against `scale` (the built-in one until this is called).
    pub fn set_scale(&mut self, scale: Scale) {
        self.scale = scale;
    }

    pub fn scale(&self) -> &Scale {
        &self.scale
    }

    /// Whether a status means something under the scale in force: untagged, dismissed, or one of
    /// its levels.
    pub fn in_scale(&self, status: Status) -> bool {
        !status.is_tagged() || self.scale.levels().contains(&status)
    }

    /// The annotation for a source, created on first touch.
    fn annotation_mut(&mut self, source: usize, stamp: &Stamp) -> &mut Annotation {
        let idx = match self.sources[source].annotation {
            Some(a) => a,
            None => {
                let s = &self.sources[source];
                let (start, end, origin, severity) =
                    (s.start, s.end, s.rule.to_string(), s.severity);
                let ann = self.new_annotation(start, end, origin, severity, stamp);
                self.annotations.push(ann);
                self.places.push(Place {
                    state: AnchorState::Anchored,
                    start,
                    end,
                });
                let a = self.annotations.len() - 1;
                self.sources[source].annotation = Some(a);
                a
            }
        };
        &mut self.annotations[idx]
    }

    /// An untouched annotation on `start..end`, with a fresh id.
    fn new_annotation(
        &mut self,
        start: usize,
        end: usize,
        origin: String,
        severity: Severity,
        stamp: &Stamp,
    ) -> Annotation {
        Annotation {
            id: self.fresh_id(),
            anchor: anchor_at(&self.article, start, end),
            origin,
            severity,
            status: Status::Untagged,
            before_dismissal: None,
            checklist: Default::default(),
            note: String::new(),
            author: stamp.author.clone(),
            created: stamp.now.clone(),
            updated: stamp.now.clone(),
            history: Vec::new(),
            conflict: None,
        }
    }

    fn fresh_id(&mut self) -> String {
        loop {
            let id = format!("{:012x}", self.rng.u64(..) & 0xffff_ffff_ffff);
            if !self.annotations.iter().any(|a| a.id == id) {
                return id;
            }
        }
    }

    /// Applies `change` to a source's annotation and records who and when, if anything changed.
    fn modify(
        &mut self,
        source: usize,
        stamp: &Stamp,
        change: impl FnOnce(&mut Annotation),
    ) -> bool {
        self.modify_with(source, stamp, false, change)
    }

    /// As [`Review::modify`]; `typing` says the change is a keystroke in a note, so that one undo
    /// takes back the whole edit.
    fn modify_with(
        &mut self,
        source: usize,
        stamp: &Stamp,
        typing: bool,
        change: impl FnOnce(&mut Annotation),
    ) -> bool {
        if source >= self.sources.len() {
            return false;
        }
        let existed = self.sources[source].annotation.is_some();
        let saved = self.sources[source]
            .annotation
            .map(|a| self.annotations[a].clone());
        // Taken out while the annotation is borrowed; put back below.
        let mut checklist_open = self.checklist_open.take();
        self.annotation_mut(source, stamp);
        let idx = self.sources[source]
            .annotation
            .expect("annotation_mut attaches one");
        let place = self.places[idx];
        let article = Arc::clone(&self.article);
        let ann = &mut self.annotations[idx];
        let before = ann.clone();
        change(ann);
        let changed = *ann != before;
        if changed {
            ann.author = stamp.author.clone();
            ann.updated = stamp.now.clone();
            // The anchor catches up with where the text is now; a moved note keeps its old
            // anchor until the editor confirms the new place.
            if place.state == AnchorState::Anchored {
                let fresh = anchor_at(&article, place.start, place.end);
                if ann.anchor != fresh {
                    ann.anchor = fresh;
                }
            }
            let checklist_later = match &mut checklist_open {
                Some(open) => {
                    if !open.iter().any(|(id, _)| *id == ann.id) {
                        open.push((ann.id.clone(), before.checklist.clone()));
                    }
                    true
                }
                None => false,
            };
            record_history(&before, ann, stamp, !checklist_later);
            let id = ann.id.clone();
            self.record_annotation(&id, saved, typing);
            self.dirty = true;
            self.changes += 1;
        }
        self.checklist_open = checklist_open;
        if !changed && !existed {
            // Touching without changing leaves no trace in the sidecar.
            // The new annotation is the last one, so no other index shifts.
            self.sources[source].annotation = None;
            self.annotations.pop();
            self.places.pop();
        }
        changed
    }

    /// Sets a reliability level, or `Untagged` to clear it.
    pub fn set_status(&mut self, source: usize, status: Status, stamp: &Stamp) -> bool {
        debug_assert!(status.is_tagged() || status == Status::Untagged);
        self.modify(source, stamp, |a| {
            a.status = status;
            a.before_dismissal = None;
        })
    }

    /// The other sources in the same group as `source` (other mentions of the same person).
    pub fn group_mates(&self, source: usize) -> Vec<usize> {
        let Some(group) = self.sources.get(source).and_then(|s| s.group) else {
            return Vec::new();
        };
        (0..self.sources.len())
            .filter(|&i| i != source && self.sources[i].group == Some(group))
            .collect()
    }

    /// Gives the other mentions in the selected source's group the selected source's
    /// reliability. Untagged mentions take it; one an editor judged differently keeps its own
    /// unless `overwrite` (the editor was asked). Dismissed mentions are left alone, and an
    /// untagged or dismissed source gives nothing (it would only wipe the others' tags).
    pub fn apply_status_to_group(
        &mut self,
        source: usize,
        overwrite: bool,
        stamp: &Stamp,
    ) -> GroupApplied {
        let status = self.status(source);
        let mut out = GroupApplied::default();
        if !status.is_tagged() {
            return out;
        }
        self.begin_group();
        for i in self.group_mates(source) {
            let theirs = self.status(i);
            if theirs == Status::Dismissed || theirs == status {
                continue;
            }
            if theirs != Status::Untagged && !overwrite {
                out.kept += 1;
                continue;
            }
            if self.set_status(i, status, stamp) {
                out.changed += 1;
            }
        }
        self.end_group();
        out
    }

    /// Dismisses a source as not anonymous; doing it again restores the previous status.
    pub fn toggle_dismissed(&mut self, source: usize, stamp: &Stamp) -> bool {
        self.modify(source, stamp, |a| {
            if a.status == Status::Dismissed {
                a.status = a.before_dismissal.take().unwrap_or(Status::Untagged);
            } else {
                a.before_dismissal = Some(a.status).filter(|s| *s != Status::Untagged);
                a.status = Status::Dismissed;
            }
        })
    }

    pub fn set_check(
        &mut self,
        source: usize,
        item: CheckItem,
        answer: Answer,
        stamp: &Stamp,
    ) -> bool {
        self.modify(source, stamp, |a| a.checklist.set(item, answer))
    }

    /// Editing the note is how an editor reconciles a merge conflict (both versions are in it),
    /// so it also clears the conflict.
    pub fn set_note(&mut self, source: usize, note: &str, stamp: &Stamp) -> bool {
        let note = note.trim_end().to_owned();
        self.modify_with(source, stamp, true, |a| {
            if a.note != note {
                a.conflict = None;
            }
            a.note = note;
        })
    }

    /// Accepts the place a fuzzy match found for a moved annotation: its anchor becomes the text
    /// it is on now.
    pub fn confirm_moved(&mut self, source: usize, stamp: &Stamp) -> bool {
        let Some(a) = self.sources.get(source).and_then(|s| s.annotation) else {
            return false;
        };
        let place = self.places[a];
        if place.state != AnchorState::Moved {
            return false;
        }
        let anchor = anchor_at(&self.article, place.start, place.end);
        let quote = anchor.quote.clone();
        let saved = self.annotations[a].clone();
        self.record_annotation(&saved.id.clone(), Some(saved), false);
        let ann = &mut self.annotations[a];
        push_history(ann, stamp, format!("moved to \"{quote}\""));
        ann.anchor = anchor;
        ann.author = stamp.author.clone();
        ann.updated = stamp.now.clone();
        self.places[a].state = AnchorState::Anchored;
        self.dirty = true;
        self.changes += 1;
        true
    }

    /// Sets a moved note aside as an orphan, where its placement was wrong: it stays in the
    /// sidecar, listed with the orphans, until the editor re-attaches or deletes it.
    pub fn send_to_orphans(&mut self, source: usize, stamp: &Stamp) -> bool {
        let Some(a) = self.sources.get(source).and_then(|s| s.annotation) else {
            return false;
        };
        if self.places[a].state != AnchorState::Moved {
            return false;
        }
        let saved = self.annotations[a].clone();
        self.record_annotation(&saved.id.clone(), Some(saved), false);
        let ann = &mut self.annotations[a];
        push_history(ann, stamp, "set aside as an orphan".to_owned());
        ann.anchor.detached = true;
        ann.author = stamp.author.clone();
        ann.updated = stamp.now.clone();
        self.rebuild_sources();
        self.dirty = true;
        self.changes += 1;
        true
    }

    /// Marks `start..end` as an anonymous source the detector missed. Returns the new source's
    /// index.
    pub fn add_manual(
        &mut self,
        start: usize,
        end: usize,
        stamp: &Stamp,
    ) -> Result<usize, EditError> {
        let text = self.article.text();
        let (start, end) = trim_span(text, start.min(end), end.max(start).min(text.len()));
        if start >= end {
            return Err(EditError::EmptySelection);
        }
        if self
            .sources
            .iter()
            .any(|s| (s.start, s.end) == (start, end))
        {
            return Err(EditError::AlreadySource);
        }
        let mut ann = self.new_annotation(start, end, MANUAL.to_owned(), Severity::Medium, stamp);
        push_history(&mut ann, stamp, "marked as a source by hand".to_owned());
        self.record_annotation(&ann.id.clone(), None, false);
        self.annotations.push(ann);
        self.places.push(Place {
            state: AnchorState::Anchored,
            start,
            end,
        });
        self.sources.push(Source {
            start,
            end,
            rule: Cow::Borrowed(MANUAL),
            severity: Severity::Medium,
            why: Why::Manual,
            group: None,
            signals: None,
            annotation: Some(self.annotations.len() - 1),
        });
        self.sources.sort_by_key(|s| (s.start, s.end));
        self.dirty = true;
        self.changes += 1;
        Ok(self
            .sources
            .iter()
            .position(|s| (s.start, s.end) == (start, end) && s.rule == MANUAL)
            .expect("just added"))
    }

    /// Attaches an orphaned annotation to a source that has none, anchoring it there.
    pub fn reattach(
        &mut self,
        annotation: usize,
        source: usize,
        stamp: &Stamp,
    ) -> Result<(), EditError> {
        if self.place(annotation).state != AnchorState::Orphaned {
            return Err(EditError::NotOrphaned);
        }
        let s = self.sources.get(source).ok_or(EditError::NoSuchSource)?;
        if s.annotation.is_some() {
            return Err(EditError::AlreadyJudged);
        }
        let (start, end) = (s.start, s.end);
        let anchor = anchor_at(&self.article, start, end);
        let saved = self.annotations[annotation].clone();
        self.record_annotation(&saved.id.clone(), Some(saved), false);
        let ann = &mut self.annotations[annotation];
        push_history(ann, stamp, format!("re-attached to \"{}\"", anchor.quote));
        ann.anchor = anchor;
        ann.author = stamp.author.clone();
        ann.updated = stamp.now.clone();
        self.places[annotation] = Place {
            state: AnchorState::Anchored,
            start,
            end,
        };
        self.sources[source].annotation = Some(annotation);
        self.dirty = true;
        self.changes += 1;
        Ok(())
    }

    /// Deletes an orphaned annotation for good. Only orphans can be deleted: an annotation on
    /// text is cleared with the reliability keys instead.
    pub fn delete_orphan(&mut self, annotation: usize) -> Result<(), EditError> {
        if self.place(annotation).state != AnchorState::Orphaned {
            return Err(EditError::NotOrphaned);
        }
        let saved = self.annotations[annotation].clone();
        self.record_annotation(&saved.id.clone(), Some(saved), false);
        self.annotations.remove(annotation);
        self.places.remove(annotation);
        for s in &mut self.sources {
            if let Some(a) = &mut s.annotation
                && *a > annotation
            {
                *a -= 1;
            }
        }
        self.dirty = true;
        self.changes += 1;
        Ok(())
    }

    /// Records who signed off the article's sourcing, and how many sources were untagged then.
    pub fn sign_off_now(&mut self, stamp: &Stamp) {
        let c = self.counts();
        self.record_sign_off(self.sign_off.clone());
        self.sign_off = Some(SignOff {
            who: stamp.author.clone(),
            when: stamp.now.clone(),
            sources: c.sources,
            untagged: c.untagged,
        });
        self.dirty = true;
        self.changes += 1;
    }

    /// Takes a new version of the article (it changed on disk), keeping every annotation and
    /// re-anchoring them on the new text.
    pub fn replace_article(&mut self, article: Article, findings: Vec<Finding>) {
        self.article = Arc::new(article);
        self.set_findings(findings);
    }

    /// How many changes have been made since the review was opened.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// Takes the detector's findings when they arrive after the review was opened (large drafts
    /// are scanned in the background), keeping every annotation and every change made meanwhile.
    pub fn set_findings(&mut self, findings: Vec<Finding>) {
        self.sources = findings.into_iter().map(Source::from).collect();
        self.attach_annotations();
    }

    /// Takes away annotation `i` if it is the last one and judges a source the detector found,
    /// unlinking that source; returns whether it could (else the caller rebuilds).
    pub(super) fn unlink_last(&mut self, i: usize) -> bool {
        if i + 1 != self.annotations.len() || self.places.len() != self.annotations.len() {
            return false;
        }
        let place = self.places[i];
        let Some(s) = self.sources.iter().position(|s| s.annotation == Some(i)) else {
            return place.state == AnchorState::Orphaned && {
                self.annotations.pop();
                self.places.pop();
                true
            };
        };
        let source = &self.sources[s];
        // A source marked by hand exists only through its annotation.
        if !source.from_detector() {
            return false;
        }
        self.sources[s].annotation = None;
        self.annotations.pop();
        self.places.pop();
        true
    }

    /// Links the annotation just pushed to the detector's source at its anchor, if that is
    /// free and exactly where the anchor says; returns whether it could (else the caller
    /// rebuilds).
    pub(super) fn link_last(&mut self) -> bool {
        let ai = self.annotations.len() - 1;
        if self.places.len() != ai {
            return false;
        }
        let anchor = &self.annotations[ai].anchor;
        let Some(Some(p)) = anchoring::place_all(self.article.text(), &[anchor]).pop() else {
            return false;
        };
        let Ok(s) = self.sources.binary_search_by_key(&p.start, |s| s.start) else {
            return false;
        };
        let source = &self.sources[s];
        if source.end != p.end || source.annotation.is_some() || p.state != AnchorState::Anchored {
            return false;
        }
        self.sources[s].annotation = Some(ai);
        self.places.push(Place {
            state: p.state,
            start: p.start,
            end: p.end,
        });
        true
    }

    /// The detector's sources with every annotation attached again. A source only the sidecar
    /// knows is made again by [`Review::attach_annotations`] if its annotation is still there;
    /// keeping the detector's findings apart instead took a second copy of every source.
    fn rebuild_sources(&mut self) {
        self.sources.retain(Source::from_detector);
        for s in &mut self.sources {
            s.annotation = None;
        }
        self.attach_annotations();
    }

    /// The checklist is open: its answers are recorded in the history when it closes.
    pub fn begin_checklist(&mut self) {
        self.end_checklist();
        self.checklist_open = Some(Vec::new());
    }

    /// The checklist closed: each question whose answer changed while it was open gets one
    /// history entry, with the final answer, by whoever made the last change.
    pub fn end_checklist(&mut self) {
        let Some(open) = self.checklist_open.take() else {
            return;
        };
        for (id, before) in open {
            if let Some(ann) = self.annotations.iter_mut().find(|a| a.id == id) {
                let stamp = Stamp {
                    author: ann.author.clone(),
                    now: ann.updated.clone(),
                };
                record_checklist(&before, ann, &stamp);
            }
        }
    }
}

/// The first source without an annotation that overlaps `start..end`. Sources are sorted by
/// start and findings are short, so only a few before `end` need looking at.
fn free_source_over(sources: &mut [Source], start: usize, end: usize) -> Option<&mut Source> {
    let upto = sources.partition_point(|s| s.start < end);
    let from = sources[..upto]
        .iter()
        .rposition(|s| s.start + MAX_FINDING_BYTES < start)
        .map_or(0, |i| i + 1);
    sources[from..upto]
        .iter_mut()
        .find(|s| s.annotation.is_none() && s.start < end && start < s.end)
}

/// No finding is longer than this; a bound for overlap searches.
const MAX_FINDING_BYTES: usize = 4096;

/// Shrinks a span to exclude white space at either end, keeping character boundaries.
fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (floor(start), floor(end));
    let inner = &text[start..end];
    let lead = inner.len() - inner.trim_start().len();
    let trimmed = inner.trim();
    (start + lead, start + lead + trimmed.len())
}

fn push_history(ann: &mut Annotation, stamp: &Stamp, what: String) {
    ann.history.push(Change {
        when: stamp.now.clone(),
        who: stamp.author.clone(),
        what,
    });
    let excess = ann.history.len().saturating_sub(HISTORY_LIMIT);
    ann.history.drain(..excess);
}

/// Adds a history entry for each change of reliability or checklist answer.
fn record_history(before: &Annotation, after: &mut Annotation, stamp: &Stamp, checklist: bool) {
    if before.status != after.status {
        let what = match (before.status, after.status) {
            (_, Status::Dismissed) => "dismissed as not a source".to_owned(),
            (Status::Dismissed, now) => format!("restored as {now}"),
            (was, now) => format!("reliability: {was} → {now}"),
        };
        push_history(after, stamp, what);
    }
    if checklist {
        record_checklist(&before.checklist, after, stamp);
    }
}

/// One history entry per question whose answer differs from `before`.
fn record_checklist(before: &Checklist, after: &mut Annotation, stamp: &Stamp) {
    let mut items: Vec<CheckItem> = before
        .answered_items()
        .chain(after.checklist.answered_items())
        .collect();
    items.sort();
    items.dedup();
    for item in items {
        let (was, now) = (before.get(item), after.checklist.get(item));
        if was != now {
            push_history(
                after,
                stamp,
                format!("checklist {}: {}", item.key(), now.as_str()),
            );
        }
    }
}

fn anchor_at(article: &Article, start: usize, end: usize) -> Anchor {
    Anchor {
        start,
        end,
        quote: article.text()[start..end].to_owned(),
        prefix: article.context_before(start, CONTEXT_CHARS).to_owned(),
        suffix: article.context_after(end, CONTEXT_CHARS).to_owned(),
        detached: false,
    }
}
