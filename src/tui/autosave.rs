//! Writing unsaved work to the recovery file every few seconds, and removing it once the work is
//! saved or deliberately discarded.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::app::App;
use crate::sidecar::recovery;

/// How often unsaved changes are written to the recovery file.
/// What reading the recovery file found.
#[derive(Debug)]
pub enum RecoveryRead {
    None,
    Found(recovery::RecoveryFile),
    /// It could not be read: why, and where it was moved (if it could be).
    Unreadable {
        why: String,
        kept: Option<String>,
    },
}

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

    /// Reads unsaved work a stopped session left, for `update` to apply. A file that cannot
    /// be read is moved aside so it is not read again at every start, and never deleted.
    pub fn read(&mut self) -> RecoveryRead {
        let Some(path) = self.path.clone() else {
            return RecoveryRead::None;
        };
        match recovery::read(&path) {
            Ok(Some(file)) => {
                // Applied, it is this session's to remove once the work is saved; if it does
                // not fit, `keep_aside` moves it.
                self.owned = true;
                RecoveryRead::Found(file)
            }
            Ok(None) => RecoveryRead::None,
            Err(why) => {
                let kept = kept_path(&path);
                let kept = std::fs::rename(&path, &kept)
                    .is_ok()
                    .then(|| kept.display().to_string());
                RecoveryRead::Unreadable { why, kept }
            }
        }
    }

    /// Moves recovered work that no longer fits the sidecar to a `.kept-N` file, for
    /// `whosaid recover`; returns where it is now.
    pub fn keep_aside(&mut self) -> String {
        let Some(path) = self.path.clone() else {
            return String::new();
        };
        self.owned = false;
        let kept = kept_path(&path);
        match std::fs::rename(&path, &kept) {
            Ok(()) => kept.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    /// Writes the unsaved work if it changed and the interval has passed, or removes the file
    /// once the work is saved. Returns the news for the screen when writing starts or stops
    /// failing: the reason, or `None` when it works again.
    pub fn tick(&mut self, app: &App, now: Instant) -> Option<Option<String>> {
        let path = self.path.clone()?;
        if app.review.is_dirty() {
            let due = self
                .last_write
                .is_none_or(|t| now.duration_since(t) >= INTERVAL);
            if due && self.written != Some(app.review.changes()) {
                match self.try_write(app, &path, now) {
                    Ok(()) => {
                        if self.failing.take().is_some() {
                            return Some(None);
                        }
                    }
                    Err(e) => {
                        self.last_write = Some(now);
                        let first = self.failing.is_none();
                        self.failing = Some(e.to_string());
                        if first {
                            return Some(Some(e.to_string()));
                        }
                    }
                }
            }
        } else if self.owned && recovery::remove(&path).is_ok() {
            self.owned = false;
            self.written = None;
        }
        None
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
