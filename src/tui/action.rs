//! Everything the editor can ask of the review screen. Keys map to actions through the keymap;
//! `update` applies them. Nothing else changes the app's state.

use crate::judgement::{Answer, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    SetStatus(Status),
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
    ChecklistDown,
    ChecklistUp,
    Answer(Answer),
    CycleAnswer,
    CloseChecklist,
    CloseNote,
    SaveAndQuit,
    DiscardAndQuit,
    CancelQuit,
    /// The terminal changed size (not bound to a key).
    Resize(u16, u16),
}

impl Action {
    /// What the action does, as the help screen says it.
    pub fn describe(self) -> &'static str {
        match self {
            Action::NextSource => "next source",
            Action::PrevSource => "previous source",
            Action::ScrollDown => "scroll down",
            Action::ScrollUp => "scroll up",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::SetStatus(Status::Verified) => "reliability: verified",
            Action::SetStatus(Status::Corroborated) => "reliability: corroborated",
            Action::SetStatus(Status::SingleSource) => "reliability: single-source",
            Action::SetStatus(Status::Unverified) => "reliability: unverified",
            Action::SetStatus(Status::Disputed) => "reliability: disputed",
            Action::SetStatus(_) => "clear reliability",
            Action::ToggleDismiss => "dismiss as not a source / restore",
            Action::ApplyToGroup => "give every mention this reliability",
            Action::OpenChecklist => "standards checklist",
            Action::OpenNote => "write a note",
            Action::Save => "save the sidecar",
            Action::Quit => "quit (asks if unsaved)",
            Action::ToggleHelp => "this help",
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
            Action::Resize(..) => "resize",
        }
    }
}
