//! The review screen's state and `update`, the only function that changes it.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

use super::action::Action;
use super::filter::Filter;
use super::keymap::{self, Mode};
use super::layout::{self, Panes};
use std::path::PathBuf;
use std::sync::Arc;

use crate::detect::Detector;
use crate::judgement::{Answer, Questions, Scale};
use crate::review::anchoring::AnchorState;
use crate::review::{Review, Saved, SidecarState, Stamp};
use crate::sanitize::for_terminal;
use crate::sidecar::lock::{self, Holder, Lock};

mod disk;
mod mouse;
mod rows;
mod search;
mod selection;

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

/// The most rows a banner takes from the article.
pub const BANNER_ROWS: usize = 4;

impl Banner {
    pub fn text(&self) -> &str {
        match self {
            Banner::Info(t) | Banner::Error(t) => t,
        }
    }

    /// The banner's text laid out in rows of `width` columns: broken at a space where one is
    /// near the edge, else mid-word (a long path), so the rows are exactly as many as needed; at
    /// most [`BANNER_ROWS`], the last ending in `…` if the text goes on.
    pub fn lines(&self, width: u16) -> Vec<String> {
        use unicode_width::UnicodeWidthChar;
        let width = usize::from(width.max(2)) - 1;
        let text = for_terminal(self.text());
        let mut rows: Vec<String> = Vec::new();
        let mut row = String::new();
        let mut cols = 0;
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if cols + w > width && !row.is_empty() {
                // Carry the last word down when a space is near the end of the row.
                let carried = match row.rfind(' ') {
                    Some(i) if row.len() - i <= 24 && i > 0 => row.split_off(i + 1),
                    _ => String::new(),
                };
                rows.push(std::mem::take(&mut row));
                cols = unicode_width::UnicodeWidthStr::width(carried.as_str());
                row = carried;
            }
            row.push(c);
            cols += w;
        }
        rows.push(row);
        if rows.len() > BANNER_ROWS {
            rows.truncate(BANNER_ROWS);
            if let Some(last) = rows.last_mut() {
                last.pop();
                last.push('…');
            }
        }
        rows.iter().map(|r| format!(" {}", r.trim_end())).collect()
    }

    /// The rows it needs at `width` columns.
    pub fn rows(&self, width: u16) -> u16 {
        u16::try_from(self.lines(width).len()).unwrap_or(1)
    }
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
    /// Why nothing can be changed in this session (another session holds the lock, or
    /// `--read-only`); `None` when the editor can work.
    pub read_only: Option<String>,
    /// The lock this session holds on the draft, released when the app is dropped.
    pub lock: Option<Lock>,
    /// Set when this session took over the lock, so unsaved work a crashed session left in the
    /// recovery file can be brought back.
    pub recover_pending: bool,
    /// The detector, to scan the draft again when it is reloaded.
    pub detector: Option<Arc<Detector>>,
    /// The draft's size and modification time when it was read, to notice edits made elsewhere.
    article_stamp: Option<FileStamp>,
    /// The draft changed on disk since it was read.
    pub article_changed: bool,
    /// Unsaved work cannot be written to the recovery file (a full disk, an unwritable data
    /// folder): the status bar says so for as long as it lasts.
    pub recovery_failing: bool,
    /// Which sources the list shows and Tab visits.
    pub filter: Filter,
    /// The search being typed, or the last one (for `n` / `N`).
    pub search: String,
    /// The match the view is on: highlighted, and where `n` / `N` go on from.
    pub found: Option<(usize, usize)>,
    /// The view and selection when the search began, to go back to on Esc.
    search_origin: Option<(Pos, Option<usize>, usize)>,
    /// The search `n` repeated before this one was typed, to go back to if it is cancelled.
    search_before: String,
    /// Where the accepted search matches, in order (at most [`MAX_COUNTED`]), for "3 of 17".
    pub matches: Vec<usize>,
    /// The line number being typed after `:`.
    pub goto: String,
    /// Set when the editor asked to write the note in their own editor; the event loop, which
    /// owns the terminal, does it.
    pub external_note: bool,
    /// Colours, or none.
    pub theme: super::theme::Theme,
    /// This draft's place among several open ones, `(n, of)`; `None` when it is the only one.
    pub file_position: Option<(usize, usize)>,
    /// Other open drafts with unsaved changes, for the quit prompt.
    pub unsaved_elsewhere: usize,
    /// The standards checklist in use: the built-in one or the newsroom's.
    pub questions: Questions,
    /// The reliability scale in use: the built-in one or the newsroom's.
    pub scale: Scale,
    /// Keys to actions, per mode: the built-in table with the config's overrides.
    pub keymap: keymap::Keymap,
    /// The attributions not under review, while they are shown (`A`, or the list's filter).
    pub others: Option<Vec<crate::detect::Attribution>>,
    /// The one chosen in the list while it shows them.
    pub other_selected: Option<usize>,
    /// Ctrl-Z asked for the terminal to go back to the shell; the loop does it.
    pub suspend: bool,
    /// The zone times are shown in (stored times are UTC). UTC until the caller sets the
    /// system's, so tests and snapshots do not depend on the machine.
    pub tz: jiff::tz::TimeZone,
    /// The editor pressed T once on a lock whose holder looks alive.
    take_over_armed: bool,
    /// The last key was an `a` that left differently judged mentions alone.
    apply_armed: bool,
    /// The chosen row in the Orphans view.
    pub orphan_cursor: usize,
    /// While selecting text: where the selection began and where the cursor is (byte offsets).
    pub selection: Option<(usize, usize)>,
    /// Where the rows of long lines start (a cache; see `rows`).
    rows: std::cell::RefCell<rows::RowIndexes>,
}

