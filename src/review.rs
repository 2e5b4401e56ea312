//! A review in progress: the detector's findings merged with the editor's annotations, and every
//! operation the editor can perform on them. Knows nothing of terminals; the TUI and the `scan`
//! command both sit on top of it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::article::Article;
use crate::detect::{Finding, Severity, Signals};
use crate::judgement::{Answer, CheckItem, Status};
use crate::recovery::{self, RecoveryFile};
use crate::sidecar::{self, Anchor, Annotation, OnDisk, SaveError, SidecarError, SidecarFile};

/// Characters of context kept either side of an annotation's quote.
pub const CONTEXT_CHARS: usize = 32;

/// One anonymous source as the editor sees it: a finding, an annotation, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub start: usize,
    pub end: usize,
    pub rule: String,
    pub severity: Severity,
    pub why: String,
    /// Mentions of one source share a group; `None` for a source only the sidecar knows.
    pub group: Option<usize>,
    pub signals: Option<Signals>,
    /// Index into [`Review::annotations`], once the editor has judged this source.
    pub annotation: Option<usize>,
}

impl From<Finding> for Source {
    fn from(f: Finding) -> Self {
        Source {
            start: f.start,
            end: f.end,
            rule: f.rule.as_str().to_owned(),
            severity: f.severity,
            why: f.why,
            group: Some(f.group),
            signals: Some(f.signals),
            annotation: None,
        }
    }
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
}

/// Whether the sidecar on disk may be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SidecarState {
    Writable(OnDisk),
    /// It failed to parse or is from a newer version: never overwritten.
    Blocked(String),
}

#[derive(Debug)]
pub struct Review {
    /// Shared, so a large draft can be scanned on another thread without a copy.
    article: Arc<Article>,
    sidecar_path: PathBuf,
    sidecar: SidecarState,
    pub sources: Vec<Source>,
    pub annotations: Vec<Annotation>,
    /// Annotations whose quote is no longer in the text: kept and written back unchanged.
    pub unplaced: Vec<usize>,
    /// The detector's findings as sources, before any annotation is attached.
    found: Vec<Source>,
    dirty: bool,
    /// Counts changes, so the recovery file is only rewritten when something changed.
    changes: u64,
    rng: fastrand::Rng,
}

impl Review {
    /// Merges findings with the sidecar's annotations. A sidecar that failed to load leaves the
    /// review usable but unsaveable; the error is returned alongside so the caller can show it.
    pub fn open(
        article: Article,
        findings: Vec<Finding>,
        loaded: Result<(SidecarFile, OnDisk), SidecarError>,
    ) -> (Self, Option<SidecarError>) {
        let sidecar_path = sidecar::path_for(article.path());
        let (annotations, sidecar, error) = match loaded {
            Ok((file, on_disk)) => (file.annotations, SidecarState::Writable(on_disk), None),
            Err(e) => (Vec::new(), SidecarState::Blocked(e.to_string()), Some(e)),
        };
        let found: Vec<Source> = findings.into_iter().map(Source::from).collect();
        let mut review = Self {
            article: Arc::new(article),
            sidecar_path,
            sidecar,
            sources: found.clone(),
            annotations,
            unplaced: Vec::new(),
            found,
            dirty: false,
            changes: 0,
            rng: fastrand::Rng::new(),
        };
        review.attach_annotations();
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

    fn attach_annotations(&mut self) {
        let text = self.article.text();
        for (ai, ann) in self.annotations.iter_mut().enumerate() {
            let Some(pos) = locate(text, &ann.anchor) else {
                self.unplaced.push(ai);
                continue;
            };
            let end = pos + ann.anchor.quote.len();
            if pos != ann.anchor.start {
                ann.anchor = anchor_at(&self.article, pos, end);
            }
            let taken = self
                .sources
                .iter_mut()
                .find(|s| s.annotation.is_none() && s.start < end && pos < s.end);
            match taken {
                Some(source) => source.annotation = Some(ai),
                None => self.sources.push(Source {
                    start: pos,
                    end,
                    rule: ann.origin.clone(),
                    severity: ann.severity,
                    why: "judged in an earlier review; the detector no longer flags this text"
                        .to_owned(),
                    group: None,
                    signals: None,
                    annotation: Some(ai),
                }),
            }
        }
        self.sources.sort_by_key(|s| (s.start, s.end));
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

    pub fn annotation(&self, source: usize) -> Option<&Annotation> {
        self.sources
            .get(source)?
            .annotation
            .map(|a| &self.annotations[a])
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
                _ => c.tagged += 1,
            }
        }
        c
    }

