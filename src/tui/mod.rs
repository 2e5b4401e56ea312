//! The review screen: a thin view over a [`Review`](crate::review::Review).
//!
//! Keys become [`Action`]s through the [`keymap`]; [`App::update`] applies them; [`draw::draw`]
//! reads the state and renders it. The loop is generic over the backend so tests run the real
//! app on ratatui's `TestBackend`.

pub mod action;
pub mod app;
pub mod draw;
pub mod keymap;
pub mod layout;
pub mod theme;

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

pub use action::Action;
pub use app::{App, Banner};

use crate::config::Config;
use crate::detect::Detector;

/// Opens a draft in the review screen. Problems with the draft itself are reported before the
/// terminal is taken over; problems with its sidecar become a banner.
pub fn open(path: &Path, config: &Config, author: String) -> Result<()> {
    let detector = Detector::new(config);
    let (review, sidecar_error) = crate::cli::open_review(path, &detector)?;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the review screen needs a terminal; for scripts use `whosaid scan {}`",
            path.display()
        );
    }
    // try_init() installs a panic hook that restores the terminal before the panic message prints.
    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    let result = (|| {
        let size = terminal.size().context("cannot read the terminal size")?;
        let mut app = App::new(review, author, app::system_clock, (size.width, size.height));
        if let Some(e) = sidecar_error {
            app.banner = Some(Banner::Error(format!(
                "sidecar unreadable: {e} — changes cannot be saved until it is fixed"
            )));
        }
        run_loop(&mut terminal, &mut app, event::read)
    })();
    ratatui::restore();
    result
}

/// Draws, waits for an event, updates; until the app wants to quit.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut next_event: impl FnMut() -> std::io::Result<Event>,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    while !app.should_quit {
        terminal
            .draw(|frame| draw::draw(frame, app))
            .context("cannot draw to the terminal")?;
        match next_event().context("cannot read from the terminal")? {
            Event::Key(key) if key.kind == KeyEventKind::Press => app.handle_key(key),
            Event::Resize(w, h) => app.update(Action::Resize(w, h)),
            _ => {}
        }
    }
    Ok(())
}
