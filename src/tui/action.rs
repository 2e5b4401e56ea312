//! Everything that can change the review screen: what the editor asks for (keys map to actions
//! through the keymap, clicks and typed text map here too) and what the event loop reports back
//! (a finished scan, a save's outcome, the draft changed on disk). `update` applies them; nothing
//! else changes the app's state.

use ratatui::crossterm::event::KeyEvent;

use super::app::disk::{FileStamp, TakeOver};
use super::autosave::RecoveryRead;
use super::effect::Carried;
use crate::article::Article;
use crate::detect::Finding;
use crate::judgement::Answer;
use crate::review::Saved;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Select the next source in document order, wrapping at the end.
    NextSource,
    /// Select the previous source, wrapping at the start.
    PrevSource,
    ScrollDown,
    ScrollUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    /// Set the selected source's reliability (`Untagged` clears it).
    SetLevel(u8),
    /// Dismiss as not an anonymous source, or undo the dismissal.
    ToggleDismiss,
    /// Give every mention of the selected source the selected source's reliability.
    ApplyToGroup,
    OpenChecklist,
    OpenNote,
    Save,
    /// Quit, asking first when there are unsaved changes.
    Quit,
    ToggleHelp,
    /// Back to the whole list: the filter cleared, the banner gone.
    ClearFilter,
    /// Hand the terminal back to the shell, as Ctrl-Z does everywhere; `fg` brings it back.
    Suspend,
    /// Show or hide the attributions that are not under review (named, institutional, outlet,
    /// document), drawn subdued and never counted.
    ToggleAttributions,
    ChecklistDown,
    ChecklistUp,
    Answer(Answer),
    CycleAnswer,
    CloseChecklist,
    CloseNote,
    SaveAndQuit,
    DiscardAndQuit,
    CancelQuit,
    /// Accept the place re-anchoring found for a moved note.
    ConfirmMoved,
    /// Refuse the place re-anchoring found for a moved note: it becomes an orphan.
    SendToOrphans,
    OpenOrphans,
    CloseOrphans,
    OrphanDown,
    OrphanUp,
    /// Attach the chosen orphaned note to the selected source.
    Reattach,
    /// Ask to delete the chosen orphaned note.
    DeleteOrphan,
    /// Start selecting text to mark as a source the detector missed.
    StartSelection,
    SelectLeft,
    SelectRight,
    SelectWordForward,
    SelectWordBack,
    SelectDown,
    SelectUp,
    SelectLineStart,
    SelectLineEnd,
    /// Start the selection again where the cursor is.
    RestartSelection,
    /// Move the cursor to the other end of the selection.
    SwapSelectionEnds,
    /// Mark the selected text as an anonymous source.
    MarkSource,
    CancelSelection,
    /// Sign off the article's sourcing (asks first when sources are untagged).
    SignOff,
    /// Yes, in a yes/no prompt.
    Confirm,
    /// No, in a yes/no prompt.
    Decline,
    /// Take over the lock from a session that is gone.
    TakeOver,
    /// Reload the draft from disk and re-anchor every note.
    Reload,
    Undo,
    Redo,
    /// Start a search in the draft's text.
    StartSearch,
    /// Jump to the next / previous match of the last search.
    NextMatch,
    PrevMatch,
    /// Run the search as typed (Enter) or give it up and go back (Esc).
    AcceptSearch,
    CancelSearch,
    /// Show only some sources in the list (all, untagged, needs review, a status, a severity).
    NextFilter,
    PrevFilter,
    /// Select the next untagged source.
    NextUntagged,
    /// Start typing a line number to jump to.
    StartGoTo,
    AcceptGoTo,
    CancelGoTo,
    /// Edit the note in $VISUAL / $EDITOR.
    ExternalNote,
    /// Go to the next / previous open draft.
    NextFile,
    PrevFile,
    /// The list of open drafts.
    OpenFiles,
    FileDown,
    FileUp,
    OpenChosenFile,
    CloseFiles,
    DetailDown,
    DetailUp,
    /// The terminal changed size (not bound to a key).
    Resize(u16, u16),
    /// A key the mode's table does not bind, typed into its text (the note, a search, `:`).
    Type(KeyEvent),
    /// The left button pressed, and moved while pressed, at a cell of the screen.
    Click {
        column: u16,
        row: u16,
    },
    Drag {
        column: u16,
        row: u16,
    },
    Wheel {
        down: bool,
        column: u16,
        row: u16,
    },
    // What the loop reports back.
    /// The loop came round while a search or a count was going: it goes on a step.
    SearchMore,
    /// The workspace shows this draft now: its old message goes, its layout is checked.
    Shown,
    /// Where this draft stands among the open ones, `(n, of)`, and how many others are unsaved.
    Placed {
        position: Option<(usize, usize)>,
        unsaved_elsewhere: usize,
    },
    /// The background scan's findings, or `None` if it stopped without them.
    ScanFinished(Carried<Option<Vec<Finding>>>),
    /// The draft's size and modification time on disk now.
    DiskStamp(Option<FileStamp>),
    Saved {
        outcome: Carried<Result<Saved, String>>,
        then_quit: bool,
    },
    Reloaded(Carried<Result<(Article, Vec<Finding>), String>>),
    /// The lock as opening the draft found it.
    Locked(Carried<super::Locked>),
    /// Another session took the lock: who.
    LockLost(Carried<String>),
    TookOver(Carried<TakeOver>),
    NoteEdited(Carried<Result<String, String>>),
    Recovered(Carried<RecoveryRead>),
    /// Recovered work that no longer fits was moved aside: to this file, and when it was written.
    RecoveryKept(Carried<(String, String)>),
    /// Unsaved work cannot be written to the recovery file (why), or can again (`None`).
    RecoveryFailing(Carried<Option<String>>),
}

