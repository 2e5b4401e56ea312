//! The review screen's state and `update`, the only function that changes it.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

use super::action::Action;
use super::keymap::{self, Mode};
use super::layout::{self, Panes};
use crate::judgement::{Answer, CheckItem};
use crate::review::{Review, Saved, SidecarState, Stamp};
use crate::sanitize::for_terminal;

/// A line-and-row position in the wrapped article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub row: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Banner {
    Info(String),
    Error(String),
}

pub struct App {
    pub review: Review,
    pub author: String,
    /// Returns the current time as RFC 3339 UTC; tests inject a fixed clock.
    clock: fn() -> String,
    pub mode: Mode,
    pub selected: Option<usize>,
    /// The first visible row of the article.
    pub top: Pos,
    pub size: (u16, u16),
    pub banner: Option<Banner>,
    pub note: Option<TextArea<'static>>,
    /// The note as the editor first showed it, to tell an edit from a look.
    note_shown: String,
    pub checklist_cursor: usize,
    pub help_scroll: u16,
    pub should_quit: bool,
    /// A large draft's findings, still being computed on another thread.
    pub scan: Option<std::sync::mpsc::Receiver<Vec<crate::detect::Finding>>>,
}

pub fn system_clock() -> String {
    Stamp::now("").now
}

impl App {
    pub fn new(review: Review, author: String, clock: fn() -> String, size: (u16, u16)) -> Self {
        let selected = (!review.sources.is_empty()).then_some(0);
        let mut app = Self {
            review,
            author,
            clock,
            mode: Mode::Normal,
            selected,
            top: Pos::default(),
            size,
            banner: None,
            note: None,
            note_shown: String::new(),
            checklist_cursor: 0,
            help_scroll: 0,
            should_quit: false,
            scan: None,
        };
        app.reveal_selected();
        app
    }

    pub fn panes(&self) -> Panes {
        Panes::new(
            Rect::new(0, 0, self.size.0, self.size.1),
            self.banner.is_some(),
        )
    }

    fn stamp(&self) -> Stamp {
        Stamp {
            author: self.author.clone(),
            now: self.now(),
        }
    }

    /// The current time from the app's clock (RFC 3339, UTC).
    pub fn now(&self) -> String {
        (self.clock)()
    }

    /// Takes a background scan's findings if they have arrived; returns whether they did.
    pub fn poll_scan(&mut self) -> bool {
        let Some(rx) = &self.scan else { return false };
        match rx.try_recv() {
            Ok(findings) => {
                self.scan = None;
                let first = self.selected.is_none();
                self.review.set_findings(findings);
                if first && !self.review.sources.is_empty() {
                    self.selected = Some(0);
                }
                self.after_review_replaced();
                true
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.scan = None;
                self.banner = Some(Banner::Error(
                    "the scan stopped unexpectedly; no sources are shown".into(),
                ));
                true
            }
        }
    }

    /// Keeps the selection and view valid after the review's sources were replaced.
    pub fn after_review_replaced(&mut self) {
        let n = self.review.sources.len();
        self.selected = if n == 0 {
            None
        } else {
            Some(self.selected.unwrap_or(0).min(n - 1))
        };
        self.reveal_selected();
    }

    /// Routes a key press: through the keymap of the current mode, or into the note's text.
    pub fn handle_key(&mut self, key: KeyEvent) {
        match keymap::lookup(self.mode, key) {
            Some(action) => self.update(action),
            None => {
                if self.mode == Mode::Note
                    && let Some(note) = &mut self.note
                    && note.input(key)
                {
                    // Typed text is unsaved work at once, so a crash mid-note keeps it.
                    self.commit_note();
                }
            }
        }
    }

