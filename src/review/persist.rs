//! What a review writes: the sidecar (saved atomically, merged with a colleague's save made
//! meanwhile, refused while the file on disk cannot be read) and the recovery file that keeps
//! unsaved work between saves.

use super::*;

impl Review {
    /// The unsaved state as a recovery file.
    pub fn recovery_snapshot(&self, now: &str) -> RecoveryFile {
        let article = std::path::absolute(self.article.path())
            .unwrap_or_else(|_| self.article.path().to_owned());
        RecoveryFile {
            version: recovery::VERSION,
            article: article.display().to_string(),
            written: now.to_owned(),
            based_on: self.on_disk_label(),
            sidecar: self.to_sidecar(),
        }
    }

    fn on_disk_label(&self) -> String {
        match &self.sidecar {
            SidecarState::Writable(d) => d.label(),
            SidecarState::Blocked(_) => "unreadable".to_owned(),
        }
    }

    /// Puts recovered work back, as unsaved changes, if it was based on the sidecar that is on
    /// disk now. Otherwise nothing changes and `false` is returned: applying it would overwrite
    /// whatever was saved since.
    pub fn apply_recovery(&mut self, file: RecoveryFile) -> bool {
        if file.based_on != self.on_disk_label()
            || !matches!(self.sidecar, SidecarState::Writable(_))
        {
            return false;
        }
        self.annotations = file.sidecar.annotations;
        self.sign_off = file.sidecar.sign_off;
        self.undo.clear();
        self.rebuild_sources();
        self.dirty = true;
        self.changes += 1;
        true
    }

    /// The sidecar as it would be written now: every annotation, sorted by position.
    pub fn to_sidecar(&self) -> SidecarFile {
        let mut annotations = self.annotations.clone();
        annotations.sort_by(|a, b| {
            (a.anchor.start, a.anchor.end, &a.id).cmp(&(b.anchor.start, b.anchor.end, &b.id))
        });
        SidecarFile {
            version: sidecar::VERSION,
            sign_off: self.sign_off.clone(),
            annotations,
        }
    }

    /// Whether the judgements are as they were last opened or saved.
    pub(super) fn is_clean(&self) -> bool {
        self.to_sidecar() == self.clean
    }

    /// Saves atomically. Nothing is written when nothing changed, so an untouched draft never
    /// gains an empty sidecar and a clean sidecar is never rewritten. When someone else saved
    /// meanwhile, their changes and these are merged by annotation id before writing.
    pub fn save(&mut self) -> Result<Saved, SaveError> {
        if !self.dirty {
            return Ok(Saved::Unchanged);
        }
        if let SidecarState::Blocked(_) = &self.sidecar {
            // It may have been fixed, replaced or moved away since: read it again, and refuse
            // only while it still cannot be read.
            match sidecar::load(&self.sidecar_path) {
                Ok(_) => {
                    // Nothing of it was ever read here, so everything in it is a colleague's
                    // work to merge with: from an empty base, expecting no file, so a file that
                    // is there now goes through the merge.
                    self.base = SidecarFile::empty();
                    self.sidecar = SidecarState::Writable(OnDisk::Missing);
                }
                Err(e) => {
                    self.sidecar = SidecarState::Blocked(e.to_string());
                    return Err(SaveError::Unreadable(e.to_string()));
                }
            }
        }
        let on_disk = match &self.sidecar {
            SidecarState::Blocked(why) => return Err(SaveError::Unreadable(why.clone())),
            SidecarState::Writable(d) => d.clone(),
        };
        if on_disk == OnDisk::Missing && self.annotations.is_empty() && self.sign_off.is_none() {
            self.dirty = false;
            return Ok(Saved::Unchanged);
        }
        // Answers given in a checklist still open are recorded now, so the file has them.
        if self.checklist_open.is_some() {
            self.begin_checklist();
        }
        let ours = self.to_sidecar();
        match sidecar::save(&self.sidecar_path, &ours, &on_disk) {
            Ok(written) => {
                self.sidecar = SidecarState::Writable(written);
                self.clean = ours.clone();
                self.base = ours;
                self.dirty = false;
                Ok(Saved::Written)
            }
            Err(SaveError::ChangedOnDisk(path)) => self.merge_and_save(ours, path),
            Err(e) => Err(e),
        }
    }

    fn merge_and_save(&mut self, ours: SidecarFile, path: PathBuf) -> Result<Saved, SaveError> {
        let (theirs, now_on_disk) = sidecar::load(&self.sidecar_path).map_err(|e| {
            SaveError::Unreadable(format!("{e}; it changed on disk since it was opened"))
        })?;
        let merged = if now_on_disk == OnDisk::Missing {
            // Deleted on disk: a deletion of the whole file is not a colleague's judgement on
            // each note, so ours is written back as it is.
            merge::Merged {
                file: ours,
                conflicts: Vec::new(),
            }
        } else {
            merge::merge(&self.base, &ours, &theirs)
        };
        let written = match sidecar::save(&self.sidecar_path, &merged.file, &now_on_disk) {
            Ok(w) => w,
            // Changed again within milliseconds: say so rather than loop.
            Err(SaveError::ChangedOnDisk(_)) => return Err(SaveError::ChangedOnDisk(path)),
            Err(e) => return Err(e),
        };
        self.sidecar = SidecarState::Writable(written);
        self.annotations = merged.file.annotations.clone();
        self.sign_off = merged.file.sign_off.clone();
        self.base = merged.file;
        // Undo restores annotations as they were in this session, which would silently take
        // back the colleague's changes merged into them.
        self.undo.clear();
        self.rebuild_sources();
        self.clean = self.to_sidecar();
        self.dirty = false;
        self.changes += 1;
        Ok(Saved::Merged {
            conflicts: merged.conflicts,
        })
    }
}
