//! `update`: the one place the review screen's state changes. Each arm hands its action to the
//! file that owns what it changes; what needs the disk, the lock or the terminal comes back as
//! an [`Effect`] for the event loop.

use super::*;

impl App {
    /// Applies `action` and returns the work it leaves for the event loop.
    #[must_use]
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // A second T must follow the first directly, and so must a second `a` that overwrites
        // mentions judged differently; what the loop reports in between does not count.
        let (armed, apply_armed) = if action.from_editor() {
            (
                std::mem::take(&mut self.take_over_armed) && action == Action::TakeOver,
                std::mem::take(&mut self.apply_armed) && action == Action::ApplyToGroup,
            )
        } else {
            (false, false)
        };
        // A banner is a message about the last thing the editor did; the next action replaces
        // it. What the loop reports (a finished scan, a timer's write) leaves it be.
        if action.from_editor() && !matches!(action, Action::Resize(..)) {
            self.banner = None;
        }
        if action.modifies()
            && let Some(why) = &self.read_only
        {
            self.banner = Some(Banner::Error(format!("read-only: {why}")));
            return Vec::new();
        }
        // A judgement acts on the source the editor can see, never on one scrolled away.
        if action.judges()
            && self.mode.is(ModeKind::Normal)
            && let Some(i) = self.selected
            && !self.in_view(i)
        {
            self.banner = Some(Banner::Info(format!(
                "no source selected on screen: {} selects the next one",
                self.key(Action::NextSource)
            )));
            return Vec::new();
        }
        let scrolls = action.scrolls() && self.mode.is(ModeKind::Normal);
        let effects = self.apply(action, armed, apply_armed);
        if scrolls {
            self.follow_view();
        }
        effects
    }

    fn apply(&mut self, action: Action, armed: bool, apply_armed: bool) -> Vec<Effect> {
        let help = self.mode.is(ModeKind::Help);
        let others = self.filter == Filter::Attributions;
        match action {
            Action::NextSource | Action::PrevSource if others => {
                self.step_other(action == Action::NextSource)
            }
            Action::NextSource | Action::PrevSource => {
                self.step_source(action == Action::NextSource)
            }
            Action::ScrollDown
            | Action::ScrollUp
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom
                if help =>
            {
                self.scroll_help(&action)
            }
            Action::ScrollDown
            | Action::ScrollUp
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom => self.scroll(&action),
            Action::DetailDown | Action::DetailUp => {
                self.scroll_detail(action == Action::DetailDown)
            }
            Action::SetLevel(n) => self.set_level(n),
            Action::ApplyToGroup => self.apply_to_group(apply_armed),
            Action::ToggleDismiss => self.with_selected(|r, i, stamp| r.toggle_dismissed(i, stamp)),
            Action::OpenChecklist => self.open_checklist(),
            Action::ChecklistDown | Action::ChecklistUp => {
                self.move_checklist(action == Action::ChecklistDown)
            }
            Action::Answer(answer) => self.answer(|_| answer),
            Action::CycleAnswer => self.answer(crate::judgement::Answer::cycled),
            Action::CloseChecklist => self.close_checklist(),
            Action::OpenNote => self.open_note(),
            Action::CloseNote => self.close_note(),
            Action::ExternalNote => return self.external_note(),
            Action::NoteEdited(result) => self.note_edited(result.take()),
            Action::Save => return self.ask_save(false),
            Action::SaveAndQuit => return self.save_and_quit(),
            Action::Saved { outcome, then_quit } => self.saved(outcome.take(), then_quit),
            Action::Quit => self.quit(),
            Action::DiscardAndQuit => self.should_quit = true,
            Action::CancelQuit | Action::CancelGoTo | Action::CloseOrphans => self.normal(),
            Action::ToggleHelp => self.toggle_help(),
            Action::Resize(w, h) => self.resize(w, h),
            Action::Shown => self.resize(self.size.0, self.size.1),
            Action::Placed {
                position,
                unsaved_elsewhere,
            } => (self.file_position, self.unsaved_elsewhere) = (position, unsaved_elsewhere),
            Action::ConfirmMoved => self.confirm_moved(),
            Action::SendToOrphans => self.send_to_orphans(),
            Action::OpenOrphans => self.open_orphans(),
            Action::OrphanDown | Action::OrphanUp => {
                self.move_orphans(action == Action::OrphanDown)
            }
            Action::Reattach => self.reattach(),
            Action::DeleteOrphan => self.ask_delete_orphan(),
            Action::StartSelection if others => self.promote_other(),
            Action::StartSelection => self.start_selection(),
            Action::SelectLeft
            | Action::SelectRight
            | Action::SelectWordForward
            | Action::SelectWordBack
            | Action::SelectDown
            | Action::SelectUp
            | Action::SelectLineStart
            | Action::SelectLineEnd => self.move_selection(&action),
            Action::RestartSelection => self.restart_selection(),
            Action::SwapSelectionEnds => self.swap_selection_ends(),
            Action::MarkSource => self.mark_source(),
            Action::CancelSelection => self.normal(),
            Action::ToggleAttributions => self.toggle_attributions(),
            Action::Suspend => return vec![Effect::Suspend],
            Action::ClearFilter => self.clear_filter(),
            Action::SignOff => self.ask_sign_off(),
            Action::Confirm => self.confirm(),
            Action::Decline => self.decline(),
            Action::TakeOver => return self.ask_take_over(armed),
            Action::TookOver(outcome) => return self.took_over(outcome.take()),
            Action::LockLost(who) => self.lock_lost(who.take()),
            Action::Locked(locked) => self.locked(locked.take()),
            Action::NextFile | Action::PrevFile => {
                return self.step_file(action == Action::NextFile);
            }
            Action::OpenFiles => self.open_files(),
            Action::FileDown | Action::FileUp => self.move_files(action == Action::FileDown),
            Action::OpenChosenFile => return self.open_chosen_file(),
            Action::CloseFiles => self.normal(),
            Action::Undo | Action::Redo => self.undo_or_redo(action == Action::Undo),
            Action::StartSearch => self.start_search(),
            Action::AcceptSearch => self.accept_search(),
            Action::CancelSearch => self.cancel_search(),
            Action::NextMatch | Action::PrevMatch => self.next_match(action == Action::NextMatch),
            Action::SearchMore => self.search_more(),
            Action::NextFilter | Action::PrevFilter => {
                self.step_filter(action == Action::NextFilter)
            }
            Action::NextUntagged => self.next_untagged(),
            Action::StartGoTo => self.mode = Mode::GoTo(String::new()),
            Action::AcceptGoTo => return self.accept_goto(),
            Action::Type(key) => self.type_key(key),
            Action::Click { column, row } => self.click(column, row),
            Action::Drag { column, row } => self.drag(column, row),
            Action::Wheel { down, column, row } => self.wheel(down, column, row),
            Action::Reload => return vec![Effect::Reload],
            Action::Reloaded(read) => self.reloaded(read.take()),
            Action::ScanFinished(findings) => self.scan_finished(findings.take()),
            Action::DiskStamp(stamp) => self.disk_stamp(stamp),
            Action::Recovered(read) => return self.recovered(read.take()),
            Action::RecoveryKept(at) => self.recovery_kept(at.take()),
            Action::RecoveryFailing(why) => self.recovery_failing(why.take()),
        }
        Vec::new()
    }

    /// Back to reviewing, leaving whatever the mode held.
    fn normal(&mut self) {
        self.mode = Mode::Normal;
    }

    fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.clamp_top();
    }

    fn toggle_help(&mut self) {
        self.mode = if self.mode.is(ModeKind::Help) {
            Mode::Normal
        } else {
            Mode::Help { scroll: 0 }
        };
    }

    fn quit(&mut self) {
        if self.review.is_dirty() || self.unsaved_elsewhere > 0 {
            self.mode = Mode::QuitPrompt;
        } else {
            self.should_quit = true;
        }
    }

    fn save_and_quit(&mut self) -> Vec<Effect> {
        self.mode = Mode::Normal;
        if self.file_position.is_some() {
            vec![Effect::SaveAllAndQuit]
        } else {
            self.ask_save(true)
        }
    }

    /// Saving is the loop's: the note being written is committed first, so it goes too.
    fn ask_save(&mut self, then_quit: bool) -> Vec<Effect> {
        if matches!(self.mode, Mode::Note(_)) {
            self.commit_note();
        }
        vec![Effect::Save { then_quit }]
    }

    fn confirm(&mut self) {
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::SignOffPrompt => self.sign_off(),
            Mode::ConfirmDelete { cursor } => self.delete_orphan(cursor),
            _ => {}
        }
    }

    fn decline(&mut self) {
        self.mode = match self.mode {
            Mode::ConfirmDelete { cursor } => Mode::Orphans { cursor },
            _ => Mode::Normal,
        };
    }

    fn clear_filter(&mut self) {
        if self.filter == Filter::All {
            self.banner = None;
            return;
        }
        self.filter = Filter::All;
        self.other_selected = None;
        self.banner = Some(Banner::Info(format!(
            "showing all {} sources",
            self.review.sources.len()
        )));
    }

    /// `:` followed by a line number, or by one of vi's commands, for hands that type them
    /// without thinking.
    fn accept_goto(&mut self) -> Vec<Effect> {
        let typed = match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::GoTo(typed) => typed,
            _ => return Vec::new(),
        };
        match typed.as_str() {
            "w" => self.update(Action::Save),
            "q" => self.update(Action::Quit),
            "wq" | "x" => self.update(Action::SaveAndQuit),
            "q!" => self.update(Action::DiscardAndQuit),
            line => {
                match line.parse::<usize>() {
                    Ok(line) => self.go_to_line(line),
                    Err(_) => {
                        self.banner = Some(Banner::Info(format!(
                            ":{} is not a line number or :w, :q, :wq, :q!",
                            for_terminal(line)
                        )))
                    }
                }
                Vec::new()
            }
        }
    }

    /// A key the mode's table does not bind: text for the note, the search or the line number.
    fn type_key(&mut self, key: KeyEvent) {
        use ratatui::crossterm::event::KeyCode;
        match &mut self.mode {
            Mode::Search(_) => self.type_search(key),
            Mode::GoTo(typed) => match key.code {
                KeyCode::Char(c @ ('0'..='9' | 'w' | 'q' | 'x' | '!')) if typed.len() < 12 => {
                    typed.push(c)
                }
                KeyCode::Backspace => {
                    typed.pop();
                }
                _ => {}
            },
            Mode::Note(edit) => {
                let edited = edit.area.input(key);
                // Typed text is unsaved work at once, so a crash mid-note keeps it.
                if edited {
                    self.commit_note();
                }
            }
            _ => {}
        }
    }
}