    pub fn update(&mut self, action: Action) {
        // A banner is a message about the last thing that happened; the next action replaces it.
        if !matches!(action, Action::Resize(..)) {
            self.banner = None;
        }
        match action {
            Action::NextSource => self.step_source(true),
            Action::PrevSource => self.step_source(false),
            Action::ScrollDown if self.mode == Mode::Help => {
                self.help_scroll = self.help_scroll.saturating_add(1)
            }
            Action::ScrollUp if self.mode == Mode::Help => {
                self.help_scroll = self.help_scroll.saturating_sub(1)
            }
            Action::ScrollDown => self.scroll_down(1),
            Action::ScrollUp => self.scroll_up(1),
            Action::PageDown => self.scroll_down(self.page()),
            Action::PageUp => self.scroll_up(self.page()),
            Action::Top => self.top = Pos::default(),
            Action::Bottom => {
                let last = self.review.article().line_count() - 1;
                self.top = Pos {
                    line: last,
                    row: self.rows_in(last) - 1,
                };
                self.scroll_up(self.text_size().1.saturating_sub(1));
            }
            Action::SetStatus(status) => {
                self.with_selected(|review, i, stamp| review.set_status(i, status, stamp))
            }
            Action::ApplyToGroup => {
                if self.require_selection() {
                    let stamp = self.stamp();
                    let i = self.selected.expect("checked above");
                    let mentions = self.review.group_mates(i).len();
                    let changed = self.review.apply_status_to_group(i, &stamp);
                    self.banner = Some(Banner::Info(match mentions {
                        0 => "this source is mentioned only once".to_owned(),
                        _ if !self.review.status(i).is_tagged() => {
                            "tag this mention first (1-5); a applies its reliability to the others"
                                .to_owned()
                        }
                        _ => format!(
                            "{} set on {changed} of {mentions} other mentions",
                            self.review.status(i)
                        ),
                    }));
                }
            }
            Action::ToggleDismiss => {
                self.with_selected(|review, i, stamp| review.toggle_dismissed(i, stamp))
            }
            Action::OpenChecklist => {
                if self.require_selection() {
                    self.mode = Mode::Checklist;
                    self.checklist_cursor = 0;
                }
            }
            Action::ChecklistDown => {
                self.checklist_cursor = (self.checklist_cursor + 1) % CheckItem::ALL.len()
            }
            Action::ChecklistUp => {
                self.checklist_cursor =
                    (self.checklist_cursor + CheckItem::ALL.len() - 1) % CheckItem::ALL.len();
            }
            Action::Answer(answer) => self.answer(|_| answer),
            Action::CycleAnswer => self.answer(Answer::cycled),
            Action::CloseChecklist => self.mode = Mode::Normal,
            Action::OpenNote => self.open_note(),
            Action::CloseNote => self.close_note(),
            Action::Save => {
                if self.mode == Mode::Note {
                    self.commit_note();
                }
                self.save();
            }
            Action::Quit => {
                if self.review.is_dirty() {
                    self.mode = Mode::QuitPrompt;
                } else {
                    self.should_quit = true;
                }
            }
            Action::SaveAndQuit => {
                self.mode = Mode::Normal;
                if self.save() {
                    self.should_quit = true;
                }
            }
            Action::DiscardAndQuit => self.should_quit = true,
            Action::CancelQuit => self.mode = Mode::Normal,
            Action::ToggleHelp => {
                self.mode = if self.mode == Mode::Help {
                    Mode::Normal
                } else {
                    Mode::Help
                };
                self.help_scroll = 0;
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.clamp_top();
            }
        }
    }

    fn require_selection(&mut self) -> bool {
        if self.selected.is_none() {
            self.banner = Some(Banner::Info(
                "no source selected: this draft has none".into(),
            ));
        }
        self.selected.is_some()
    }

    fn with_selected(&mut self, op: impl FnOnce(&mut Review, usize, &Stamp) -> bool) {
        if self.require_selection() {
            let stamp = self.stamp();
            let i = self.selected.expect("checked above");
            op(&mut self.review, i, &stamp);
        }
    }

    fn answer(&mut self, next: impl FnOnce(Answer) -> Answer) {
        let item = CheckItem::ALL[self.checklist_cursor];
        let current = self
            .selected
            .and_then(|i| self.review.annotation(i))
            .map_or(Answer::Unknown, |a| a.checklist.get(item));
        let answer = next(current);
        self.with_selected(|review, i, stamp| review.set_check(i, item, answer, stamp));
    }

    fn open_note(&mut self) {
        if !self.require_selection() {
            return;
        }
        let existing = self
            .selected
            .and_then(|i| self.review.annotation(i))
            .map(|a| a.note.clone())
            .unwrap_or_default();
        // A note from a sidecar can hold control characters; the editor shows their stand-ins
        // (ratatui would silently drop them, hiding text), and the note is only rewritten if the
        // editor changes what was shown.
        let lines: Vec<String> = if existing.is_empty() {
            vec![String::new()]
        } else {
            existing
                .lines()
                .map(|l| for_terminal(l).into_owned())
                .collect()
        };
        self.note_shown = lines.join("\n");
        let mut area = TextArea::new(lines);
        area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        area.set_cursor_line_style(ratatui::style::Style::new());
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        self.note = Some(area);
        self.mode = Mode::Note;
    }

    fn commit_note(&mut self) {
        if let Some(note) = &self.note {
            let text = note.lines().join("\n");
            if text != self.note_shown {
                self.with_selected(|review, i, stamp| review.set_note(i, &text, stamp));
                self.note_shown = text;
            }
        }
    }

    fn close_note(&mut self) {
        self.commit_note();
        self.note = None;
        self.mode = Mode::Normal;
    }

