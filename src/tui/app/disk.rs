//! What changes under the review from outside: the draft on disk, and the lock.

use super::*;

impl App {
    /// Notices that the draft changed on disk; called now and then by the event loop.
    pub fn check_article_on_disk(&mut self) {
        if self.article_changed || self.article_stamp.is_none() {
            return;
        }
        if file_stamp(self.review.article().path()) != self.article_stamp {
            self.article_changed = true;
            self.banner = Some(Banner::Info(format!(
                "the draft changed on disk: {} reloads it and re-anchors the notes",
                self.key(Action::Reload)
            )));
        }
    }

    pub(super) fn reload(&mut self) {
        let path: PathBuf = self.review.article().path().to_owned();
        let detector = self
            .detector
            .get_or_insert_with(|| Arc::new(Detector::new(&crate::config::Config::default())));
        let (article, findings) = match crate::review::read_draft(&path, None, Some(detector)) {
            Ok(read) => read,
            Err(e) => {
                self.banner = Some(Banner::Error(format!(
                    "cannot reload: {}",
                    for_terminal(&e.to_string())
                )));
                return;
            }
        };
        self.article_stamp = file_stamp(&path);
        self.article_changed = false;
        self.review.replace_article(article, findings);
        // Found on the old text: shown again with `A` on the new one.
        self.others = None;
        self.other_selected = None;
        if self.filter == super::Filter::Attributions {
            self.filter = super::Filter::All;
        }
        self.top = Pos::default();
        self.after_review_replaced();
        let moved = self.review.moved();
        let orphans = self.review.orphans().len();
        self.banner = Some(Banner::Info(format!(
            "reloaded: {} sources; {moved} moved note(s) to confirm (m), {orphans} orphaned (o)",
            self.review.sources.len()
        )));
    }

    /// Before a change or a save: if another session has taken the lock (`T` there), this one
    /// stops changing the judgements and says so, keeping what it has unsaved, until it takes
    /// the lock back. Without this both would save, and their saves would conflict.
    pub(super) fn notice_lost_lock(&mut self) {
        let Some(lock) = &self.lock else { return };
        if lock.still_held() {
            return;
        }
        let who = match lock::read(lock.path()).ok().flatten() {
            Some(h) if h.is_other_host() => format!("{} on {}", h.author, h.host),
            Some(h) => format!("{} (process {})", h.author, h.pid),
            None => "another session".to_owned(),
        };
        let who = for_terminal(&who).into_owned();
        // Dropping it leaves the file alone: it is the other session's now.
        self.lock = None;
        self.read_only = Some(format!("{who} took the draft over"));
        self.banner = Some(Banner::Error(format!(
            "read-only: {who} took the draft over; your unsaved changes are kept, {} takes it back",
            self.key(Action::TakeOver)
        )));
    }

    /// Takes the lock from the session named in it. A holder that still looks alive (the same
    /// process id is running) needs a second `T`: the id may have been reused, and saves merge
    /// anyway, so the editor is never stuck, but is never surprised either.
    pub(super) fn take_over(&mut self, armed: bool) {
        if self.lock.is_some() || self.read_only.is_none() {
            self.banner = Some(Banner::Info("this session already has the draft".into()));
            return;
        }
        if self.read_only.as_deref() == Some(READ_ONLY_FLAG) {
            self.banner = Some(Banner::Info(
                "opened with --read-only: reopen without it to make changes".into(),
            ));
            return;
        }
        let path = self.review.article().path().to_owned();
        let holder = lock::read(&lock::path_for(&path)).ok().flatten();
        if !armed
            && let Some(h) = &holder
            && !h.is_stale()
            && !h.is_other_host()
        {
            self.take_over_armed = true;
            self.banner = Some(Banner::Error(format!(
                "{} still seems to have the draft open (process {}): {} again takes over anyway",
                for_terminal(&h.author),
                h.pid,
                self.key(Action::TakeOver)
            )));
            return;
        }
        match lock::take_over(&path, Holder::this_process(&self.author, &self.now())) {
            Ok(l) => {
                self.lock = Some(l);
                self.read_only = None;
                self.recover_pending = true;
                self.banner = Some(Banner::Info(
                    "took over: this session can now change and save the judgements".into(),
                ));
            }
            Err(e) => {
                self.banner = Some(Banner::Error(format!("cannot take over the lock: {e}")));
            }
        }
    }
}
