//! Judging sources: reliability, the checklist, notes, moved and orphaned notes, sign-off, undo.

use ratatui_textarea::TextArea;

use super::*;
use crate::judgement::{Answer, Status};
use crate::review::anchoring::AnchorState;
use crate::tui::mode::NoteEdit;

impl App {
    pub(super) fn set_level(&mut self, n: u8) {
        let status = match n {
            0 => Some(Status::Untagged),
            n => self.scale.level(usize::from(n)),
        };
        match status {
            Some(status) => {
                self.with_selected(|review, i, stamp| review.set_status(i, status, stamp))
            }
            None => {
                self.banner = Some(Banner::Info(format!(
                    "the reliability scale has {} levels: {} tag, {} clears",
                    self.scale.levels().len(),
                    self.level_keys(),
                    self.key(Action::SetLevel(0))
                )))
            }
        }
    }

    /// Gives the other mentions of the selected source its reliability. A mention an editor
    /// judged differently is overwritten only by a second `a` straight after the first.
    pub(super) fn apply_to_group(&mut self, overwrite: bool) {
        if !self.require_selection() {
            return;
        }
        let stamp = self.stamp();
        let i = self.selected.expect("checked above");
        let mentions = self.review.group_mates(i).len();
        let status = self.review.status(i);
        let done = self.review.apply_status_to_group(i, overwrite, &stamp);
        let key = self.key(Action::ApplyToGroup);
        self.banner = Some(match mentions {
            0 => Banner::Info("this source is mentioned only once".to_owned()),
            _ if !status.is_tagged() => Banner::Info(format!(
                "tag this mention first ({}); {key} applies its reliability to the others",
                self.level_keys(),
            )),
            _ if done.kept > 0 => {
                self.apply_armed = true;
                Banner::Error(format!(
                    "{status} set on {} of {mentions} other mentions; {} judged differently kept theirs: {key} again overwrites them",
                    done.changed, done.kept
                ))
            }
            _ => Banner::Info(format!(
                "{status} set on {} of {mentions} other mentions",
                done.changed
            )),
        });
    }

    pub(super) fn open_checklist(&mut self) {
        if self.require_selection() {
            self.mode = Mode::Checklist { cursor: 0 };
            self.review.begin_checklist();
        }
    }

    pub(super) fn move_checklist(&mut self, down: bool) {
        let n = self.questions.len().max(1);
        if let Mode::Checklist { cursor } = &mut self.mode {
            *cursor = if down {
                (*cursor + 1) % n
            } else {
                (*cursor + n - 1) % n
            };
        }
    }

    pub(super) fn close_checklist(&mut self) {
        self.review.end_checklist();
        self.mode = Mode::Normal;
    }

    pub(super) fn answer(&mut self, next: impl FnOnce(Answer) -> Answer) {
        let Mode::Checklist { cursor } = self.mode else {
            return;
        };
        let Some((item, _)) = self.questions.get(cursor) else {
            return;
        };
        let current = self
            .selected
            .and_then(|i| self.review.annotation(i))
            .map_or(Answer::Unknown, |a| a.checklist.get(item));
        let answer = next(current);
        self.with_selected(|review, i, stamp| review.set_check(i, item, answer, stamp));
    }

    pub(super) fn open_note(&mut self) {
        if !self.require_selection() {
            return;
        }
        let existing = self.note_text();
        // The editor holds the note as written: a zero-width non-joiner (Persian, Urdu) or a
        // direction mark is the editor's text. Only drawing it replaces what a terminal must not
        // get (see `draw::note_on_screen`); the note is rewritten only if it was edited.
        let lines: Vec<String> = if existing.is_empty() {
            vec![String::new()]
        } else {
            existing.lines().map(str::to_owned).collect()
        };
        let shown = lines.join("\n");
        let mut area = TextArea::new(lines);
        area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        area.set_cursor_line_style(ratatui::style::Style::new());
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        self.mode = Mode::Note(Box::new(NoteEdit { area, shown }));
    }

    pub(super) fn commit_note(&mut self) {
        let Mode::Note(edit) = &self.mode else { return };
        let text = edit.area.lines().join("\n");
        if text == edit.shown {
            return;
        }
        self.with_selected(|review, i, stamp| review.set_note(i, &text, stamp));
        if let Mode::Note(edit) = &mut self.mode {
            edit.shown = text;
        }
    }

    pub(super) fn close_note(&mut self) {
        self.commit_note();
        self.review.finish_typing();
        self.mode = Mode::Normal;
    }

    pub(super) fn external_note(&mut self) -> Vec<Effect> {
        if self.require_selection() {
            vec![Effect::EditNote(self.note_text())]
        } else {
            Vec::new()
        }
    }

    /// What the external editor returned.
    pub(super) fn note_edited(&mut self, result: Option<Result<String, String>>) {
        match result {
            Some(Ok(text)) => {
                self.with_selected(|review, i, stamp| review.set_note(i, &text, stamp));
                self.review.finish_typing();
                self.banner = Some(Banner::Info("note updated".into()));
            }
            Some(Err(e)) => {
                self.banner = Some(Banner::Error(format!(
                    "the note was not changed: {}",
                    for_terminal(&e)
                )));
            }
            None => {}
        }
    }