    /// The annotation for a source, created on first touch.
    fn annotation_mut(&mut self, source: usize, stamp: &Stamp) -> &mut Annotation {
        let idx = match self.sources[source].annotation {
            Some(a) => a,
            None => {
                let id = self.fresh_id();
                let s = &self.sources[source];
                self.annotations.push(Annotation {
                    id,
                    anchor: anchor_at(&self.article, s.start, s.end),
                    origin: s.rule.clone(),
                    severity: s.severity,
                    status: Status::Untagged,
                    before_dismissal: None,
                    checklist: Default::default(),
                    note: String::new(),
                    author: stamp.author.clone(),
                    created: stamp.now.clone(),
                    updated: stamp.now.clone(),
                });
                let a = self.annotations.len() - 1;
                self.sources[source].annotation = Some(a);
                a
            }
        };
        &mut self.annotations[idx]
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
        if source >= self.sources.len() {
            return false;
        }
        let existed = self.sources[source].annotation.is_some();
        let ann = self.annotation_mut(source, stamp);
        let before = ann.clone();
        change(ann);
        let changed = *ann != before;
        if changed {
            ann.author = stamp.author.clone();
            ann.updated = stamp.now.clone();
            self.dirty = true;
            self.changes += 1;
        } else if !existed {
            // Touching without changing leaves no trace in the sidecar.
            // The new annotation is the last one, so no other index shifts.
            self.sources[source].annotation = None;
            self.annotations.pop();
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

    /// Gives every mention in the selected source's group the selected source's reliability.
    /// Dismissed mentions are left alone, and an untagged or dismissed source gives nothing (it
    /// would only wipe the others' tags). Returns how many changed.
    pub fn apply_status_to_group(&mut self, source: usize, stamp: &Stamp) -> usize {
        let status = self.status(source);
        if !status.is_tagged() {
            return 0;
        }
        let mut changed = 0;
        for i in self.group_mates(source) {
            if self.status(i) != Status::Dismissed && self.set_status(i, status, stamp) {
                changed += 1;
            }
        }
        changed
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

    pub fn set_note(&mut self, source: usize, note: &str, stamp: &Stamp) -> bool {
        let note = note.trim_end().to_owned();
        self.modify(source, stamp, |a| a.note = note)
    }

    /// How many changes have been made since the review was opened.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// The unsaved state as a recovery file.
    pub fn recovery_snapshot(&self, now: &str) -> RecoveryFile {
        let article = std::path::absolute(self.article.path())
            .unwrap_or_else(|_| self.article.path().to_owned());
        RecoveryFile {
            version: recovery::VERSION,
            article: article.display().to_string(),
            written: now.to_owned(),
            based_on: self.on_disk_label(),
            sidecar: self.to_sidecar(),
        }
    }

    fn on_disk_label(&self) -> String {
        match &self.sidecar {
            SidecarState::Writable(d) => d.label(),
            SidecarState::Blocked(_) => "unreadable".to_owned(),
        }
    }

    /// Puts recovered work back, as unsaved changes, if it was based on the sidecar that is on
    /// disk now. Otherwise nothing changes and `false` is returned: applying it would overwrite
    /// whatever was saved since.
    pub fn apply_recovery(&mut self, file: RecoveryFile) -> bool {
        if file.based_on != self.on_disk_label()
            || !matches!(self.sidecar, SidecarState::Writable(_))
        {
            return false;
        }
        self.annotations = file.sidecar.annotations;
        self.rebuild_sources();
        self.dirty = true;
        self.changes += 1;
        true
    }

    /// Takes the detector's findings when they arrive after the review was opened (large drafts
    /// are scanned in the background), keeping every annotation and every change made meanwhile.
    pub fn set_findings(&mut self, findings: Vec<Finding>) {
        self.found = findings.into_iter().map(Source::from).collect();
        self.rebuild_sources();
    }

    fn rebuild_sources(&mut self) {
        self.sources = self.found.clone();
        self.unplaced.clear();
        for s in &mut self.sources {
            s.annotation = None;
        }
        self.attach_annotations();
    }

    /// The sidecar as it would be written now: every annotation, sorted by position.
    pub fn to_sidecar(&self) -> SidecarFile {
        let mut annotations = self.annotations.clone();
        annotations.sort_by(|a, b| {
            (a.anchor.start, a.anchor.end, &a.id).cmp(&(b.anchor.start, b.anchor.end, &b.id))
        });
        SidecarFile {
            version: sidecar::VERSION,
            annotations,
        }
    }

    /// Saves atomically. Returns `false` when there was nothing to write (no sidecar and no
    /// annotations), so an untouched draft never gains an empty sidecar.
    pub fn save(&mut self) -> Result<bool, SaveError> {
        let on_disk = match &self.sidecar {
            SidecarState::Blocked(why) => return Err(SaveError::Unreadable(why.clone())),
            SidecarState::Writable(d) => d.clone(),
        };
        if on_disk == OnDisk::Missing && self.annotations.is_empty() {
            self.dirty = false;
            return Ok(false);
        }
        let written = sidecar::save(&self.sidecar_path, &self.to_sidecar(), &on_disk)?;
        self.sidecar = SidecarState::Writable(written);
        self.dirty = false;
        Ok(true)
    }
}

/// Where an anchor's quote is now: its old position if the text there is unchanged, else the
/// occurrence nearest to it, else nowhere.
fn locate(text: &str, anchor: &Anchor) -> Option<usize> {
    if anchor.quote.is_empty() {
        return None;
    }
    if text.get(anchor.start..anchor.end) == Some(anchor.quote.as_str()) {
        return Some(anchor.start);
    }
    text.match_indices(anchor.quote.as_str())
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(anchor.start))
}

fn anchor_at(article: &Article, start: usize, end: usize) -> Anchor {
    Anchor {
        start,
        end,
        quote: article.text()[start..end].to_owned(),
        prefix: article.context_before(start, CONTEXT_CHARS).to_owned(),
        suffix: article.context_after(end, CONTEXT_CHARS).to_owned(),
    }
}

#[cfg(test)]
mod tests;
