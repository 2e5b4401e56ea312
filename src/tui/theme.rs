//! Every colour and symbol in one place. A status is always shown by a symbol as well as a colour,
//! so it reads on a monochrome terminal and for colour-blind editors.

use ratatui::style::{Color, Modifier, Style};

use crate::detect::Severity;
use crate::judgement::{Answer, Status};

pub fn status_symbol(status: Status) -> &'static str {
    match status {
        Status::Untagged => "○",
        Status::Dismissed => "✗",
        Status::Verified => "✔",
        Status::Corroborated => "◆",
        Status::SingleSource => "◐",
        Status::Unverified => "?",
        Status::Disputed => "!",
    }
}

/// The highlight of a source's text in the article.
pub fn highlight(status: Status) -> Style {
    let (bg, fg) = match status {
        Status::Untagged => (Color::Yellow, Color::Black),
        Status::Dismissed => {
            return Style::new()
                .fg(Color::DarkGray)
                .add_modifier(Modifier::CROSSED_OUT);
        }
        Status::Verified => (Color::Green, Color::Black),
        Status::Corroborated => (Color::Cyan, Color::Black),
        Status::SingleSource => (Color::Blue, Color::White),
        Status::Unverified => (Color::Magenta, Color::Black),
        Status::Disputed => (Color::Red, Color::White),
    };
    Style::new().bg(bg).fg(fg)
}

/// The selected source stands out from every other highlight whatever its status.
pub fn selected(status: Status) -> Style {
    highlight(status).add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
}

/// The status word and symbol, coloured, for the list and the detail pane.
pub fn status_label(status: Status) -> Style {
    let fg = match status {
        Status::Untagged => Color::Yellow,
        Status::Dismissed => Color::DarkGray,
        Status::Verified => Color::Green,
        Status::Corroborated => Color::Cyan,
        Status::SingleSource => Color::Blue,
        Status::Unverified => Color::Magenta,
        Status::Disputed => Color::Red,
    };
    Style::new().fg(fg)
}

pub fn severity(sev: Severity) -> Style {
    match sev {
        Severity::High => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Severity::Medium => Style::new().fg(Color::Yellow),
        Severity::Low => Style::new().fg(Color::Green),
    }
}

pub fn answer_symbol(answer: Answer) -> &'static str {
    match answer {
        Answer::Unknown => "·",
        Answer::Yes => "y",
        Answer::No => "n",
    }
}

pub fn answer(answer: Answer) -> Style {
    match answer {
        Answer::Unknown => Style::new().fg(Color::DarkGray),
        Answer::Yes => Style::new().fg(Color::Green),
        Answer::No => Style::new().fg(Color::Red),
    }
}

pub const TITLE: Style = Style::new().add_modifier(Modifier::BOLD);
pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const KEY: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const STATUS_BAR: Style = Style::new().bg(Color::DarkGray).fg(Color::White);
pub const UNSAVED: Style = Style::new()
    .bg(Color::DarkGray)
    .fg(Color::Yellow)
    .add_modifier(Modifier::BOLD);
pub const BANNER_INFO: Style = Style::new().fg(Color::Black).bg(Color::Green);
pub const BANNER_ERROR: Style = Style::new()
    .fg(Color::White)
    .bg(Color::Red)
    .add_modifier(Modifier::BOLD);
pub const LIST_SELECTED: Style = Style::new().add_modifier(Modifier::REVERSED);

/// Text being selected to mark as a source.
pub const SELECTION: Style = Style::new()
    .bg(Color::White)
    .fg(Color::Black)
    .add_modifier(Modifier::UNDERLINED);
/// Something that needs the editor: a moved note to confirm, a merge conflict.
pub const ATTENTION: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);

/// The mark beside a source whose note needs the editor, in the list and the gutter: `~` moved
/// (placed by a fuzzy match), `*` a merge conflict. ASCII, so it is one cell in every terminal.
pub fn attention_mark(moved: bool, conflict: bool) -> &'static str {
    match (moved, conflict) {
        (_, true) => "*",
        (true, false) => "~",
        _ => " ",
    }
}