impl Action {
    /// What the action does, as the help screen says it.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::NextSource => "next source",
            Action::PrevSource => "previous source",
            Action::ScrollDown => "scroll down",
            Action::ScrollUp => "scroll up",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::SetLevel(0) => "clear reliability",
            Action::SetLevel(1) => "reliability: level 1 (verified)",
            Action::SetLevel(2) => "reliability: level 2 (corroborated)",
            Action::SetLevel(3) => "reliability: level 3 (single-source)",
            Action::SetLevel(4) => "reliability: level 4 (unverified)",
            Action::SetLevel(5) => "reliability: level 5 (disputed)",
            Action::SetLevel(6) => "reliability: level 6",
            Action::SetLevel(7) => "reliability: level 7",
            Action::SetLevel(8) => "reliability: level 8",
            Action::SetLevel(_) => "reliability: level 9",
            Action::ToggleDismiss => "dismiss as not a source / restore",
            Action::ApplyToGroup => "give every mention this reliability",
            Action::OpenChecklist => "standards checklist",
            Action::OpenNote => "write a note",
            Action::Save => "save the sidecar",
            Action::Quit => "quit (asks if unsaved)",
            Action::ToggleHelp => "this help",
            Action::ToggleAttributions => "show named and other attributions",
            Action::ClearFilter => "clear the filter, then the message",
            Action::Suspend => "suspend to the shell (fg returns)",
            Action::ChecklistDown => "next item",
            Action::ChecklistUp => "previous item",
            Action::Answer(Answer::Yes) => "answer yes",
            Action::Answer(Answer::No) => "answer no",
            Action::Answer(Answer::Unknown) => "answer unknown",
            Action::CycleAnswer => "cycle unknown / yes / no",
            Action::CloseChecklist => "close the checklist",
            Action::CloseNote => "close the note (text is kept)",
            Action::SaveAndQuit => "save and quit",
            Action::DiscardAndQuit => "discard changes and quit",
            Action::CancelQuit => "cancel, keep working",
            Action::ConfirmMoved => "confirm a moved note's new place",
            Action::SendToOrphans => "set a moved note aside as an orphan",
            Action::OpenOrphans => "orphaned notes (text edited away)",
            Action::CloseOrphans => "close",
            Action::OrphanDown => "next note",
            Action::OrphanUp => "previous note",
            Action::Reattach => "attach it to the selected source",
            Action::DeleteOrphan => "delete it (asks first)",
            Action::StartSelection => "select text to mark as a source",
            Action::SelectLeft => "extend left",
            Action::SelectRight => "extend right",
            Action::SelectWordForward => "extend to the next word's end",
            Action::SelectWordBack => "extend back to a word's start",
            Action::SelectDown => "extend a line down",
            Action::SelectUp => "extend a line up",
            Action::SelectLineStart => "extend to the start of the line",
            Action::SelectLineEnd => "extend to the end of the line",
            Action::RestartSelection => "start the selection again here",
            Action::SwapSelectionEnds => "go to the other end of the selection",
            Action::MarkSource => "mark it as an anonymous source",
            Action::CancelSelection => "cancel",
            Action::SignOff => "sign off the sourcing",
            Action::Confirm => "yes",
            Action::Decline => "no",
            Action::TakeOver => "take over from a session that is gone",
            Action::Reload => "reload the draft from disk",
            Action::Undo => "undo the last change",
            Action::Redo => "redo",
            Action::StartSearch => "search the text (smart case)",
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::AcceptSearch => "go to the match",
            Action::CancelSearch => "cancel the search",
            Action::NextFilter => "filter the list: next filter",
            Action::PrevFilter => "filter the list: previous filter",
            Action::NextUntagged => "next untagged source",
            Action::StartGoTo => "go to a line number",
            Action::AcceptGoTo => "go to that line",
            Action::CancelGoTo => "cancel",
            Action::ExternalNote => "write the note in $VISUAL / $EDITOR",
            Action::NextFile => "next open draft",
            Action::PrevFile => "previous open draft",
            Action::OpenFiles => "list the open drafts",
            Action::FileDown => "next draft",
            Action::FileUp => "previous draft",
            Action::OpenChosenFile => "open it",
            Action::CloseFiles => "close the list",
            Action::DetailDown => "scroll the source's details down",
            Action::DetailUp => "scroll the source's details up",
            Action::Resize(..) => "resize",
            Action::Type(_) => "type",
            Action::Click { .. } => "click",
            Action::Drag { .. } => "drag",
            Action::Wheel { .. } => "scroll with the wheel",
            _ => "(reported by the event loop)",
        }
    }

    /// The action's name in the config's `keys` section: `next-source`, `set-verified`.
    pub fn name(&self) -> String {
        match self {
            Action::SetLevel(0) => "clear-status".to_owned(),
            Action::SetLevel(n) => format!("set-level-{n}"),
            Action::Answer(a) => format!("answer-{}", a.as_str()),
            other => {
                // The variant's name in kebab case: `NextSource` → `next-source`.
                let debug = format!("{other:?}");
                let mut name = String::new();
                for (i, c) in debug
                    .chars()
                    .take_while(|c| c.is_alphanumeric())
                    .enumerate()
                {
                    if c.is_uppercase() {
                        if i > 0 {
                            name.push('-');
                        }
                        name.extend(c.to_lowercase());
                    } else {
                        name.push(c);
                    }
                }
                name
            }
        }
    }

    /// What the action does, in the words of the help screen, with the reliability scale in use
    /// (a newsroom may have its own).
    pub fn describe_with(&self, scale: &crate::judgement::Scale) -> String {
        match self {
            &Action::SetLevel(n) if n > 0 => match scale.level(usize::from(n)) {
                Some(level) => format!("reliability: {level}"),
                None => format!("(no level {n} in this scale)"),
            },
            other => other.describe().to_owned(),
        }
    }

    /// Whether the editor asked for it, rather than the event loop reporting an outcome.
    pub fn from_editor(&self) -> bool {
        !matches!(
            self,
            Action::ScanFinished(_)
                | Action::SearchMore
                | Action::Placed { .. }
                | Action::DiskStamp(_)
                | Action::Saved { .. }
                | Action::Reloaded(_)
                | Action::Locked(_)
                | Action::LockLost(_)
                | Action::TookOver(_)
                | Action::NoteEdited(_)
                | Action::Recovered(_)
                | Action::RecoveryKept(_)
                | Action::RecoveryFailing(_)
        )
    }

    /// Whether it moves the article's view, after which the selection follows it.
    pub fn scrolls(&self) -> bool {
        self.moves_view() || matches!(self, Action::Wheel { .. })
    }

    /// The keys that move a view by rows, pages or to an end: the article's, or the help's.
    pub fn moves_view(&self) -> bool {
        matches!(
            self,
            Action::ScrollDown
                | Action::ScrollUp
                | Action::PageDown
                | Action::PageUp
                | Action::Top
                | Action::Bottom
        )
    }

    /// Whether the action judges the selected source, and so needs it on screen.
    pub fn judges(&self) -> bool {
        matches!(
            self,
            Action::SetLevel(_)
                | Action::ToggleDismiss
                | Action::ApplyToGroup
                | Action::OpenChecklist
                | Action::OpenNote
                | Action::ExternalNote
                | Action::ConfirmMoved
                | Action::SendToOrphans
        )
    }

    /// Whether the action changes the judgements, and so is refused in a read-only session.
    pub fn modifies(&self) -> bool {
        matches!(
            self,
            Action::SetLevel(_)
                | Action::ToggleDismiss
                | Action::ApplyToGroup
                | Action::OpenNote
                | Action::Answer(_)
                | Action::CycleAnswer
                | Action::Save
                | Action::SaveAndQuit
                | Action::ConfirmMoved
                | Action::SendToOrphans
                | Action::Reattach
                | Action::DeleteOrphan
                | Action::StartSelection
                | Action::MarkSource
                | Action::SignOff
                | Action::Undo
                | Action::Redo
                | Action::ExternalNote
        )
    }
}
