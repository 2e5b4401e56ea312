//! The review screen's state. `update` (update.rs) is the only function that changes it; the
//! files beside this one hold the operations its arms delegate to, by what they change.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::action::Action;
use super::effect::Effect;
use super::filter::Filter;
use super::keymap::{self, ModeKind};
use super::layout::{self, Panes};
use super::mode::Mode;
use std::sync::Arc;

use crate::detect::Detector;
use crate::judgement::{Questions, Scale};
use crate::review::{Review, SidecarState, Stamp};
use crate::sanitize::for_terminal;
use crate::sidecar::lock::Lock;

pub mod disk;
mod judge;
mod mouse;
mod others;
mod rows;
pub mod search;
mod selection;
mod update;
mod view;

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
    /// What the screen is doing, with the state only that needs (the note being written, the
    /// checklist's cursor, …).
    pub mode: Mode,
    pub selected: Option<usize>,
    /// Where the editor is in the text (a byte offset): put there by `:N`, a search match, a
    /// click or a chosen source, and where `v` starts selecting.
    pub cursor: usize,
    /// The first visible row of the article.
    pub top: Pos,
    pub size: (u16, u16),
    pub banner: Option<Banner>,
    /// How far the detail pane is scrolled, in rows; back to the top for each source.
    pub detail_scroll: u16,
    /// Whether the footer of the mode's main keys is shown (config `footer`).
    pub footer: bool,
    pub should_quit: bool,
    /// A large draft's findings, still being computed on another thread.
    pub scan: Option<std::sync::mpsc::Receiver<Vec<crate::detect::Finding>>>,
    /// Why nothing can be changed in this session (another session holds the lock, or
    /// `--read-only`); `None` when the editor can work.
    pub read_only: Option<String>,
    /// The lock this session holds on the draft, released when the app is dropped.
    pub lock: Option<Lock>,
    /// The detector, to scan the draft again when it is reloaded.
    pub detector: Option<Arc<Detector>>,
    /// The draft's size and modification time when it was read, to notice edits made elsewhere.
    pub(crate) article_stamp: Option<disk::FileStamp>,
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
    /// Where the accepted search matches, in order (at most [`MAX_COUNTED`]), for "3 of 17".
    pub matches: Vec<usize>,
    /// How far the matches have been counted, while they are still being counted.
    counted: Option<usize>,
    /// A search still looking for its match, a step at a time.
    hunt: Option<search::Hunt>,
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
    /// The zone times are shown in (stored times are UTC). UTC until the caller sets the
    /// system's, so tests and snapshots do not depend on the machine.
    pub tz: jiff::tz::TimeZone,
    /// The editor pressed T once on a lock whose holder looks alive.
    take_over_armed: bool,
    /// The last key was an `a` that left differently judged mentions alone.
    apply_armed: bool,
    /// Where the rows of long lines start (a cache; see `rows`).
    rows: std::cell::RefCell<rows::RowIndexes>,
    /// What the screen shows about every source at once (the list, the counts), worked out
    /// once per change rather than at every frame and key.
    derived: std::cell::RefCell<Option<Derived>>,
    /// Counts the times the review's sources were replaced wholesale, for `derived`.
    replaced: u64,
}

/// The list the filter shows and the status bar's counts, for one state of the review.
pub struct Derived {
    key: (u64, u64, usize, usize, Filter),
    /// The sources the list shows, by index, in order.
    pub shown: Vec<usize>,
    pub counts: crate::review::Counts,
    pub moved: usize,
    pub orphans: usize,
}

/// Why a session opened with `--read-only` cannot change anything.
pub const READ_ONLY_FLAG: &str = "opened with --read-only";

pub fn system_clock() -> String {
    Stamp::now("").now
}

/// How a review screen is set up: who works on it, its keys, scale, checklist and colours, and
/// what the lock and the draft's opening found.
pub struct Setup {
    pub author: String,
    pub clock: fn() -> String,
    pub size: (u16, u16),
    pub keymap: keymap::Keymap,
    pub questions: Questions,
    pub scale: Scale,
    pub theme: super::theme::Theme,
    pub tz: jiff::tz::TimeZone,
    pub footer: bool,
    pub detector: Option<Arc<Detector>>,
    pub lock: Option<Lock>,
    pub read_only: Option<String>,
    pub banner: Option<Banner>,
    /// The findings still being computed on another thread, for a large draft.
    pub scan: Option<std::sync::mpsc::Receiver<Vec<crate::detect::Finding>>>,
    /// The 1-based line to open at (`whosaid +30 draft.md`).
    pub line: Option<usize>,
}

impl Setup {
    /// The defaults: the built-in keys, scale and checklist, UTC, no lock.
    pub fn new(author: String, clock: fn() -> String, size: (u16, u16)) -> Self {
        Self {
            author,
            clock,
            size,
            keymap: keymap::Keymap::default(),
            questions: Questions::default(),
            scale: Scale::default(),
            theme: super::theme::Theme::Default,
            tz: jiff::tz::TimeZone::UTC,
            footer: true,
            detector: None,
            lock: None,
            read_only: None,
            banner: None,
            scan: None,
            line: None,
        }
    }
}

impl App {
    pub fn new(review: Review, author: String, clock: fn() -> String, size: (u16, u16)) -> Self {
        Self::with(review, Setup::new(author, clock, size))
    }

