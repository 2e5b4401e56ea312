//! Writing unsaved work to the recovery file every few seconds, and removing it once the work is
//! saved or deliberately discarded.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::app::{App, Banner};
use crate::sanitize::for_terminal;
use crate::sidecar::recovery;

/// How often unsaved changes are written to the recovery file.
pub const INTERVAL: Duration = Duration::from_secs(2);

/// A free name beside `path` for a recovery file that could not be applied.
fn kept_path(path: &Path) -> PathBuf {
    (1..)
        .map(|n| PathBuf::from(format!("{}.kept-{n}", path.display())))
        .find(|p| !p.exists())
        .expect("some number is free")
}

#[derive(Debug)]
pub struct Autosave {
    path: Option<PathBuf>,
    /// The review's change count at the last write.
    written: Option<u64>,
    last_write: Option<Instant>,
    /// Whether the recovery file on disk is this session's to remove (written or applied here).
    owned: bool,
    /// Why the last write failed, while writes keep failing: said once, not every two seconds.
    failing: Option<String>,
}

impl Autosave {
    pub fn new(path: Option<PathBuf>) -> Self {
        Self {
            path,
            written: None,
            last_write: None,
            owned: false,
            failing: None,
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Puts back unsaved work from an earlier session that stopped without saving, and says so.
    pub fn recover(&mut self, app: &mut App) {
        let Some(path) = self.path.clone() else {
            return;
        };
        match recovery::read(&path) {
            Ok(Some(file)) => {
                let when = app.local_time(&file.written);
                if app.review.apply_recovery(file) {
                    app.after_review_replaced();
                    self.owned = true;
                    app.banner = Some(Banner::Info(format!(
                        "recovered unsaved work from {when}: {} saves it, quitting without saving discards it",
                        app.key(crate::tui::action::Action::Save)
                    )));
                } else {
                    // Moved aside so this session's own recovery file cannot overwrite it.
                    let kept = kept_path(&path);
                    let shown = match std::fs::rename(&path, &kept) {
                        Ok(()) => kept,
                        Err(_) => path.clone(),
                    };
                    app.banner = Some(Banner::Error(format!(
                        "unsaved work from {when} was found, but the sidecar has changed since; it is kept in {}: `whosaid recover {}` applies it",
                        for_terminal(&shown.display().to_string()),
                        for_terminal(&app.review.article().path().display().to_string())
                    )));
                }
            }
            Ok(None) => {}
            Err(e) => {
                // Moved aside, so this session's autosave cannot write over what may be another
                // session's unsaved work.
                let kept = kept_path(&path);
                let shown = match std::fs::rename(&path, &kept) {
                    Ok(()) => format!("; it is kept as {}", kept.display()),
                    Err(_) => String::new(),
                };
                app.banner = Some(Banner::Error(format!(
                    "recovery file unreadable: {}{}",
                    for_terminal(&e),
                    for_terminal(&shown)
                )))
            }
        }
    }

    /// Called after every event and every idle tick. A write that fails (a full disk, a data
    /// folder that cannot be written) is said in the banner, once, so the editor knows to save.
    pub fn tick(&mut self, app: &mut App, now: Instant) {
        let Some(path) = self.path.clone() else {
            return;
        };
        if app.review.is_dirty() {
            let due = self
                .last_write
                .is_none_or(|t| now.duration_since(t) >= INTERVAL);
            if due && self.written != Some(app.review.changes()) {
                match self.try_write(app, &path, now) {
                    Ok(()) => {
                        self.failing = None;
                        app.recovery_failing = false;
                    }
                    Err(e) => {
                        // Retried at the next interval, not at every event.
                        self.last_write = Some(now);
                        if self.failing.is_none() {
                            app.banner = Some(Banner::Error(format!(
                                "unsaved work cannot be kept for recovery ({}): save with s",
                                for_terminal(&e.to_string())
                            )));
                        }
                        self.failing = Some(e.to_string());
                        app.recovery_failing = true;
                    }
                }
            }
        } else if self.owned {
            // Saved: the sidecar holds the work now.
            if recovery::remove(&path).is_ok() {
                self.owned = false;
                self.written = None;
            }
        }
    }

    fn try_write(&mut self, app: &App, path: &Path, now: Instant) -> std::io::Result<()> {
        recovery::write(path, &app.review.recovery_snapshot(&app.now()))?;
        self.written = Some(app.review.changes());
        self.last_write = Some(now);
        self.owned = true;
        Ok(())
    }

    /// Why writing the recovery file fails, while it does.
    pub fn failing(&self) -> Option<&str> {
        self.failing.as_deref()
    }

    /// Writes unsaved work at once (the program is about to stop unexpectedly). Returns where.
    pub fn write_now(&mut self, app: &App) -> Option<PathBuf> {
        let path = self.path.clone()?;
        (app.review.is_dirty() && self.try_write(app, &path, Instant::now()).is_ok())
            .then_some(path)
    }

    /// On a normal quit the work was either saved or deliberately discarded.
    pub fn finish(&mut self) {
        if let (Some(path), true) = (&self.path, self.owned) {
            let _ = recovery::remove(path);
        }
    }
}
