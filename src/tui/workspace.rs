//! Several drafts open at once (`whosaid a.md b.md`): one review screen per draft, each with its
//! own judgements, unsaved changes, lock and recovery file, and keys to move between them.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::action::Action;
use super::app::App;
use super::app::disk::file_stamp;
use super::autosave::Autosave;
use super::effect::{self, Carried, Effect};
use super::keymap::ModeKind;
use super::mode::Mode;
use super::theme;
use crate::sanitize::for_terminal;

/// One open draft.
pub struct Open {
    pub app: App,
    pub autosave: Autosave,
}

pub struct Workspace {
    pub files: Vec<Open>,
    pub current: usize,
    pub should_quit: bool,
    /// Each frame is written between the terminal's begin and end synchronized-update marks, so
    /// terminals (and tmux) that know them show it whole. Set when drawing to a real terminal.
    pub synchronized: bool,
}

impl Workspace {
    pub fn new(files: Vec<Open>) -> Self {
        assert!(!files.is_empty(), "at least one draft");
        let mut ws = Self {
            files,
            current: 0,
            should_quit: false,
            synchronized: false,
        };
        ws.label_files();
        ws
    }

    pub fn app(&self) -> &App {
        &self.files[self.current].app
    }

    pub fn app_mut(&mut self) -> &mut App {
        &mut self.files[self.current].app
    }

    /// Drafts with unsaved changes, other than the current one.
    fn unsaved_elsewhere(&self) -> usize {
        self.files
            .iter()
            .enumerate()
            .filter(|(i, f)| *i != self.current && f.app.review.is_dirty())
            .count()
    }

    /// Tells each screen where it stands among the open drafts, for its status bar.
    fn label_files(&mut self) {
        let n = self.files.len();
        let unsaved = self.unsaved_elsewhere();
        for (i, f) in self.files.iter_mut().enumerate() {
            let place = Action::Placed {
                position: (n > 1).then_some((i + 1, n)),
                unsaved_elsewhere: unsaved,
            };
            let _ = f.app.update(place);
        }
    }

