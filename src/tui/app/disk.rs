//! What the event loop reports back from the disk and the lock: a save's outcome, the draft
//! changed or reloaded, the background scan finished, the lock lost or taken over, recovered
//! work. The loop does the I/O (tui/effect.rs); these only apply its outcome.

use super::*;
use crate::review::Saved;
use crate::sidecar::lock::Holder;
use crate::tui::autosave::RecoveryRead;

/// What is compared to notice that a file changed on disk: its size and modification time.
pub type FileStamp = (u64, Option<std::time::SystemTime>);

pub fn file_stamp(path: &std::path::Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

/// How taking the lock over went.
pub enum TakeOver {
    Taken(Lock),
    /// The holder still looks alive: a second T takes over anyway.
    StillAlive(Holder),
    Failed(String),
}

impl App {
    /// Takes a background scan's findings if they have arrived, through `update`; returns
    /// whether they did (or the scan stopped).
    pub fn poll_scan(&mut self) -> bool {
        let Some(rx) = &self.scan else { return false };
        let done = match rx.try_recv() {
            Ok(findings) => Some(findings),
            Err(std::sync::mpsc::TryRecvError::Empty) => return false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
        };
        let _ = self.update(Action::ScanFinished(crate::tui::effect::Carried::new(done)));
        true
    }

    pub(super) fn scan_finished(&mut self, findings: Option<Option<Vec<crate::detect::Finding>>>) {
        self.scan = None;
        match findings.flatten() {
            Some(findings) => {
                let first = self.selected.is_none();
                self.review.set_findings(findings);
                if first && !self.review.sources.is_empty() {
                    self.selected = Some(0);
                }
                self.after_review_replaced();
            }
            None => {
                self.banner = Some(Banner::Error(
                    "the scan stopped unexpectedly; no sources are shown".into(),
                ))
            }
        }
    }

    /// The draft's stamp on disk now: a change since it was read is told once.
    pub(super) fn disk_stamp(&mut self, stamp: Option<FileStamp>) {
        if self.article_changed || self.article_stamp.is_none() || stamp == self.article_stamp {
            return;
        }
        self.article_changed = true;
        self.banner = Some(Banner::Info(format!(
            "the draft changed on disk: {} reloads it and re-anchors the notes",
            self.key(Action::Reload)
        )));
    }

    pub(super) fn reloaded(
        &mut self,
        read: Option<Result<(crate::article::Article, Vec<crate::detect::Finding>), String>>,
    ) {
        let (article, findings) = match read {
            Some(Ok(read)) => read,
            Some(Err(e)) => {
                self.banner = Some(Banner::Error(format!(
                    "cannot reload: {}",
                    for_terminal(&e)
                )));
                return;
            }
            None => return,
        };
        self.article_stamp = file_stamp(article.path());
        self.article_changed = false;
        self.review.replace_article(article, findings);
        // Found on the old text: shown again with `A` on the new one.
        self.others = None;
        self.other_selected = None;
        if self.filter == Filter::Attributions {
            self.filter = Filter::All;
        }
        self.top = Pos::default();
        self.after_review_replaced();
        let moved = self.review.moved();
        let orphans = self.review.orphans().len();
        self.banner = Some(Banner::Info(format!(
            "reloaded: {} sources; {moved} moved note(s) to confirm ({}), {orphans} orphaned ({})",
            self.review.sources.len(),
            self.key(Action::ConfirmMoved),
            self.key(Action::OpenOrphans)
        )));
    }

    pub(super) fn locked(&mut self, locked: Option<crate::tui::Locked>) {
        let Some(locked) = locked else { return };
        self.lock = locked.lock;
        self.read_only = locked.read_only;
        if locked.banner.is_some() {
            self.banner = locked.banner;
        }
    }

    /// Another session took the lock (`T` there): this one stops changing the judgements and
    /// says so, keeping what it has unsaved, until it takes the lock back. Without this both
    /// would save, and their saves would conflict.
    pub(super) fn lock_lost(&mut self, who: Option<String>) {
        let Some(who) = who else { return };
        let who = for_terminal(&who).into_owned();
        // Dropping it leaves the file alone: it is the other session's now.
        self.lock = None;
        self.read_only = Some(format!("{who} took the draft over"));
        self.banner = Some(Banner::Error(format!(
            "read-only: {who} took the draft over; your unsaved changes are kept, {} takes it back",
            self.key(Action::TakeOver)
        )));
    }

    /// `T`: asks the loop to take the lock from the session named in it. A holder that still
    /// looks alive (the same process id is running) needs a second `T`: the id may have been
    /// reused, and saves merge anyway, so the editor is never stuck, but never surprised either.
    pub(super) fn ask_take_over(&mut self, armed: bool) -> Vec<Effect> {
        if self.lock.is_some() || self.read_only.is_none() {
            self.banner = Some(Banner::Info("this session already has the draft".into()));
            return Vec::new();
        }
        if self.read_only.as_deref() == Some(READ_ONLY_FLAG) {
            self.banner = Some(Banner::Info(
                "opened with --read-only: reopen without it to make changes".into(),
            ));
            return Vec::new();
        }
        vec![Effect::TakeOver { force: armed }]
    }

    pub(super) fn took_over(&mut self, outcome: Option<TakeOver>) -> Vec<Effect> {
        match outcome {
            Some(TakeOver::Taken(lock)) => {
                self.lock = Some(lock);
                self.read_only = None;
                self.banner = Some(Banner::Info(
                    "took over: this session can now change and save the judgements".into(),
                ));
                return vec![Effect::Recover];
            }
            Some(TakeOver::StillAlive(h)) => {
                self.take_over_armed = true;
                self.banner = Some(Banner::Error(format!(
                    "{} still seems to have the draft open (process {}): {} again takes over anyway",
                    for_terminal(&h.author),
                    h.pid,
                    self.key(Action::TakeOver)
                )));
            }
            Some(TakeOver::Failed(e)) => {
                self.banner = Some(Banner::Error(format!("cannot take over the lock: {e}")));
            }
            None => {}
        }
        Vec::new()
    }

    /// A save's outcome, in a banner; quits after a save that reached the disk if asked.
    pub(super) fn saved(&mut self, outcome: Option<Result<Saved, String>>, then_quit: bool) {
        let name = self
            .review
            .sidecar_path()
            .file_name()
            .map(|n| for_terminal(&n.to_string_lossy()).into_owned())
            .unwrap_or_default();
        let Some(outcome) = outcome else { return };
        self.banner = Some(match &outcome {
            Ok(Saved::Written) => Banner::Info(format!("saved {name}")),
            Ok(Saved::Unchanged) => Banner::Info("no changes to save".into()),
            Ok(Saved::Merged { conflicts }) if conflicts.is_empty() => Banner::Info(format!(
                "saved {name}, merged with changes saved meanwhile by someone else"
            )),
            Ok(Saved::Merged { conflicts }) => Banner::Error(format!(
                "saved {name}, merged with someone else's changes: {} {} both versions \
                 (marked * in the list); edit the note to resolve",
                conflicts.len(),
                if conflicts.len() == 1 {
                    "note keeps"
                } else {
                    "notes keep"
                }
            )),
            Err(e) => Banner::Error(for_terminal(e).into_owned()),
        });
        if matches!(outcome, Ok(Saved::Merged { .. })) {
            self.after_review_replaced();
        }
        if then_quit && outcome.is_ok() {
            self.should_quit = true;
        }
    }

    /// Work a stopped session left in the recovery file: applied if the sidecar has not
    /// changed since, else the loop keeps it aside for `whosaid recover`.
    pub(super) fn recovered(&mut self, read: Option<RecoveryRead>) -> Vec<Effect> {
        match read {
            Some(RecoveryRead::Found(file)) => {
                let when = self.local_time(&file.written);
                if self.review.apply_recovery(file) {
                    self.after_review_replaced();
                    self.banner = Some(Banner::Info(format!(
                        "recovered unsaved work from {when}: {} saves it, quitting without saving discards it",
                        self.key(Action::Save)
                    )));
                    return Vec::new();
                }
                vec![Effect::KeepRecoveryAside { written: when }]
            }
            Some(RecoveryRead::Unreadable { why, kept }) => {
                let kept = kept.map_or_else(String::new, |k| format!("; it is kept as {k}"));
                self.banner = Some(Banner::Error(format!(
                    "recovery file unreadable: {}{}",
                    for_terminal(&why),
                    for_terminal(&kept)
                )));
                Vec::new()
            }
            Some(RecoveryRead::None) | None => Vec::new(),
        }
    }

    /// Recovered work that no longer fits the sidecar was kept aside, as `at` (file, when).
    pub(super) fn recovery_kept(&mut self, at: Option<(String, String)>) {
        let Some((file, when)) = at else { return };
        self.banner = Some(Banner::Error(format!(
            "unsaved work from {when} was found, but the sidecar has changed since; it is kept in {}: `whosaid recover {}` applies it",
            for_terminal(&file),
            for_terminal(&self.review.article().path().display().to_string())
        )));
    }

    /// The recovery file cannot be written (why), or can again (`None`).
    pub(super) fn recovery_failing(&mut self, why: Option<Option<String>>) {
        let Some(why) = why else { return };
        match why {
            Some(why) => {
                self.recovery_failing = true;
                self.banner = Some(Banner::Error(format!(
                    "unsaved work cannot be kept for recovery ({}): save with {}",
                    for_terminal(&why),
                    self.key(Action::Save)
                )));
            }
            None => self.recovery_failing = false,
        }
    }

    /// `>` / `<`: the workspace shows the next or previous draft.
    pub(super) fn step_file(&mut self, forward: bool) -> Vec<Effect> {
        if self.file_position.is_none() {
            self.banner = Some(Banner::Info("only one draft is open".into()));
            return Vec::new();
        }
        vec![Effect::StepFile { forward }]
    }

    pub(super) fn open_files(&mut self) {
        match self.file_position {
            Some((n, _)) => self.mode = Mode::Files { cursor: n - 1 },
            None => {
                self.banner = Some(Banner::Info(
                    "only one draft is open (whosaid a.md b.md opens several)".into(),
                ))
            }
        }
    }

    pub(super) fn move_files(&mut self, down: bool) {
        let n = self.file_position.map_or(1, |(_, of)| of);
        if let Mode::Files { cursor } = &mut self.mode {
            *cursor = if down {
                (*cursor + 1) % n
            } else {
                (*cursor + n - 1) % n
            };
        }
    }

    pub(super) fn open_chosen_file(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Files { cursor } => vec![Effect::ShowFile(cursor)],
            _ => Vec::new(),
        }
    }
}
