//! Several drafts open at once (`whosaid a.md b.md`): one review screen per draft, each with its
//! own judgements, unsaved changes, lock and recovery file, and keys to move between them.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::action::Action;
use super::app::{App, Banner};
use super::autosave::Autosave;
use super::keymap::Mode;
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
    /// The chosen row in the file switcher.
    pub cursor: usize,
    pub should_quit: bool,
}

impl Workspace {
    pub fn new(files: Vec<Open>) -> Self {
        assert!(!files.is_empty(), "at least one draft");
        let mut ws = Self {
            files,
            current: 0,
            cursor: 0,
            should_quit: false,
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
            f.app.file_position = (n > 1).then_some((i + 1, n));
            f.app.unsaved_elsewhere = unsaved;
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        let app = self.app();
        let action = app.keymap.lookup(app.mode, key);
        let many = self.files.len() > 1;
        match action {
            Some(Action::NextFile | Action::PrevFile) if !many => {
                self.app_mut().banner = Some(Banner::Info("only one draft is open".into()));
            }
            Some(a @ (Action::NextFile | Action::PrevFile)) => {
                let n = self.files.len();
                let to = if a == Action::NextFile {
                    (self.current + 1) % n
                } else {
                    (self.current + n - 1) % n
                };
                self.switch(to);
            }
            Some(Action::OpenFiles) if !many => {
                self.app_mut().banner = Some(Banner::Info(
                    "only one draft is open (whosaid a.md b.md opens several)".into(),
                ));
            }
            Some(Action::OpenFiles) => {
                self.cursor = self.current;
                self.app_mut().mode = Mode::Files;
            }
            Some(Action::FileDown) => self.cursor = (self.cursor + 1) % self.files.len(),
            Some(Action::FileUp) => {
                self.cursor = (self.cursor + self.files.len() - 1) % self.files.len()
            }
            Some(Action::OpenChosenFile) => {
                self.app_mut().mode = Mode::Normal;
                self.switch(self.cursor);
            }
            Some(Action::CloseFiles) => self.app_mut().mode = Mode::Normal,
            Some(Action::Quit) if many && self.app().mode == Mode::Normal => {
                if self.files.iter().any(|f| f.app.review.is_dirty()) {
                    self.label_files();
                    self.app_mut().mode = Mode::QuitPrompt;
                } else {
                    self.should_quit = true;
                }
            }
            Some(Action::SaveAndQuit) if many => self.save_all_and_quit(),
            Some(Action::DiscardAndQuit) if many => self.should_quit = true,
            _ => {
                self.app_mut().handle_key(key);
                if self.app().should_quit {
                    self.should_quit = true;
                }
            }
        }
        self.label_files();
    }

    fn switch(&mut self, to: usize) {
        self.current = to;
        let app = self.app_mut();
        app.banner = None;
        let size = app.size;
        app.update(Action::Resize(size.0, size.1));
    }

    /// Saves every draft with unsaved changes; quits only if all saved, else shows the first that
    /// did not, with its reason.
    fn save_all_and_quit(&mut self) {
        self.app_mut().mode = Mode::Normal;
        for i in 0..self.files.len() {
            let app = &mut self.files[i].app;
            if app.review.is_dirty() {
                app.update(Action::Save);
                if app.review.is_dirty() {
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
        if self.app().mode == Mode::Files {
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
        let block = ratatui::widgets::Block::bordered().title(Span::styled(
            " Open drafts · j/k choose · Enter open · Esc close ",
            theme::TITLE,
        ));
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
                if i == self.cursor {
                    line.style(theme::LIST_SELECTED)
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
