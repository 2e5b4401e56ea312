//! Undo and redo for every change to the judgements. An entry holds the annotations a change
//! touched, by id, as they were before it (and the sign-off, if it changed); undoing puts them
//! back and keeps their current state for redo. Ids rather than positions, so an entry stays
//! right after the draft is reloaded and the notes re-anchored.

use super::Review;
use crate::sidecar::{Annotation, SignOff};

/// Entries kept; older ones are forgotten.
const LIMIT: usize = 500;

#[derive(Debug, Clone, Default)]
pub(super) struct Entry {
    annotations: Vec<(String, Option<Annotation>)>,
    sign_off: Option<Option<SignOff>>,
    /// Set while a note is being typed: further keystrokes on that annotation join the entry, so
    /// one `u` undoes the whole edit rather than one letter.
    typing: Option<String>,
}

#[derive(Debug, Default)]
pub(super) struct Stacks {
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    /// Changes made between `begin_group` and `end_group` undo together.
    group: Option<Entry>,
}

impl Stacks {
    pub(super) fn clear(&mut self) {
        *self = Self::default();
    }
}

impl Review {
    /// Records the state of an annotation (by id) before a change; `None` when the change
    /// created it.
    pub(super) fn record_annotation(&mut self, id: &str, before: Option<Annotation>, typing: bool) {
        let entry = Entry {
            annotations: vec![(id.to_owned(), before)],
            sign_off: None,
            typing: typing.then(|| id.to_owned()),
        };
        self.record(entry);
    }

    pub(super) fn record_sign_off(&mut self, before: Option<SignOff>) {
        self.record(Entry {
            sign_off: Some(before),
            ..Entry::default()
        });
    }

    fn record(&mut self, entry: Entry) {
        let stacks = &mut self.undo;
        stacks.redo.clear();
        if let Some(group) = &mut stacks.group {
            merge_into(group, entry);
            return;
        }
        if let (Some(last), Some(id)) = (stacks.undo.last(), &entry.typing)
            && last.typing.as_ref() == Some(id)
        {
            return; // the same note, still being typed: the entry already holds its first state
        }
        stacks.undo.push(entry);
        if stacks.undo.len() > LIMIT {
            stacks.undo.remove(0);
        }
    }

    /// Starts a change made of several (applying a reliability to every mention).
    pub(super) fn begin_group(&mut self) {
        self.undo.group = Some(Entry::default());
    }

    pub(super) fn end_group(&mut self) {
        if let Some(group) = self.undo.group.take()
            && (!group.annotations.is_empty() || group.sign_off.is_some())
        {
            self.undo.undo.push(group);
        }
    }

    /// Ends the note being typed, so the next keystrokes start a new undo entry.
    pub fn finish_typing(&mut self) {
        if let Some(last) = self.undo.undo.last_mut() {
            last.typing = None;
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undo.redo.is_empty()
    }

    /// Undoes the latest change. Returns the index of a source it touched (to select), or
    /// `None` when there was nothing to undo or what it touched has no source now.
    pub fn undo(&mut self) -> Option<Option<usize>> {
        let entry = self.undo.undo.pop()?;
        let inverse = self.apply_entry(&entry);
        self.undo.redo.push(inverse);
        Some(self.source_of(&entry))
    }

    /// Redoes the latest undone change; as [`Review::undo`].
    pub fn redo(&mut self) -> Option<Option<usize>> {
        let entry = self.undo.redo.pop()?;
        let inverse = self.apply_entry(&entry);
        self.undo.undo.push(inverse);
        Some(self.source_of(&entry))
    }

    /// Puts back the state an entry holds, and returns an entry holding the state it replaced.
    fn apply_entry(&mut self, entry: &Entry) -> Entry {
        let mut inverse = Entry::default();
        // Most undos put back a status or a note, or take away the judgement just made: those
        // change one annotation and at most one source's link to it. Placing every annotation
        // again and rebuilding every source is kept for the rest, so a large draft's undo costs
        // what the change costs.
        let mut rebuild = false;
        for (id, before) in &entry.annotations {
            let at = self.annotations.iter().position(|a| &a.id == id);
            inverse
                .annotations
                .push((id.clone(), at.map(|i| self.annotations[i].clone())));
            match (at, before) {
                (Some(i), Some(b)) => {
                    rebuild |= self.annotations[i].anchor != b.anchor;
                    self.annotations[i] = b.clone();
                }
                (Some(i), None) => {
                    if !self.unlink_last(i) {
                        rebuild = true;
                        self.annotations.remove(i);
                    }
                }
                (None, Some(b)) => {
                    self.annotations.push(b.clone());
                    rebuild |= !self.link_last();
                }
                (None, None) => {}
            }
        }
        if let Some(sign_off) = &entry.sign_off {
            inverse.sign_off = Some(std::mem::replace(&mut self.sign_off, sign_off.clone()));
        }
        if rebuild {
            self.rebuild_sources();
        }
        // Undoing back to what is on disk leaves nothing to save.
        self.dirty = !self.is_clean();
        self.changes += 1;
        inverse
    }

    fn source_of(&self, entry: &Entry) -> Option<usize> {
        let id = &entry.annotations.first()?.0;
        let a = self.annotations.iter().position(|a| &a.id == id)?;
        self.sources.iter().position(|s| s.annotation == Some(a))
    }
}

/// Adds a change to a group, keeping the earliest state of each annotation.
fn merge_into(group: &mut Entry, entry: Entry) {
    for (id, before) in entry.annotations {
        if !group.annotations.iter().any(|(g, _)| *g == id) {
            group.annotations.push((id, before));
        }
    }
    if group.sign_off.is_none() {
        group.sign_off = entry.sign_off;
    }
}