    /// Maps a key to its action in the current draft's mode and dispatches it.
    #[must_use]
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.app().action_for(key) {
            Some(action) => self.dispatch(action),
            None => Vec::new(),
        }
    }

    /// Maps a mouse event to its action and dispatches it.
    #[must_use]
    pub fn handle_mouse(&mut self, event: MouseEvent) -> Vec<Effect> {
        match App::mouse_action(event) {
            Some(action) => self.dispatch(action),
            None => Vec::new(),
        }
    }

    /// The one dispatcher: applies `action` to the current draft, performs the file effects it
    /// returns (tui/effect.rs) and the workspace's own (another draft, saving them all), and
    /// returns what is left for the terminal (suspending, the external editor).
    #[must_use]
    pub fn dispatch(&mut self, action: Action) -> Vec<Effect> {
        let open = &mut self.files[self.current];
        let left = effect::dispatch(&mut open.app, &mut open.autosave, action);
        let mut terminal = Vec::new();
        for e in left {
            match e {
                Effect::StepFile { forward } => {
                    let n = self.files.len();
                    let to = if forward {
                        (self.current + 1) % n
                    } else {
                        (self.current + n - 1) % n
                    };
                    self.switch(to);
                }
                Effect::ShowFile(to) => self.switch(to.min(self.files.len() - 1)),
                Effect::SaveAllAndQuit => self.save_all_and_quit(),
                other => terminal.push(other),
            }
        }
        if self.app().should_quit {
            self.should_quit = true;
        }
        self.label_files();
        terminal
    }

    /// The terminal's new size, for every draft.
    pub fn resize(&mut self, w: u16, h: u16) {
        for f in &mut self.files {
            let _ = f.app.update(Action::Resize(w, h));
        }
    }

    /// What happened outside since the last event: a background scan finished, a draft changed
    /// on disk (when `check_disk`), unsaved work to keep in the recovery file.
    /// Returns whether any of it changed what the screen shows.
    pub fn tick(&mut self, check_disk: bool, now: std::time::Instant) -> bool {
        let mut changed = false;
        for f in &mut self.files {
            changed |= f.app.poll_scan();
            if f.app.searching() {
                let _ = f.app.update(Action::SearchMore);
                changed = true;
            }
            if check_disk {
                let before = f.app.article_changed;
                let stamp = file_stamp(f.app.review.article().path());
                let _ = f.app.update(Action::DiskStamp(stamp));
                changed |= f.app.article_changed != before;
            }
            if let Some(news) = f.autosave.tick(&f.app, now) {
                let _ = f.app.update(Action::RecoveryFailing(Carried::new(news)));
                changed = true;
            }
        }
        changed
    }

    /// Whether a draft has work going on between events (a search, a count, a scan), so the
    /// loop should come round again at once.
    pub fn busy(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.app.searching() || f.app.scan.is_some())
    }

    fn switch(&mut self, to: usize) {
        self.current = to;
        let _ = self.app_mut().update(Action::Shown);
    }

    /// Saves every draft with unsaved changes; quits only if all saved, else shows the first that
    /// did not, with its reason.
    fn save_all_and_quit(&mut self) {
        for i in 0..self.files.len() {
            let open = &mut self.files[i];
            if open.app.review.is_dirty() {
                let save = vec![Effect::Save { then_quit: false }];
                let _ = effect::perform(&mut open.app, &mut open.autosave, save);
                if open.app.review.is_dirty() {
                    self.current = i;
                    return;
                }
            }
        }
        self.should_quit = true;
    }

    /// Draws the current draft's screen, and the file switcher over it when open.
    pub fn draw(&self, frame: &mut Frame) {
        super::draw::draw(frame, self.app());
        if self.app().mode.is(ModeKind::Files) {
            self.draw_switcher(frame);
            self.app().theme.apply(frame.buffer_mut());
        }
    }

    /// A draft's file name, or its whole path when another open draft has the same name.
    fn name_of(&self, i: usize) -> String {
        let path = self.files[i].app.review.article().path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let shared =
            self.files.iter().enumerate().any(|(j, f)| {
                j != i && f.app.review.article().path().file_name() == path.file_name()
            });
        match name {
            Some(n) if !shared => n,
            _ => path.display().to_string(),
        }
    }

    fn draw_switcher(&self, frame: &mut Frame) {
        let area = frame.area();
        let width = area.width.saturating_sub(8).min(70);
        let height = (self.files.len() as u16 + 4).min(area.height);
        let rect = ratatui::layout::Rect::new(
            area.x + (area.width.saturating_sub(width)) / 2,
            area.y + (area.height.saturating_sub(height)) / 2,
            width,
            height,
        );
        frame.render_widget(Clear, rect);
        let app = self.app();
        let hint = |a| app.key_in(ModeKind::Files, a);
        let title = format!(
            " Open drafts · {}/{} choose · {} open · {} close ",
            hint(Action::FileDown),
            hint(Action::FileUp),
            hint(Action::OpenChosenFile),
            hint(Action::CloseFiles)
        );
        let block = ratatui::widgets::Block::bordered().title(Span::styled(title, theme::TITLE));
        let cursor = match app.mode {
            Mode::Files { cursor } => cursor,
            _ => self.current,
        };
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let lines: Vec<Line> = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let c = f.app.review.counts();
                let name = self.name_of(i);
                let line = Line::from(vec![
                    Span::raw(if i == self.current { "▶ " } else { "  " }),
                    Span::raw(for_terminal(&name).into_owned()),
                    Span::styled(
                        format!("  {} untagged of {}", c.untagged, c.sources),
                        theme::DIM,
                    ),
                    Span::styled(
                        if f.app.review.is_dirty() {
                            "  unsaved"
                        } else {
                            ""
                        },
                        theme::UNSAVED,
                    ),
                ]);
                if i == cursor {
                    line.style(theme::LIST_SELECTED)
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