    pub(super) fn confirm_moved(&mut self) {
        let Some(i) = self.selected else {
            self.require_selection();
            return;
        };
        if self.review.anchor_state(i) != AnchorState::Moved {
            self.banner = Some(Banner::Info(format!(
                "this note has not moved; {} confirms notes marked ~ after the text changed",
                self.key(Action::ConfirmMoved)
            )));
            return;
        }
        let stamp = self.stamp();
        self.review.confirm_moved(i, &stamp);
        self.banner = Some(Banner::Info(
            "confirmed: the note stays on this text".into(),
        ));
    }

    pub(super) fn send_to_orphans(&mut self) {
        let Some(i) = self.selected else {
            self.require_selection();
            return;
        };
        let stamp = self.stamp();
        if self.review.send_to_orphans(i, &stamp) {
            self.after_review_replaced();
            self.banner = Some(Banner::Info(format!(
                "set aside: the note is with the orphans ({}) until you re-attach it",
                self.key(Action::OpenOrphans)
            )));
        } else {
            self.banner = Some(Banner::Info(format!(
                "this note has not moved; {} sets aside notes marked ~ after the text changed",
                self.key(Action::SendToOrphans)
            )));
        }
    }

    pub(super) fn open_orphans(&mut self) {
        if self.review.orphans().is_empty() {
            self.banner = Some(Banner::Info(
                "no orphaned notes: every note is on its text".into(),
            ));
        } else {
            self.mode = Mode::Orphans { cursor: 0 };
        }
    }

    pub(super) fn move_orphans(&mut self, down: bool) {
        let n = self.review.orphans().len().max(1);
        if let Mode::Orphans { cursor } = &mut self.mode {
            *cursor = if down {
                (*cursor + 1) % n
            } else {
                (*cursor + n - 1) % n
            };
        }
    }

    /// The orphaned annotation under the cursor in the Orphans view.
    pub fn chosen_orphan(&self) -> Option<usize> {
        let cursor = match self.mode {
            Mode::Orphans { cursor } | Mode::ConfirmDelete { cursor } => cursor,
            _ => return None,
        };
        let orphans = self.review.orphans();
        orphans
            .get(cursor.min(orphans.len().saturating_sub(1)))
            .copied()
    }

    pub(super) fn reattach(&mut self) {
        let Some(a) = self.chosen_orphan() else {
            return;
        };
        let Some(i) = self.selected else {
            self.banner = Some(Banner::Info(format!(
                "select a source first ({}), or mark one with {}",
                self.key(Action::NextSource),
                self.key(Action::StartSelection)
            )));
            return;
        };
        let stamp = self.stamp();
        match self.review.reattach(a, i, &stamp) {
            Ok(()) => {
                self.mode = Mode::Normal;
                self.banner = Some(Banner::Info("note attached to the selected source".into()));
            }
            Err(e) => self.banner = Some(Banner::Error(e.to_string())),
        }
    }

    pub(super) fn ask_delete_orphan(&mut self) {
        if let (Some(_), Mode::Orphans { cursor }) = (self.chosen_orphan(), &self.mode) {
            self.mode = Mode::ConfirmDelete { cursor: *cursor };
        }
    }

    pub(super) fn delete_orphan(&mut self, cursor: usize) {
        let orphans = self.review.orphans();
        let Some(&a) = orphans.get(cursor.min(orphans.len().saturating_sub(1))) else {
            return;
        };
        match self.review.delete_orphan(a) {
            Ok(()) => {
                self.banner = Some(Banner::Info("orphaned note deleted".into()));
                let left = self.review.orphans().len();
                if left > 0 {
                    self.mode = Mode::Orphans {
                        cursor: cursor.min(left - 1),
                    };
                }
            }
            Err(e) => self.banner = Some(Banner::Error(e.to_string())),
        }
    }

    pub(super) fn ask_sign_off(&mut self) {
        if self.review.counts().untagged > 0 {
            self.mode = Mode::SignOffPrompt;
        } else {
            self.sign_off();
        }
    }

    pub(super) fn sign_off(&mut self) {
        let stamp = self.stamp();
        self.review.sign_off_now(&stamp);
        self.banner = Some(Banner::Info(format!(
            "sourcing signed off by {}; {} saves it",
            for_terminal(&self.author),
            self.key(Action::Save)
        )));
    }

    pub(super) fn undo_or_redo(&mut self, undo: bool) {
        if matches!(self.mode, Mode::Note(_)) {
            self.close_note();
        }
        let done = if undo {
            self.review.undo()
        } else {
            self.review.redo()
        };
        self.banner = Some(Banner::Info(match done {
            Some(source) => {
                if let Some(i) = source {
                    self.selected = Some(i);
                }
                self.after_review_replaced();
                if undo {
                    format!("undone ({} redoes)", self.key(Action::Redo))
                } else {
                    "redone".to_owned()
                }
            }
            None if undo => "nothing to undo".to_owned(),
            None => "nothing to redo".to_owned(),
        }));
    }
}
