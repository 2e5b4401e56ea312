//! What the review screen is doing, with the state that only that doing needs: the note being
//! written lives in `Mode::Note`, the checklist's cursor in `Mode::Checklist`, and so on, so a
//! note exists exactly while the note editor is open. `ModeKind` names the modes without their
//! state: the keymap's tables, the help and the config's `keys` section are per kind.

use ratatui_textarea::TextArea;
use strum::{EnumDiscriminants, EnumIter, IntoEnumIterator};

use super::app::Pos;

#[derive(Debug, EnumDiscriminants)]
#[strum_discriminants(name(ModeKind), derive(EnumIter, Hash))]
pub enum Mode {
    Normal,
    Search(SearchEdit),
    /// The line number (or `w`, `q`, …) typed after `:`.
    GoTo(String),
    Checklist {
        cursor: usize,
    },
    Note(Box<NoteEdit>),
    /// Text chosen by hand to mark as a source: byte offsets of where the selection began and
    /// where the cursor is.
    Select {
        anchor: usize,
        cursor: usize,
    },
    Orphans {
        cursor: usize,
    },
    /// The open drafts, with the row chosen.
    Files {
        cursor: usize,
    },
    /// Asking before the orphan at `cursor` is deleted.
    ConfirmDelete {
        cursor: usize,
    },
    SignOffPrompt,
    QuitPrompt,
    Help {
        scroll: u16,
    },
}

/// A search being typed: where the view and selection were, to go back to on Esc, and the search
/// `n` repeated before, which it repeats again if this one is cancelled.
#[derive(Debug, Clone)]
pub struct SearchEdit {
    pub origin: (Pos, Option<usize>, usize),
    pub before: String,
}

/// A note being written, and the text it started with, to tell an edit from a look.
#[derive(Debug)]
pub struct NoteEdit {
    pub area: TextArea<'static>,
    pub shown: String,
}

impl Mode {
    pub fn kind(&self) -> ModeKind {
        ModeKind::from(self)
    }

    pub fn is(&self, kind: ModeKind) -> bool {
        self.kind() == kind
    }
}

/// `app.mode == ModeKind::Note`: whether the screen is in that mode, whatever its state.
impl PartialEq<ModeKind> for Mode {
    fn eq(&self, kind: &ModeKind) -> bool {
        self.kind() == *kind
    }
}

impl ModeKind {
    /// Every mode, in the order the help and docs/keys.md list them.
    pub fn all() -> impl Iterator<Item = ModeKind> {
        ModeKind::iter()
    }

    /// What keys not in the mode's table do, for modes that take typed text.
    pub fn other_keys(self) -> Option<&'static str> {
        match self {
            ModeKind::Note => Some("edits the note"),
            ModeKind::Search => Some("edits the search; the view follows"),
            ModeKind::GoTo => Some("a line number, or :w :q :wq :q!"),
            _ => None,
        }
    }

    /// The mode's name in the config's `keys` section.
    pub fn name(self) -> &'static str {
        match self {
            ModeKind::Normal => "normal",
            ModeKind::Search => "search",
            ModeKind::GoTo => "goto",
            ModeKind::Note => "note",
            ModeKind::Checklist => "checklist",
            ModeKind::Select => "select",
            ModeKind::Orphans => "orphans",
            ModeKind::Files => "files",
            ModeKind::ConfirmDelete => "confirm-delete",
            ModeKind::SignOffPrompt => "sign-off",
            ModeKind::QuitPrompt => "quit",
            ModeKind::Help => "help",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ModeKind::Normal => "Reviewing",
            ModeKind::Note => "Note editor",
            ModeKind::Checklist => "Checklist",
            ModeKind::Search => "Typing a search",
            ModeKind::GoTo => "Typing a line number",
            ModeKind::Select => "Selecting a source the detector missed",
            ModeKind::Orphans => "Orphaned notes",
            ModeKind::Files => "Open drafts",
            ModeKind::ConfirmDelete => "Delete an orphaned note",
            ModeKind::SignOffPrompt => "Sign off with untagged sources",
            ModeKind::QuitPrompt => "Quit with unsaved changes",
            ModeKind::Help => "Help",
        }
    }
}
