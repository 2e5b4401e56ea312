//! The built-in table: every mode's keys, their actions, and the footer's column.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::ModeKind;
use crate::judgement::Answer;
use crate::tui::action::Action;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// The footer's column: the binding's place there (1 first) and its word, or `None` for a
    /// key only the help lists. An action's first key stands for it.
    pub footer: Option<(u8, &'static str)>,
}

impl Binding {
    /// Puts the binding in the footer, `rank`th, as `word`.
    const fn footer(mut self, rank: u8, word: &'static str) -> Self {
        self.footer = Some((rank, word));
        self
    }
}

pub(super) const fn key(code: KeyCode, action: Action) -> Binding {
    Binding {
        code,
        mods: KeyModifiers::NONE,
        action,
        footer: None,
    }
}

pub(super) const fn ctrl(c: char, action: Action) -> Binding {
    Binding {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
        action,
        footer: None,
    }
}

pub(super) const fn ch(c: char, action: Action) -> Binding {
    key(KeyCode::Char(c), action)
}

pub const NORMAL: &[Binding] = &[
    key(KeyCode::Tab, Action::NextSource).footer(1, "next"),
    ch(']', Action::NextSource),
    key(KeyCode::BackTab, Action::PrevSource),
    ch('[', Action::PrevSource),
    ch('j', Action::ScrollDown),
    key(KeyCode::Down, Action::ScrollDown),
    ch('k', Action::ScrollUp),
    key(KeyCode::Up, Action::ScrollUp),
    key(KeyCode::PageDown, Action::PageDown),
    key(KeyCode::PageUp, Action::PageUp),
    ch('g', Action::Top),
    key(KeyCode::Home, Action::Top),
    ch('G', Action::Bottom),
    key(KeyCode::End, Action::Bottom),
    ch('1', Action::SetLevel(1)).footer(2, "tag"),
    ch('2', Action::SetLevel(2)),
    ch('3', Action::SetLevel(3)),
    ch('4', Action::SetLevel(4)),
    ch('5', Action::SetLevel(5)),
    ch('6', Action::SetLevel(6)),
    ch('7', Action::SetLevel(7)),
    ch('8', Action::SetLevel(8)),
    ch('9', Action::SetLevel(9)),
    ch('0', Action::SetLevel(0)),
    ch('x', Action::ToggleDismiss),
    ch('a', Action::ApplyToGroup),
    ch('c', Action::OpenChecklist).footer(4, "checklist"),
    ch('e', Action::OpenNote).footer(3, "note"),
    ch('t', Action::NextUntagged),
    ch('f', Action::NextFilter),
    ch('F', Action::PrevFilter),
    ch('/', Action::StartSearch).footer(6, "search"),
    ch('n', Action::NextMatch),
    ch('N', Action::PrevMatch),
    ch(':', Action::StartGoTo),
    ch('u', Action::Undo),
    ctrl('r', Action::Redo),
    ch('E', Action::ExternalNote),
    ch('>', Action::NextFile),
    ch('<', Action::PrevFile),
    ch('b', Action::OpenFiles),
    ch('m', Action::ConfirmMoved),
    ch('M', Action::SendToOrphans),
    ch('v', Action::StartSelection).footer(5, "mark"),
    ch('o', Action::OpenOrphans),
    ch('S', Action::SignOff),
    ch('A', Action::ToggleAttributions),
    key(KeyCode::Esc, Action::ClearFilter),
    ctrl('z', Action::Suspend),
    ch('R', Action::Reload),
    ch('T', Action::TakeOver),
    ch('s', Action::Save).footer(7, "save"),
    ctrl('s', Action::Save),
    ch('J', Action::DetailDown),
    ch('K', Action::DetailUp),
    ch('?', Action::ToggleHelp).footer(8, "help"),
    ch('q', Action::Quit).footer(9, "quit"),
    ctrl('c', Action::Quit),
];

pub const SELECT: &[Binding] = &[
    ch('h', Action::SelectLeft),
    key(KeyCode::Left, Action::SelectLeft),
    ch('l', Action::SelectRight).footer(3, "char"),
    key(KeyCode::Right, Action::SelectRight),
    ch('w', Action::SelectWordForward).footer(2, "word"),
    ch('b', Action::SelectWordBack),
    ch('j', Action::SelectDown).footer(4, "line"),
    key(KeyCode::Down, Action::SelectDown),
    ch('k', Action::SelectUp),
    key(KeyCode::Up, Action::SelectUp),
    ch('0', Action::SelectLineStart),
    key(KeyCode::Home, Action::SelectLineStart),
    ch('$', Action::SelectLineEnd),
    key(KeyCode::End, Action::SelectLineEnd),
    ch(' ', Action::RestartSelection),
    ch('o', Action::SwapSelectionEnds),
    key(KeyCode::Enter, Action::MarkSource).footer(1, "mark"),
    key(KeyCode::Esc, Action::CancelSelection).footer(5, "cancel"),
    ch('v', Action::CancelSelection),
];

