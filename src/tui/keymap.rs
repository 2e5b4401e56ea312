//! The one table from keys to actions, per mode. The help overlay and docs/keys.md are drawn from
//! it, so what the help says is always what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::judgement::{Answer, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Search,
    GoTo,
    Note,
    Checklist,
    Select,
    Orphans,
    ConfirmDelete,
    SignOffPrompt,
    QuitPrompt,
    Help,
}

impl Mode {
    pub const ALL: [Mode; 11] = [
        Mode::Normal,
        Mode::Search,
        Mode::GoTo,
        Mode::Checklist,
        Mode::Note,
        Mode::Select,
        Mode::Orphans,
        Mode::ConfirmDelete,
        Mode::SignOffPrompt,
        Mode::QuitPrompt,
        Mode::Help,
    ];

    /// What keys not in the mode's table do, for modes that take typed text.
    pub fn other_keys(self) -> Option<&'static str> {
        match self {
            Mode::Note => Some("edits the note"),
            Mode::Search => Some("edits the search (the view follows as you type)"),
            Mode::GoTo => Some("digits type the line number"),
            _ => None,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Mode::Normal => "Reviewing",
            Mode::Note => "Note editor",
            Mode::Checklist => "Checklist",
            Mode::Search => "Typing a search",
            Mode::GoTo => "Typing a line number",
            Mode::Select => "Selecting a source the detector missed",
            Mode::Orphans => "Orphaned notes",
            Mode::ConfirmDelete => "Delete an orphaned note",
            Mode::SignOffPrompt => "Sign off with untagged sources",
            Mode::QuitPrompt => "Quit with unsaved changes",
            Mode::Help => "Help",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
}

const fn key(code: KeyCode, action: Action) -> Binding {
    Binding {
        code,
        mods: KeyModifiers::NONE,
        action,
    }
}

const fn ctrl(c: char, action: Action) -> Binding {
    Binding {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
        action,
    }
}

const fn ch(c: char, action: Action) -> Binding {
    key(KeyCode::Char(c), action)
}

pub const NORMAL: &[Binding] = &[
    key(KeyCode::Tab, Action::NextSource),
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
    ch('1', Action::SetStatus(Status::Verified)),
    ch('2', Action::SetStatus(Status::Corroborated)),
    ch('3', Action::SetStatus(Status::SingleSource)),
    ch('4', Action::SetStatus(Status::Unverified)),
    ch('5', Action::SetStatus(Status::Disputed)),
    ch('0', Action::SetStatus(Status::Untagged)),
    ch('x', Action::ToggleDismiss),
    ch('a', Action::ApplyToGroup),
    ch('c', Action::OpenChecklist),
    ch('e', Action::OpenNote),
    ch('t', Action::NextUntagged),
    ch('f', Action::NextFilter),
    ch('F', Action::PrevFilter),
    ch('/', Action::StartSearch),
    ch('n', Action::NextMatch),
    ch('N', Action::PrevMatch),
    ch(':', Action::StartGoTo),
    ch('u', Action::Undo),
    ctrl('r', Action::Redo),
    ch('E', Action::ExternalNote),
    ch('m', Action::ConfirmMoved),
    ch('v', Action::StartSelection),
    ch('o', Action::OpenOrphans),
    ch('S', Action::SignOff),
    ch('R', Action::Reload),
    ch('T', Action::TakeOver),
    ch('s', Action::Save),
    ctrl('s', Action::Save),
    ch('?', Action::ToggleHelp),
    ch('q', Action::Quit),
    ctrl('c', Action::Quit),
];

pub const SELECT: &[Binding] = &[
    ch('h', Action::SelectLeft),
    key(KeyCode::Left, Action::SelectLeft),
    ch('l', Action::SelectRight),
    key(KeyCode::Right, Action::SelectRight),
    ch('w', Action::SelectWordForward),
    ch('b', Action::SelectWordBack),
    ch('j', Action::SelectDown),
    key(KeyCode::Down, Action::SelectDown),
    ch('k', Action::SelectUp),
    key(KeyCode::Up, Action::SelectUp),
    ch('0', Action::SelectLineStart),
    key(KeyCode::Home, Action::SelectLineStart),
    ch('$', Action::SelectLineEnd),
    key(KeyCode::End, Action::SelectLineEnd),
    ch(' ', Action::RestartSelection),
    ch('o', Action::SwapSelectionEnds),
    key(KeyCode::Enter, Action::MarkSource),
    key(KeyCode::Esc, Action::CancelSelection),
    ch('v', Action::CancelSelection),
];

pub const ORPHANS: &[Binding] = &[
    ch('j', Action::OrphanDown),
    key(KeyCode::Down, Action::OrphanDown),
    ch('k', Action::OrphanUp),
    key(KeyCode::Up, Action::OrphanUp),
    key(KeyCode::Enter, Action::Reattach),
    ch('D', Action::DeleteOrphan),
    key(KeyCode::Esc, Action::CloseOrphans),
    ch('o', Action::CloseOrphans),
    ch('q', Action::CloseOrphans),
];

/// Yes/no prompts: only an explicit `y` says yes.
pub const YES_NO: &[Binding] = &[
    ch('y', Action::Confirm),
    ch('n', Action::Decline),
    key(KeyCode::Esc, Action::Decline),
];

pub const CHECKLIST: &[Binding] = &[
    ch('j', Action::ChecklistDown),
    key(KeyCode::Down, Action::ChecklistDown),
    key(KeyCode::Tab, Action::ChecklistDown),
    ch('k', Action::ChecklistUp),
    key(KeyCode::Up, Action::ChecklistUp),
    key(KeyCode::BackTab, Action::ChecklistUp),
    ch('y', Action::Answer(Answer::Yes)),
    ch('n', Action::Answer(Answer::No)),
    ch('u', Action::Answer(Answer::Unknown)),
    ch(' ', Action::CycleAnswer),
    key(KeyCode::Esc, Action::CloseChecklist),
    key(KeyCode::Enter, Action::CloseChecklist),
    ch('c', Action::CloseChecklist),
    ch('q', Action::CloseChecklist),
    ctrl('s', Action::Save),
];

/// While typing a search or a line number, every other key edits what is typed.
pub const SEARCH: &[Binding] = &[
    key(KeyCode::Enter, Action::AcceptSearch),
    key(KeyCode::Esc, Action::CancelSearch),
];

pub const GOTO: &[Binding] = &[
    key(KeyCode::Enter, Action::AcceptGoTo),
    key(KeyCode::Esc, Action::CancelGoTo),
];

/// In the note editor every other key edits the text.
pub const NOTE: &[Binding] = &[
    key(KeyCode::Esc, Action::CloseNote),
    ctrl('s', Action::Save),
];

pub const QUIT_PROMPT: &[Binding] = &[
    ch('s', Action::SaveAndQuit),
    ch('d', Action::DiscardAndQuit),
    key(KeyCode::Esc, Action::CancelQuit),
    ctrl('c', Action::CancelQuit),
];

pub const HELP: &[Binding] = &[
    ch('j', Action::ScrollDown),
    key(KeyCode::Down, Action::ScrollDown),
    ch('k', Action::ScrollUp),
    key(KeyCode::Up, Action::ScrollUp),
    ch('?', Action::ToggleHelp),
    key(KeyCode::Esc, Action::ToggleHelp),
    ch('q', Action::ToggleHelp),
];

pub fn table(mode: Mode) -> &'static [Binding] {
    match mode {
        Mode::Normal => NORMAL,
        Mode::Note => NOTE,
        Mode::Checklist => CHECKLIST,
        Mode::Search => SEARCH,
        Mode::GoTo => GOTO,
        Mode::Select => SELECT,
        Mode::Orphans => ORPHANS,
        Mode::ConfirmDelete | Mode::SignOffPrompt => YES_NO,
        Mode::QuitPrompt => QUIT_PROMPT,
        Mode::Help => HELP,
    }
}

