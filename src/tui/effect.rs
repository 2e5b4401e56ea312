//! What `update` asks the event loop to do. `update` only changes the app's state; whatever
//! touches the disk, the lock, the terminal or another open draft comes back from it as an
//! `Effect`, which the loop performs and answers with an `Action` carrying the outcome.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::action::Action;
use super::app::App;
use super::app::disk::TakeOver;
use super::autosave::Autosave;
use crate::detect::Detector;
use crate::sidecar::lock::{self, Holder};

/// Work for the loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write this draft's sidecar; quit once it is on disk if `then_quit`.
    Save {
        then_quit: bool,
    },
    /// Save every open draft with unsaved changes, then quit if all of them were written.
    SaveAllAndQuit,
    /// Hand the terminal back to the shell until `fg`.
    Suspend,
    /// Write the note in `$VISUAL` / `$EDITOR`, starting from this text.
    EditNote(String),
    /// Read the draft again from disk and re-anchor the notes.
    Reload,
    /// Take the lock over; `force` also from a holder that still looks alive.
    TakeOver {
        force: bool,
    },
    /// Bring back unsaved work a stopped session left in the recovery file.
    Recover,
    /// Move recovered work that no longer fits the sidecar aside, for `whosaid recover`; it was
    /// written at `written`.
    KeepRecoveryAside {
        written: String,
    },
    /// Show another open draft: by its place in the list, or one step forward or back.
    ShowFile(usize),
    StepFile {
        forward: bool,
    },
}

/// An outcome handed from the loop back to `update` inside an `Action`. Actions are compared and
/// cloned; an outcome is taken once, by the `update` arm that applies it.
pub struct Carried<T>(Arc<Mutex<Option<T>>>);

impl<T> Carried<T> {
    pub fn new(value: T) -> Self {
        Self(Arc::new(Mutex::new(Some(value))))
    }

    /// The outcome, the first time it is asked for.
    pub fn take(&self) -> Option<T> {
        self.0.lock().ok().and_then(|mut v| v.take())
    }
}

impl<T> Clone for Carried<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

/// Two carried outcomes are equal only if they are the same one.
impl<T> PartialEq for Carried<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Carried<T> {}

impl<T> std::fmt::Debug for Carried<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Carried(…)")
    }
}

/// Performs the effects that touch one draft's files (its sidecar, the draft, the lock, the
/// recovery file), handing each outcome back to `update`, and so on until none is left. Returns
/// the effects that are the workspace's (another draft) or the terminal's.
pub fn perform(app: &mut App, autosave: &mut Autosave, effects: Vec<Effect>) -> Vec<Effect> {
    let mut queue: VecDeque<Effect> = effects.into();
    let mut left = Vec::new();
    while let Some(effect) = queue.pop_front() {
        let more = match effect {
            Effect::Save { then_quit } => {
                let outcome = app.review.save().map_err(|e| e.to_string());
                app.update(Action::Saved {
                    outcome: Carried::new(outcome),
                    then_quit,
                })
            }
            Effect::Reload => {
                let read = reread(app);
                app.update(Action::Reloaded(Carried::new(read)))
            }
            Effect::TakeOver { force } => {
                let outcome = take_over(app, force);
                app.update(Action::TookOver(Carried::new(outcome)))
            }
            Effect::Recover => {
                let read = autosave.read();
                app.update(Action::Recovered(Carried::new(read)))
            }
            Effect::KeepRecoveryAside { written } => {
                let at = autosave.keep_aside();
                app.update(Action::RecoveryKept(Carried::new((at, written))))
            }
            other => {
                left.push(other);
                Vec::new()
            }
        };
        queue.extend(more);
    }
    left
}

/// [`perform`] for a draft open on its own without a recovery file, as tests and benchmarks
/// open one.
pub fn perform_alone(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    perform(app, &mut Autosave::new(None), effects)
}

/// One draft's share of the dispatcher: before a change, whether the lock was lost; then
/// `update`, then the file effects it returns. Returns what is left for the workspace or the
/// terminal.
pub fn dispatch(app: &mut App, autosave: &mut Autosave, action: Action) -> Vec<Effect> {
    if action.modifies()
        && let Some(lost) = lock_lost(app)
    {
        let _ = app.update(lost);
    }
    let effects = app.update(action);
    perform(app, autosave, effects)
}

/// Before a change: whether another session has taken the lock (`T` there), as the action that
/// tells the app. Without this both would save, and their saves would conflict.
pub fn lock_lost(app: &App) -> Option<Action> {
    let lock = app.lock.as_ref()?;
    if lock.still_held() {
        return None;
    }
    let who = match lock::read(lock.path()).ok().flatten() {
        Some(h) if h.is_other_host() => format!("{} on {}", h.author, h.host),
        Some(h) => format!("{} (process {})", h.author, h.pid),
        None => "another session".to_owned(),
    };
    Some(Action::LockLost(Carried::new(who)))
}

/// The draft read again from disk and scanned.
fn reread(app: &App) -> Result<(crate::article::Article, Vec<crate::detect::Finding>), String> {
    let path = app.review.article().path().to_owned();
    let detector = app
        .detector
        .clone()
        .unwrap_or_else(|| Arc::new(Detector::new(&crate::config::Config::default())));
    crate::review::read_draft(&path, None, Some(&detector)).map_err(|e| e.to_string())
}

/// Takes the lock from the session named in it; one that still looks alive (the same process
/// id is running) only when `force`d.
fn take_over(app: &App, force: bool) -> TakeOver {
    let path = app.review.article().path().to_owned();
    let holder = lock::read(&lock::path_for(&path)).ok().flatten();
    if !force
        && let Some(h) = holder
        && !h.is_stale()
        && !h.is_other_host()
    {
        return TakeOver::StillAlive(h);
    }
    match lock::take_over(&path, Holder::this_process(&app.author, &app.now())) {
        Ok(l) => TakeOver::Taken(l),
        Err(e) => TakeOver::Failed(e.to_string()),
    }
}