    pub fn with(mut review: Review, setup: Setup) -> Self {
        review.set_scale(setup.scale.clone());
        let selected = (!review.sources.is_empty()).then_some(0);
        let cursor = selected.map_or(0, |i| review.sources[i].start);
        let mut app = Self {
            review,
            author: setup.author,
            clock: setup.clock,
            mode: Mode::Normal,
            selected,
            cursor,
            top: Pos::default(),
            size: setup.size,
            banner: setup.banner,
            detail_scroll: 0,
            footer: setup.footer,
            should_quit: false,
            scan: setup.scan,
            read_only: setup.read_only,
            lock: setup.lock,
            detector: setup.detector,
            article_stamp: None,
            article_changed: false,
            take_over_armed: false,
            apply_armed: false,
            recovery_failing: false,
            tz: setup.tz,
            theme: setup.theme,
            keymap: setup.keymap,
            others: None,
            other_selected: None,
            questions: setup.questions,
            scale: setup.scale,
            file_position: None,
            unsaved_elsewhere: 0,
            filter: Filter::All,
            search: String::new(),
            found: None,
            matches: Vec::new(),
            counted: None,
            hunt: None,
            rows: rows::none(),
            derived: std::cell::RefCell::new(None),
            replaced: 0,
        };
        app.article_stamp = disk::file_stamp(app.review.article().path());
        app.reveal_selected();
        if let Some(line) = setup.line {
            app.go_to_line(line);
        }
        app
    }

    pub fn panes(&self) -> Panes {
        // Asked many times a key (every scroll works out the view): whether, not what.
        let footer = self.footer && self.keymap.has_footer(self.mode.kind());
        Panes::new(
            Rect::new(0, 0, self.size.0, self.size.1),
            self.banner.as_ref().map_or(0, |b| b.rows(self.size.0)),
            footer,
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

    /// The action a key asks for in the current mode: the keymap's, else text typed into the
    /// mode's field. Input handlers only map; `update` changes the state.
    pub fn action_for(&self, key: KeyEvent) -> Option<Action> {
        let kind = self.mode.kind();
        self.keymap
            .lookup(kind, key)
            .or_else(|| kind.other_keys().is_some().then_some(Action::Type(key)))
    }

    /// Maps a key to its action and applies it; the effects are the caller's to perform.
    #[must_use]
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.action_for(key) {
            Some(action) => self.update(action),
            None => Vec::new(),
        }
    }

    /// The key bound to `action` in the review, as the help writes it, so a hint stays true
    /// after a newsroom remaps its keys.
    pub fn key(&self, action: Action) -> String {
        self.keymap.hint(ModeKind::Normal, &action)
    }

    /// The key bound to `action` in `mode`, for that mode's prompts and titles.
    pub fn key_in(&self, mode: ModeKind, action: Action) -> String {
        self.keymap.hint(mode, &action)
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

    /// The footer's keys for the current mode, from the keymap's footer column; the levels as
    /// the scale in use has them ("1-3" on a three-level scale).
    pub fn footer_keys(&self) -> Vec<(String, &'static str)> {
        self.keymap
            .footer(self.mode.kind())
            .into_iter()
            .map(|(action, key, word)| match action {
                Action::SetLevel(_) => (self.level_keys(), word),
                _ => (key, word),
            })
            .collect()
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
        self.derived().shown.clone()
    }

    /// The list and the counts for the review as it is now: worked out again only after the
    /// judgements, the sources or the filter changed.
    pub fn derived(&self) -> std::cell::Ref<'_, Derived> {
        let key = (
            self.review.changes(),
            self.replaced,
            self.review.sources.len(),
            self.review.annotations.len(),
            self.filter,
        );
        if self.derived.borrow().as_ref().is_none_or(|d| d.key != key) {
            let shown = (0..self.review.sources.len())
                .filter(|&i| self.filter.matches(&self.review, i))
                .collect();
            *self.derived.borrow_mut() = Some(Derived {
                key,
                shown,
                counts: self.review.counts(),
                moved: self.review.moved(),
                orphans: self.review.orphans().len(),
            });
        }
        std::cell::Ref::map(self.derived.borrow(), |d| {
            d.as_ref().expect("worked out above")
        })
    }

    /// The note of the selected source as the external editor should get it.
    pub fn note_text(&self) -> String {
        self.selected
            .and_then(|i| self.review.annotation(i))
            .map(|a| a.note.clone())
            .unwrap_or_default()
    }

    /// Whether the review can be written at all (the sidecar parsed and is not too new).
    pub fn can_save(&self) -> bool {
        matches!(self.review.sidecar_state(), SidecarState::Writable(_))
    }

    /// The text area of the note being written, while the note editor is open.
    pub fn note(&self) -> Option<&ratatui_textarea::TextArea<'static>> {
        match &self.mode {
            Mode::Note(edit) => Some(&edit.area),
            _ => None,
        }
    }

    /// The text chosen by hand, `(anchor, cursor)`, while selecting.
    pub fn selection(&self) -> Option<(usize, usize)> {
        match self.mode {
            Mode::Select { anchor, cursor } => Some((anchor, cursor)),
            _ => None,
        }
    }

    pub fn text_size(&self) -> (usize, usize) {
        self.panes().text_size()
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

    /// Selects source `i` and puts the cursor on it.
    fn select(&mut self, i: usize) {
        self.selected = Some(i);
        self.cursor = self.review.sources[i].start;
        self.detail_scroll = 0;
    }
}

/// Whether a source overlaps the byte range `(from, to)` the view shows.
fn covers((from, to): (usize, usize), s: &crate::review::Source) -> bool {
    s.start <= to && from < s.end.max(s.start + 1)
}