    /// Saves, reporting the outcome in a banner; returns whether the work is now on disk.
    fn save(&mut self) -> bool {
        let name = self
            .review
            .sidecar_path()
            .file_name()
            .map(|n| for_terminal(&n.to_string_lossy()).into_owned())
            .unwrap_or_default();
        match self.review.save() {
            Ok(Saved::Written) => {
                self.banner = Some(Banner::Info(format!("saved {name}")));
                true
            }
            Ok(Saved::Unchanged) => {
                self.banner = Some(Banner::Info("no changes to save".into()));
                true
            }
            Ok(Saved::Merged { conflicts }) => {
                self.after_review_replaced();
                self.banner = Some(match conflicts.len() {
                    0 => Banner::Info(format!(
                        "saved {name}, merged with changes saved meanwhile by someone else"
                    )),
                    n => Banner::Error(format!(
                        "saved {name}, merged with someone else's changes: {n} {} both versions \
                         (shown as ⚠ conflict); edit the note to resolve",
                        if n == 1 { "note keeps" } else { "notes keep" }
                    )),
                });
                true
            }
            Err(e) => {
                self.banner = Some(Banner::Error(for_terminal(&e.to_string()).into_owned()));
                false
            }
        }
    }

    /// Whether the review can be written at all (the sidecar parsed and is not too new).
    pub fn can_save(&self) -> bool {
        matches!(self.review.sidecar_state(), SidecarState::Writable(_))
    }

    fn step_source(&mut self, forward: bool) {
        let n = self.review.sources.len();
        if n == 0 {
            self.banner = Some(Banner::Info("this draft has no anonymous sources".into()));
            return;
        }
        self.selected = Some(match (self.selected, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        });
        self.reveal_selected();
    }

    pub fn text_size(&self) -> (usize, usize) {
        self.panes().text_size()
    }

    fn page(&self) -> usize {
        self.text_size().1.saturating_sub(1).max(1)
    }

    fn rows_in(&self, line: usize) -> usize {
        let article = self.review.article();
        let range = article.line_range(line);
        layout::wrap(
            &article.text()[range.clone()],
            range.start,
            self.text_size().0,
        )
        .len()
    }

    /// Whether `line` wraps to more than `row` rows, wrapping no further than that.
    fn has_row(&self, line: usize, row: usize) -> bool {
        let article = self.review.article();
        let range = article.line_range(line);
        let limit = layout::Limit {
            rows: row + 1,
            offset: usize::MAX,
        };
        layout::wrap_limited(
            &article.text()[range.clone()],
            range.start,
            self.text_size().0,
            limit,
        )
        .len()
            > row
    }

    fn scroll_down(&mut self, n: usize) {
        let last = self.review.article().line_count() - 1;
        for _ in 0..n {
            if self.has_row(self.top.line, self.top.row + 1) {
                self.top.row += 1;
            } else if self.top.line < last {
                self.top = Pos {
                    line: self.top.line + 1,
                    row: 0,
                };
            } else {
                break;
            }
        }
    }

    fn scroll_up(&mut self, n: usize) {
        for _ in 0..n {
            if self.top.row > 0 {
                self.top.row -= 1;
            } else if self.top.line > 0 {
                self.top.line -= 1;
                self.top.row = self.rows_in(self.top.line) - 1;
            } else {
                break;
            }
        }
    }

    /// Keeps `top` valid after the width changes the number of rows in its line.
    fn clamp_top(&mut self) {
        let rows = self.rows_in(self.top.line);
        self.top.row = self.top.row.min(rows - 1);
    }

    /// Where a byte offset is drawn: its line and the wrapped row within it.
    fn pos_of(&self, offset: usize) -> Pos {
        let article = self.review.article();
        let line = article.line_of(offset);
        let range = article.line_range(line);
        let limit = layout::Limit {
            rows: usize::MAX,
            offset,
        };
        let rows = layout::wrap_limited(
            &article.text()[range.clone()],
            range.start,
            self.text_size().0,
            limit,
        );
        let row = rows
            .iter()
            .rposition(|r| r.start().is_some_and(|s| s <= offset))
            .unwrap_or(0);
        Pos { line, row }
    }

    /// Scrolls just enough to show the selected source, with a little context above it.
    pub fn reveal_selected(&mut self) {
        let Some(i) = self.selected else { return };
        let target = self.pos_of(self.review.sources[i].start);
        let height = self.text_size().1;
        if target < self.top {
            self.top = target;
            self.scroll_up(2.min(height / 3));
            return;
        }
        // Count rows from the top to the target, giving up once past the bottom of the view.
        let mut pos = self.top;
        let mut seen = 0;
        while pos < target && seen < height {
            if self.has_row(pos.line, pos.row + 1) {
                pos.row += 1;
            } else {
                pos = Pos {
                    line: pos.line + 1,
                    row: 0,
                };
            }
            seen += 1;
        }
        if seen >= height.saturating_sub(1) {
            self.top = target;
            self.scroll_up(height / 3);
        }
    }
}