pub const ORPHANS: &[Binding] = &[
    ch('j', Action::OrphanDown).footer(3, "next"),
    key(KeyCode::Down, Action::OrphanDown),
    ch('k', Action::OrphanUp),
    key(KeyCode::Up, Action::OrphanUp),
    key(KeyCode::Enter, Action::Reattach).footer(1, "attach"),
    ch('D', Action::DeleteOrphan).footer(2, "delete"),
    key(KeyCode::Esc, Action::CloseOrphans).footer(4, "close"),
    ch('o', Action::CloseOrphans),
    ch('q', Action::CloseOrphans),
];

pub const FILES: &[Binding] = &[
    ch('j', Action::FileDown).footer(2, "next"),
    key(KeyCode::Down, Action::FileDown),
    ch('k', Action::FileUp),
    key(KeyCode::Up, Action::FileUp),
    key(KeyCode::Enter, Action::OpenChosenFile).footer(1, "open"),
    key(KeyCode::Esc, Action::CloseFiles).footer(3, "close"),
    ch('b', Action::CloseFiles),
    ch('q', Action::CloseFiles),
];

/// Yes/no prompts: only an explicit `y` says yes.
pub const YES_NO: &[Binding] = &[
    ch('y', Action::Confirm).footer(1, "yes"),
    ch('n', Action::Decline).footer(2, "no"),
    key(KeyCode::Esc, Action::Decline),
];

pub const CHECKLIST: &[Binding] = &[
    ch('j', Action::ChecklistDown).footer(4, "next"),
    key(KeyCode::Down, Action::ChecklistDown),
    key(KeyCode::Tab, Action::ChecklistDown),
    ch('k', Action::ChecklistUp),
    key(KeyCode::Up, Action::ChecklistUp),
    key(KeyCode::BackTab, Action::ChecklistUp),
    ch('y', Action::Answer(Answer::Yes)).footer(1, "yes"),
    ch('n', Action::Answer(Answer::No)).footer(2, "no"),
    ch('u', Action::Answer(Answer::Unknown)).footer(3, "unknown"),
    ch(' ', Action::CycleAnswer),
    key(KeyCode::Esc, Action::CloseChecklist).footer(5, "close"),
    key(KeyCode::Enter, Action::CloseChecklist),
    ch('c', Action::CloseChecklist),
    ch('q', Action::CloseChecklist),
    ctrl('s', Action::Save),
];

/// While typing a search or a line number, every other key edits what is typed.
pub const SEARCH: &[Binding] = &[
    key(KeyCode::Enter, Action::AcceptSearch).footer(1, "go"),
    key(KeyCode::Esc, Action::CancelSearch).footer(2, "cancel"),
];

pub const GOTO: &[Binding] = &[
    key(KeyCode::Enter, Action::AcceptGoTo).footer(1, "go"),
    key(KeyCode::Esc, Action::CancelGoTo).footer(2, "cancel"),
];

/// In the note editor every other key edits the text.
pub const NOTE: &[Binding] = &[
    key(KeyCode::Esc, Action::CloseNote).footer(1, "close"),
    ctrl('s', Action::Save).footer(2, "save"),
];

pub const QUIT_PROMPT: &[Binding] = &[
    ch('s', Action::SaveAndQuit).footer(1, "save and quit"),
    ch('d', Action::DiscardAndQuit).footer(2, "discard"),
    key(KeyCode::Esc, Action::CancelQuit).footer(3, "cancel"),
    ctrl('c', Action::CancelQuit),
];

pub const HELP: &[Binding] = &[
    ch('j', Action::ScrollDown).footer(1, "down"),
    key(KeyCode::Down, Action::ScrollDown),
    ch('k', Action::ScrollUp).footer(2, "up"),
    key(KeyCode::Up, Action::ScrollUp),
    key(KeyCode::PageDown, Action::PageDown),
    ch(' ', Action::PageDown),
    key(KeyCode::PageUp, Action::PageUp),
    ch('g', Action::Top),
    key(KeyCode::Home, Action::Top),
    ch('G', Action::Bottom),
    key(KeyCode::End, Action::Bottom),
    ch('?', Action::ToggleHelp).footer(3, "close"),
    key(KeyCode::Esc, Action::ToggleHelp),
    ch('q', Action::ToggleHelp),
];

pub fn table(mode: ModeKind) -> &'static [Binding] {
    match mode {
        ModeKind::Normal => NORMAL,
        ModeKind::Note => NOTE,
        ModeKind::Checklist => CHECKLIST,
        ModeKind::Search => SEARCH,
        ModeKind::GoTo => GOTO,
        ModeKind::Select => SELECT,
        ModeKind::Orphans => ORPHANS,
        ModeKind::Files => FILES,
        ModeKind::ConfirmDelete | ModeKind::SignOffPrompt => YES_NO,
        ModeKind::QuitPrompt => QUIT_PROMPT,
        ModeKind::Help => HELP,
    }
}