/// The action bound to a key press in a mode. Shift is ignored where the key itself already says
/// it (`G`, `?`, Shift-Tab), since terminals disagree about reporting it.
pub fn lookup(mode: Mode, event: KeyEvent) -> Option<Action> {
    let mut mods = event.modifiers;
    if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
        mods.remove(KeyModifiers::SHIFT);
    }
    table(mode)
        .iter()
        .find(|b| b.code == event.code && b.mods == mods)
        .map(|b| b.action)
}

/// How a key is written in the help and the docs.
pub fn label(b: &Binding) -> String {
    let base = match b.code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::BackTab => "Shift-Tab".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::Up => "↑".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::Home => "Home".to_owned(),
        KeyCode::End => "End".to_owned(),
        KeyCode::Esc => "Esc".to_owned(),
        KeyCode::Enter => "Enter".to_owned(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        other => format!("{other:?}"),
    };
    if b.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// Bindings of a mode grouped by action, in table order: `(["Tab", "]"], "next source")`.
pub fn grouped(mode: Mode) -> Vec<(Vec<String>, &'static str)> {
    let mut out: Vec<(Vec<String>, &'static str, Action)> = Vec::new();
    for b in table(mode) {
        match out.iter_mut().find(|(_, _, a)| *a == b.action) {
            Some(entry) => entry.0.push(label(b)),
            None => out.push((vec![label(b)], b.action.describe(), b.action)),
        }
    }
    out.into_iter()
        .map(|(keys, what, _)| (keys, what))
        .collect()
}

/// The key reference as Markdown: docs/keys.md is this text, checked by a test.
pub fn markdown() -> String {
    let mut md = String::from(
        "# Keys\n\nGenerated from the keymap table in `src/tui/keymap.rs` (a test keeps this file in step).\n\
         Digits are reliability levels, never counts. Only key presses are handled, not releases.\n",
    );
    for mode in Mode::ALL {
        md.push_str(&format!(
            "\n## {}\n\n| keys | action |\n|---|---|\n",
            mode.title()
        ));
        for (keys, what) in grouped(mode) {
            let keys: Vec<String> = keys
                .iter()
                .map(|k| format!("`{}`", k.replace('|', "\\|")))
                .collect();
            md.push_str(&format!("| {} | {} |\n", keys.join(" "), what));
        }
        if let Some(what) = mode.other_keys() {
            md.push_str(&format!("| any other key | {what} |\n"));
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for mode in Mode::ALL {
            let t = table(mode);
            for (i, a) in t.iter().enumerate() {
                for b in &t[i + 1..] {
                    assert!(
                        !(a.code == b.code && a.mods == b.mods),
                        "{mode:?}: {} bound twice",
                        label(a)
                    );
                }
            }
        }
    }

    #[test]
    fn n_and_shift_n_search() {
        assert_eq!(
            lookup(
                Mode::Normal,
                KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE)
            ),
            Some(Action::NextMatch)
        );
        assert_eq!(
            lookup(
                Mode::Normal,
                KeyEvent::new(KeyCode::Char('N'), KeyModifiers::SHIFT)
            ),
            Some(Action::PrevMatch)
        );
    }

    #[test]
    fn shifted_letters_and_backtab_match() {
        assert_eq!(
            lookup(
                Mode::Normal,
                KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            lookup(
                Mode::Normal,
                KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
            ),
            Some(Action::PrevSource)
        );
        assert_eq!(
            lookup(
                Mode::Normal,
                KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            Some(Action::Save)
        );
    }

    #[test]
    fn docs_keys_md_matches_the_keymap() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md");
        let expected = markdown();
        if std::env::var_os("WHOSAID_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(
            actual, expected,
            "docs/keys.md is out of date: run `WHOSAID_BLESS=1 cargo test docs_keys_md`"
        );
    }
}