/// Why a session opened with `--read-only` cannot change anything.
pub const READ_ONLY_FLAG: &str = "opened with --read-only";

/// What is compared to notice that a file changed on disk.
type FileStamp = (u64, Option<std::time::SystemTime>);

fn file_stamp(path: &std::path::Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
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
            read_only: None,
            lock: None,
            recover_pending: false,
            detector: None,
            article_stamp: None,
            article_changed: false,
            orphan_cursor: 0,
            selection: None,
            take_over_armed: false,
            apply_armed: false,
            recovery_failing: false,
            tz: jiff::tz::TimeZone::UTC,
            theme: super::theme::Theme::Default,
            keymap: keymap::Keymap::default(),
            others: None,
            other_selected: None,
            suspend: false,
            questions: Questions::default(),
            scale: Scale::default(),
            file_position: None,
            unsaved_elsewhere: 0,
            filter: Filter::All,
            search: String::new(),
            found: None,
            search_origin: None,
            search_before: String::new(),
            matches: Vec::new(),
            goto: String::new(),
            external_note: false,
            rows: rows::none(),
        };
        app.article_stamp = file_stamp(app.review.article().path());
        app.reveal_selected();
        app
    }

    pub fn panes(&self) -> Panes {
        Panes::new(
            Rect::new(0, 0, self.size.0, self.size.1),
            self.banner.as_ref().map_or(0, |b| b.rows(self.size.0)),
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
        self.rows.get_mut().clear();
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
        match self.keymap.lookup(self.mode, key) {
            Some(action) => self.update(action),
            None if self.mode == Mode::Search => self.type_search(key),
            None if self.mode == Mode::GoTo => {
                if let ratatui::crossterm::event::KeyCode::Char(
                    c @ ('0'..='9' | 'w' | 'q' | 'x' | '!'),
                ) = key.code
                    && self.goto.len() < 12
                {
                    self.goto.push(c);
                } else if key.code == ratatui::crossterm::event::KeyCode::Backspace {
                    self.goto.pop();
                }
            }
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
        // A second T must follow the first directly.
        let armed = std::mem::take(&mut self.take_over_armed) && action == Action::TakeOver;
        // So is a second `a` that overwrites mentions judged differently.
        let apply_armed = std::mem::take(&mut self.apply_armed) && action == Action::ApplyToGroup;
        // A banner is a message about the last thing that happened; the next action replaces it.
        if !matches!(action, Action::Resize(..)) {
            self.banner = None;
        }
        if action.modifies() {
            self.notice_lost_lock();
        }
        if action.modifies()
            && let Some(why) = &self.read_only
        {
            self.banner = Some(Banner::Error(format!("read-only: {why}")));
            return;
        }
        // A judgement acts on the source the editor can see, never on one scrolled away.
        if action.judges()
            && self.mode == Mode::Normal
            && let Some(i) = self.selected
            && !self.in_view(i)
        {
            let key = self
                .keymap
                .key_for(Mode::Normal, Action::NextSource)
                .unwrap_or_else(|| "Tab".into());
            self.banner = Some(Banner::Info(format!(
                "no source selected on screen: {key} selects the next one"
            )));
            return;
        }
        let scrolls = matches!(
            action,
            Action::ScrollDown
                | Action::ScrollUp
                | Action::PageDown
                | Action::PageUp
                | Action::Top
                | Action::Bottom
        ) && self.mode == Mode::Normal;
        self.apply(action, armed, apply_armed);
        if scrolls {
            self.follow_view();
        }
    }

    /// The key bound to `action` in the review, as the help writes it, so a hint stays true
    /// after a newsroom remaps its keys.
    pub fn key(&self, action: Action) -> String {
        self.keymap
            .key_for(Mode::Normal, action)
            .unwrap_or_else(|| format!("({})", action.name()))
    }

    /// The key bound to `action` in `mode`, for that mode's prompts and titles.
    pub fn key_in(&self, mode: Mode, action: Action) -> String {
        self.keymap
            .key_for(mode, action)
            .unwrap_or_else(|| format!("({})", action.name()))
    }

    /// The keys that set a reliability level: "1-5" on the built-in scale, "1-3" on a
    /// three-level one.
    pub fn level_keys(&self) -> String {
        let n = u8::try_from(self.scale.levels().len())
            .unwrap_or(9)
            .clamp(1, 9);
        let (first, last) = (self.key(Action::SetLevel(1)), self.key(Action::SetLevel(n)));
        if n == 1 {
            first
        } else {
            format!("{first}-{last}")
        }
    }

    /// The byte range the article pane shows.
    fn view_range(&self) -> (usize, usize) {
        let height = self.text_size().1.max(1);
        let article = self.review.article();
        let mut rows = 0;
        let mut line = self.top.line;
        let mut skip = self.top.row;
        let mut first = None;
        let mut last = article.line_range(self.top.line).start;
        while rows < height && line < article.line_count() {
            for row in self.rows_of(line, skip, height - rows) {
                first = first.or(row.start());
                if let Some(g) = row.glyphs.last() {
                    last = g.offset;
                }
                rows += 1;
            }
            skip = 0;
            line += 1;
        }
        let first = first.unwrap_or(last);
        (first, last.max(first))
    }

    /// Whether any of source `i` is on screen.
    pub fn in_view(&self, i: usize) -> bool {
        covers(self.view_range(), &self.review.sources[i])
    }

    /// After the view moved: a selection scrolled off screen moves to the nearest source in
    /// view that the list shows, if there is one.
    pub(super) fn follow_view(&mut self) {
        let Some(i) = self.selected else { return };
        let view = self.view_range();
        if covers(view, &self.review.sources[i]) {
            return;
        }
        let from = view.0;
        let shown = self.shown();
        let in_view = shown
            .iter()
            .copied()
            .filter(|&j| covers(view, &self.review.sources[j]));
        let nearest = if self.review.sources[i].start < from {
            in_view.min_by_key(|&j| self.review.sources[j].start)
        } else {
            in_view.max_by_key(|&j| self.review.sources[j].start)
        };
        if let Some(j) = nearest {
            self.selected = Some(j);
        }
    }

    fn apply(&mut self, action: Action, armed: bool, apply_armed: bool) {
        match action {
            Action::NextSource if self.filter == Filter::Attributions => self.step_other(true),
            Action::PrevSource if self.filter == Filter::Attributions => self.step_other(false),
            Action::NextSource => self.step_source(true),
            Action::PrevSource => self.step_source(false),
            Action::ScrollDown if self.mode == Mode::Help => self.scroll_help(1),
            Action::ScrollUp if self.mode == Mode::Help => self.scroll_help(-1),
            Action::PageDown if self.mode == Mode::Help => self.scroll_help(self.help_page()),
            Action::PageUp if self.mode == Mode::Help => self.scroll_help(-self.help_page()),
            Action::Top if self.mode == Mode::Help => self.help_scroll = 0,
            Action::Bottom if self.mode == Mode::Help => self.scroll_help(i32::MAX),
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
            Action::SetLevel(n) => {
                let status = match n {
                    0 => Some(crate::judgement::Status::Untagged),
                    n => self.scale.level(usize::from(n)),
                };
                match status {
                    Some(status) => {
                        self.with_selected(|review, i, stamp| review.set_status(i, status, stamp))
                    }
                    None => {
                        self.banner = Some(Banner::Info(format!(
                            "the reliability scale has {} levels: 1-{} tag, 0 clears",
                            self.scale.levels().len(),
                            self.scale.levels().len()
                        )))
                    }
                }
            }
            Action::ApplyToGroup => self.apply_to_group(apply_armed),
            Action::ToggleDismiss => {
                self.with_selected(|review, i, stamp| review.toggle_dismissed(i, stamp))
            }
            Action::OpenChecklist => {
                if self.require_selection() {
                    self.mode = Mode::Checklist;
                    self.checklist_cursor = 0;
                    self.review.begin_checklist();
                }
            }
            Action::ChecklistDown => {
                self.checklist_cursor = (self.checklist_cursor + 1) % self.questions.len().max(1)
            }
            Action::ChecklistUp => {
                self.checklist_cursor = (self.checklist_cursor + self.questions.len().max(1) - 1)
                    % self.questions.len().max(1);
            }
            Action::Answer(answer) => self.answer(|_| answer),
            Action::CycleAnswer => self.answer(Answer::cycled),
            Action::CloseChecklist => {
                self.review.end_checklist();
                self.mode = Mode::Normal;
            }
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
            Action::ConfirmMoved => self.confirm_moved(),
            Action::SendToOrphans => self.send_to_orphans(),
            Action::OpenOrphans => {
                if self.review.orphans().is_empty() {
                    self.banner = Some(Banner::Info(
                        "no orphaned notes: every note is on its text".into(),
                    ));
                } else {
                    self.orphan_cursor = 0;
                    self.mode = Mode::Orphans;
                }
            }
            Action::CloseOrphans => self.mode = Mode::Normal,
            Action::OrphanDown | Action::OrphanUp => {
                let n = self.review.orphans().len().max(1);
                self.orphan_cursor = if action == Action::OrphanDown {
                    (self.orphan_cursor + 1) % n
                } else {
                    (self.orphan_cursor + n - 1) % n
                };
            }
            Action::Reattach => self.reattach(),
            Action::DeleteOrphan => {
                if self.chosen_orphan().is_some() {
                    self.mode = Mode::ConfirmDelete;
                }
            }
            Action::StartSelection if self.filter == Filter::Attributions => {
                self.promote_other();
            }
            Action::StartSelection => self.start_selection(),
            Action::SelectLeft
            | Action::SelectRight
            | Action::SelectWordForward
            | Action::SelectWordBack
            | Action::SelectDown
            | Action::SelectUp
            | Action::SelectLineStart
            | Action::SelectLineEnd => self.move_selection(action),
            Action::RestartSelection => {
                self.selection = self.selection.map(|(_, cursor)| (cursor, cursor));
            }
            Action::SwapSelectionEnds => {
                self.selection = self.selection.map(|(anchor, cursor)| (cursor, anchor));
                if let Some((_, cursor)) = self.selection {
                    self.reveal_offset(cursor);
                }
            }
            Action::MarkSource => self.mark_source(),
            Action::CancelSelection => {
                self.selection = None;
                self.mode = Mode::Normal;
            }
            Action::ToggleAttributions => self.toggle_attributions(),
            Action::Suspend => self.suspend = true,
            Action::ClearFilter => {
                if self.filter != Filter::All {
                    self.filter = Filter::All;
                    self.other_selected = None;
                    self.banner = Some(Banner::Info(format!(
                        "showing all {} sources",
                        self.review.sources.len()
                    )));
                } else {
                    self.banner = None;
                }
            }
            Action::SignOff => {
                let untagged = self.review.counts().untagged;
                if untagged > 0 {
                    self.mode = Mode::SignOffPrompt;
                } else {
                    self.sign_off();
                }
            }
            Action::Confirm => {
                let mode = std::mem::replace(&mut self.mode, Mode::Normal);
                match mode {
                    Mode::SignOffPrompt => self.sign_off(),
                    Mode::ConfirmDelete => self.delete_orphan(),
                    _ => {}
                }
            }
            Action::Decline => {
                self.mode = if self.mode == Mode::ConfirmDelete {
                    Mode::Orphans
                } else {
                    Mode::Normal
                };
            }
            Action::TakeOver => self.take_over(armed),
            // Moving between drafts is the workspace's; a lone screen has nowhere to go.
            Action::NextFile | Action::PrevFile | Action::OpenFiles => {
                self.banner = Some(Banner::Info("only one draft is open".into()));
            }
            Action::FileDown | Action::FileUp | Action::OpenChosenFile | Action::CloseFiles => {
                self.mode = Mode::Normal;
            }
            Action::Undo | Action::Redo => {
                if self.mode == Mode::Note {
                    self.close_note();
                }
                let done = if action == Action::Undo {
                    self.review.undo()
                } else {
                    self.review.redo()
                };
                match done {
                    Some(source) => {
                        if source.is_some() {
                            self.selected = source;
                        }
                        self.after_review_replaced();
                        self.banner = Some(Banner::Info(if action == Action::Undo {
                            format!("undone ({} redoes)", self.key(Action::Redo))
                        } else {
                            "redone".to_owned()
                        }));
                    }
                    None => {
                        self.banner = Some(Banner::Info(
                            if action == Action::Undo {
                                "nothing to undo"
                            } else {
                                "nothing to redo"
                            }
                            .into(),
                        ))
                    }
                }
            }
            Action::StartSearch => {
                let from = self.selected.map_or_else(
                    || self.review.article().line_range(self.top.line).start,
                    |i| self.review.sources[i].start,
                );
                self.search_origin = Some((self.top, self.selected, from));
                self.search_before = std::mem::take(&mut self.search);
                self.found = None;
                self.mode = Mode::Search;
            }
            Action::AcceptSearch => {
                self.mode = Mode::Normal;
                self.search_origin = None;
                self.count_matches();
                match self.found {
                    Some(_) => {
                        self.select_at_match();
                        self.say_match(false);
                    }
                    None if !self.search.is_empty() => {
                        self.banner = Some(Banner::Info(format!(
                            "not found: {}",
                            for_terminal(&self.search)
                        )))
                    }
                    None => {}
                }
            }
            Action::CancelSearch => {
                if let Some((top, selected, _)) = self.search_origin.take() {
                    self.top = top;
                    self.selected = selected;
                }
                // `n` goes on repeating the search that was accepted before, not this one.
                self.search = std::mem::take(&mut self.search_before);
                self.found = None;
                self.mode = Mode::Normal;
            }
            Action::NextMatch | Action::PrevMatch => {
                if self.search.is_empty() {
                    self.banner = Some(Banner::Info("no search yet: / starts one".into()));
                } else {
                    let forward = action == Action::NextMatch;
                    let from = match (self.found, forward) {
                        (Some((_, end)), true) => end,
                        (Some((start, _)), false) => start,
                        (None, _) => self.selected.map_or(0, |i| self.review.sources[i].start),
                    };
                    self.go_to_match(from, forward);
                    if let Some((start, _)) = self.found {
                        self.select_at_match();
                        let wrapped = if forward { start < from } else { start >= from };
                        self.say_match(wrapped);
                    }
                }
            }
            Action::NextFilter | Action::PrevFilter => {
                self.filter = self.filter.step(action == Action::NextFilter, &self.scale);
                if self.filter == Filter::Attributions {
                    self.list_others();
                    return;
                }
                self.other_selected = None;
                let shown = self.shown().len();
                if let Some(i) = self.selected
                    && !self.filter.matches(&self.review, i)
                {
                    self.step_source(true);
                }
                self.banner = Some(Banner::Info(format!(
                    "showing {}: {shown} of {} sources ({} / {} change the filter)",
                    self.filter.label(),
                    self.review.sources.len(),
                    self.key(Action::NextFilter),
                    self.key(Action::PrevFilter)
                )));
            }
            Action::NextUntagged => {
                let n = self.review.sources.len();
                let from = self.selected.map_or(0, |i| i + 1);
                match (0..n)
                    .map(|k| (from + k) % n)
                    .find(|&i| self.review.status(i) == crate::judgement::Status::Untagged)
                {
                    Some(i) => {
                        self.selected = Some(i);
                        self.reveal_selected();
                    }
                    None => {
                        self.banner = Some(Banner::Info("no untagged sources left".into()));
                    }
                }
            }
            Action::StartGoTo => {
                self.goto.clear();
                self.mode = Mode::GoTo;
            }
            Action::AcceptGoTo => {
                self.mode = Mode::Normal;
                // vi's commands, for hands that type them without thinking.
                match self.goto.as_str() {
                    "w" => self.update(Action::Save),
                    "q" => self.update(Action::Quit),
                    "wq" | "x" => self.update(Action::SaveAndQuit),
                    "q!" => self.update(Action::DiscardAndQuit),
                    line => match line.parse::<usize>() {
                        Ok(line) => self.go_to_line(line),
                        Err(_) => {
                            self.banner = Some(Banner::Info(format!(
                                ":{} is not a line number or :w, :q, :wq, :q!",
                                for_terminal(line)
                            )))
                        }
                    },
                }
            }
            Action::CancelGoTo => self.mode = Mode::Normal,
            Action::ExternalNote => {
                if self.require_selection() {
                    self.external_note = true;
                }
            }
            Action::Reload => self.reload(),
        }
    }

    /// A stored RFC 3339 time as the editor reads it: local, to the minute, with the zone.
    /// Text that is not a time is shown as it is.
    pub fn local_time(&self, stored: &str) -> String {
        match stored.parse::<jiff::Timestamp>() {
            Ok(t) => t
                .to_zoned_datetime(self.tz.clone())
                .strftime("%Y-%m-%d %H:%M %Z")
                .to_string(),
            Err(_) => stored.to_owned(),
        }
    }

    /// The sources the list shows, by index, in order.
    pub fn shown(&self) -> Vec<usize> {
        (0..self.review.sources.len())
            .filter(|&i| self.filter.matches(&self.review, i))
            .collect()
    }

    /// Scrolls so that 1-based `line` is at the top (the last line if it is past the end).
    pub fn go_to_line(&mut self, line: usize) {
        let last = self.review.article().line_count();
        self.top = Pos {
            line: line.clamp(1, last) - 1,
            row: 0,
        };
        self.follow_view();
    }

    /// The note of the selected source as the external editor should get it.
    pub fn note_text(&self) -> String {
        self.selected
            .and_then(|i| self.review.annotation(i))
            .map(|a| a.note.clone())
            .unwrap_or_default()
    }

    /// Takes what the external editor returned.
    pub fn finish_external_note(&mut self, result: std::io::Result<String>) {
        match result {
            Ok(text) => {
                self.with_selected(|review, i, stamp| review.set_note(i, &text, stamp));
                self.review.finish_typing();
                self.banner = Some(Banner::Info("note updated".into()));
            }
            Err(e) => {
                self.banner = Some(Banner::Error(format!(
                    "the note was not changed: {}",
                    for_terminal(&e.to_string())
                )));
            }
        }
    }

    fn confirm_moved(&mut self) {
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

    /// Gives the other mentions of the selected source its reliability. A mention an editor
    /// judged differently is overwritten only by a second `a` straight after the first.
    fn apply_to_group(&mut self, overwrite: bool) {
        if !self.require_selection() {
            return;
        }
        let stamp = self.stamp();
        let i = self.selected.expect("checked above");
        let mentions = self.review.group_mates(i).len();
        let status = self.review.status(i);
        let done = self.review.apply_status_to_group(i, overwrite, &stamp);
        self.banner = Some(match mentions {
            0 => Banner::Info("this source is mentioned only once".to_owned()),
            _ if !status.is_tagged() => Banner::Info(format!(
                "tag this mention first ({}); {} applies its reliability to the others",
                self.level_keys(),
                self.key(Action::ApplyToGroup)
            )),
            _ if done.kept > 0 => {
                self.apply_armed = true;
                Banner::Error(format!(
                    "{status} set on {} of {mentions} other mentions; {} judged differently kept theirs: a again overwrites them",
                    done.changed, done.kept
                ))
            }
            _ => Banner::Info(format!(
                "{status} set on {} of {mentions} other mentions",
                done.changed
            )),
        });
    }

    fn send_to_orphans(&mut self) {
        let Some(i) = self.selected else {
            self.require_selection();
            return;
        };
        let stamp = self.stamp();
        if self.review.send_to_orphans(i, &stamp) {
            self.after_review_replaced();
            self.banner = Some(Banner::Info(
                "set aside: the note is with the orphans (o) until you re-attach it".into(),
            ));
        } else {
            self.banner = Some(Banner::Info(format!(
                "this note has not moved; {} sets aside notes marked ~ after the text changed",
                self.key(Action::SendToOrphans)
            )));
        }
    }

    /// The orphaned annotation under the cursor in the Orphans view.
    pub fn chosen_orphan(&self) -> Option<usize> {
        let orphans = self.review.orphans();
        orphans
            .get(self.orphan_cursor.min(orphans.len().saturating_sub(1)))
            .copied()
    }

    fn reattach(&mut self) {
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

    fn delete_orphan(&mut self) {
        let Some(a) = self.chosen_orphan() else {
            return;
        };
        match self.review.delete_orphan(a) {
            Ok(()) => {
                self.banner = Some(Banner::Info("orphaned note deleted".into()));
                if !self.review.orphans().is_empty() {
                    self.mode = Mode::Orphans;
                    self.orphan_cursor = self.orphan_cursor.min(self.review.orphans().len() - 1);
                }
            }
            Err(e) => self.banner = Some(Banner::Error(e.to_string())),
        }
    }

    /// The rows the help shows at once: the popup's height less its borders.
    fn help_page(&self) -> i32 {
        i32::from(self.size.1.saturating_sub(4)).max(1)
    }

    /// Scrolls the help by `by` rows, never past its last page.
    fn scroll_help(&mut self, by: i32) {
        let rows = keymap::help_rows(&self.keymap, &self.scale).len();
        let max = i64::try_from(rows).unwrap_or(i64::MAX) - i64::from(self.help_page());
        let next = (i64::from(self.help_scroll) + i64::from(by)).clamp(0, max.max(0));
        self.help_scroll = u16::try_from(next).unwrap_or(u16::MAX);
    }

    /// The attributions not under review, found on the text as it stands.
    fn find_others(&self) -> Vec<crate::detect::Attribution> {
        let detector = self
            .detector
            .clone()
            .unwrap_or_else(|| Arc::new(Detector::new(&crate::config::Config::default())));
        let article = self.review.article();
        let taken: Vec<(usize, usize)> = self
            .review
            .sources
            .iter()
            .map(|s| (s.start, s.end))
            .collect();
        detector.attributions(article.text(), article.format(), &taken)
    }

    /// The list's filter reached the other attributions: they are shown, and the first chosen.
    fn list_others(&mut self) {
        let others = self.others.take().unwrap_or_else(|| self.find_others());
        let n = others.len();
        self.others = Some(others);
        self.other_selected = (n > 0).then_some(0);
        let key = self
            .keymap
            .key_for(Mode::Normal, Action::StartSelection)
            .unwrap_or_else(|| "v".into());
        self.banner = Some(Banner::Info(if n == 0 {
            "no other attributions in this draft".to_owned()
        } else {
            format!(
                "{n} other attributions, never judged: {key} makes the chosen one a source to judge"
            )
        }));
        self.reveal_other();
    }

    fn step_other(&mut self, forward: bool) {
        let n = self.others.as_ref().map_or(0, Vec::len);
        if n == 0 {
            return;
        }
        self.other_selected = Some(match (self.other_selected, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(k), true) => (k + 1) % n,
            (Some(k), false) => (k + n - 1) % n,
        });
        self.reveal_other();
    }

    fn reveal_other(&mut self) {
        if let Some(start) = self
            .other_selected
            .and_then(|k| self.others.as_ref()?.get(k))
            .map(|a| a.start)
        {
            self.reveal_offset(start);
        }
    }

    /// `v` on a chosen attribution: it becomes a source to judge, marked as an editor marks a
    /// missed phrase, and the list shows every source again with it selected.
    fn promote_other(&mut self) {
        let Some((k, span)) = self.other_selected.and_then(|k| {
            let a = self.others.as_ref()?.get(k)?;
            Some((k, (a.start, a.end)))
        }) else {
            self.banner = Some(Banner::Info("no attribution chosen".into()));
            return;
        };
        self.selection = Some(span);
        self.mark_source();
        if self.selection.is_none() {
            if let Some(others) = &mut self.others {
                others.remove(k);
            }
            self.other_selected = None;
            self.filter = Filter::All;
            self.banner = Some(Banner::Info(format!(
                "now a source to judge: {} tag it, {} writes a note",
                self.level_keys(),
                self.key(Action::OpenNote)
            )));
        }
    }

    /// Shows the attributions that are not under review, found now on the text as it stands, or
    /// hides them. They are never sources to judge: the list and the counts leave them out.
    fn toggle_attributions(&mut self) {
        if self.others.take().is_some() {
            self.other_selected = None;
            if self.filter == Filter::Attributions {
                self.filter = Filter::All;
            }
            self.banner = Some(Banner::Info("other attributions hidden".into()));
            return;
        }
        let found = self.find_others();
        let mut counts: Vec<String> = Vec::new();
        for class in crate::detect::SourceClass::ALL {
            let n = found.iter().filter(|a| a.class == class).count();
            if n > 0 {
                counts.push(format!("{n} {}", class.as_str()));
            }
        }
        let key = self
            .keymap
            .key_for(Mode::Normal, Action::ToggleAttributions)
            .unwrap_or_else(|| "A".into());
        self.banner = Some(Banner::Info(if found.is_empty() {
            format!("no other attributions in this draft ({key} hides this)")
        } else {
            format!(
                "showing other attributions, underlined: {} ({key} hides them)",
                counts.join(", ")
            )
        }));
        self.others = Some(found);
    }

    fn sign_off(&mut self) {
        let stamp = self.stamp();
        self.review.sign_off_now(&stamp);
        self.banner = Some(Banner::Info(format!(
            "sourcing signed off by {}; {} saves it",
            for_terminal(&self.author),
            self.key(Action::Save)
        )));
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
        let Some((item, _)) = self.questions.get(self.checklist_cursor) else {
            return;
        };
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
        // The editor holds the note as written: a zero-width non-joiner (Persian, Urdu) or a
        // direction mark is the editor's text. Only drawing it replaces what a terminal must not
        // get (see `draw::note_on_screen`); the note is rewritten only if it was edited.
        let lines: Vec<String> = if existing.is_empty() {
            vec![String::new()]
        } else {
            existing.lines().map(str::to_owned).collect()
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
        self.review.finish_typing();
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
                         (marked * in the list); edit the note to resolve",
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

    /// Selects the next (or previous) source the filter shows, wrapping at the ends.
    fn step_source(&mut self, forward: bool) {
        let n = self.review.sources.len();
        if n == 0 {
            self.banner = Some(Banner::Info("this draft has no anonymous sources".into()));
            return;
        }
        let shown = self.shown();
        if shown.is_empty() {
            self.banner = Some(Banner::Info(format!(
                "no {} sources: {} changes the filter",
                self.filter.label(),
                self.key(Action::NextFilter)
            )));
            return;
        }
        let next = match (self.selected, forward) {
            (None, true) => shown[0],
            (None, false) => shown[shown.len() - 1],
            (Some(i), true) => shown.iter().copied().find(|&s| s > i).unwrap_or(shown[0]),
            (Some(i), false) => shown
                .iter()
                .rev()
                .copied()
                .find(|&s| s < i)
                .unwrap_or(shown[shown.len() - 1]),
        };
        self.selected = Some(next);
        self.reveal_selected();
    }

    pub fn text_size(&self) -> (usize, usize) {
        self.panes().text_size()
    }

    fn page(&self) -> usize {
        self.text_size().1.saturating_sub(1).max(1)
    }

    /// Keeps `top` valid after the width changes the number of rows in its line.
    fn clamp_top(&mut self) {
        let rows = self.rows_in(self.top.line);
        self.top.row = self.top.row.min(rows - 1);
    }

    /// Scrolls just enough to show the selected source, with a little context above it.
    pub fn reveal_selected(&mut self) {
        let Some(i) = self.selected else { return };
        self.reveal_offset(self.review.sources[i].start);
    }

    /// Scrolls just enough to show a byte offset, with a little context above it.
    fn reveal_offset(&mut self, offset: usize) {
        let target = self.pos_of(offset);
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

/// Whether a source overlaps the byte range `(from, to)` the view shows.
fn covers((from, to): (usize, usize), s: &crate::review::Source) -> bool {
    s.start <= to && from < s.end.max(s.start + 1)
}
