//! Every colour and symbol in one place. A status is always shown by a symbol as well as a colour,
//! so it reads on a monochrome terminal and for colour-blind editors. The default palette keeps
//! the statuses editors must tell apart at a glance on the blue–yellow axis (untagged yellow,
//! verified blue) and has no pair told apart only by red against green.
//!
//! The other themes are applied to the finished frame, so drawing code has one set of styles:
//! `mono` takes every colour away (a highlight becomes reverse video), `high-contrast` swaps
//! dim grey and the darker backgrounds for bright ones.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

pub use crate::config::Theme;

impl Theme {
    /// The theme to use: `mono` whenever `NO_COLOR` is set (https://no-color.org), else the
    /// configured one.
    pub fn resolve(configured: Theme, no_color: bool) -> Theme {
        if no_color { Theme::Mono } else { configured }
    }

    /// Restyles a drawn frame for this theme.
    pub fn apply(self, buf: &mut Buffer) {
        match self {
            Theme::Default => {}
            Theme::Mono => {
                for cell in &mut buf.content {
                    // A background becomes reverse video. What was reversed on a background
                    // already (the selected source) turns back to normal video, so without colour
                    // it still differs from the other highlights by more than bold and underline.
                    if cell.bg != Color::Reset {
                        cell.modifier ^= Modifier::REVERSED;
                    }
                    cell.fg = Color::Reset;
                    cell.bg = Color::Reset;
                }
            }
            Theme::HighContrast => {
                for cell in &mut buf.content {
                    cell.fg = match cell.fg {
                        Color::DarkGray | Color::Gray => Color::White,
                        Color::Blue => Color::LightBlue,
                        Color::Red => Color::LightRed,
                        Color::Magenta => Color::LightMagenta,
                        other => other,
                    };
                    cell.bg = match cell.bg {
                        Color::DarkGray => Color::Black,
                        Color::Blue => Color::LightBlue,
                        Color::Red => Color::LightRed,
                        Color::Magenta => Color::LightMagenta,
                        Color::Green => Color::LightGreen,
                        Color::Cyan => Color::LightCyan,
                        Color::Yellow => Color::LightYellow,
                        other => other,
                    };
                    if cell.bg != Color::Reset && cell.bg != Color::Black {
                        cell.fg = Color::Black;
                    }
                }
            }
        }
    }
}

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
        // A newsroom's own level: its initial, which the list and detail pane spell out.
        other => {
            const LETTERS: [&str; 26] = [
                "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P",
                "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
            ];
            let first = other.as_str().bytes().next().unwrap_or(b'a');
            LETTERS[usize::from(first.saturating_sub(b'a')).min(25)]
        }
    }
}

/// A newsroom's own levels get colours from this list, by name, so a level keeps its colour.
const LEVEL_COLOURS: [Color; 6] = [
    Color::Blue,
    Color::Cyan,
    Color::Magenta,
    Color::Gray,
    Color::LightBlue,
    Color::Red,
];

fn custom_colour(status: Status) -> Color {
    let sum: usize = status.as_str().bytes().map(usize::from).sum();
    LEVEL_COLOURS[sum % LEVEL_COLOURS.len()]
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
        Status::Verified => (Color::Blue, Color::White),
        Status::Corroborated => (Color::Cyan, Color::Black),
        Status::SingleSource => (Color::Gray, Color::Black),
        Status::Unverified => (Color::Magenta, Color::Black),
        Status::Disputed => (Color::Red, Color::White),
        other => (custom_colour(other), Color::Black),
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
        Status::Verified => Color::Blue,
        Status::Corroborated => Color::Cyan,
        Status::SingleSource => Color::Gray,
        Status::Unverified => Color::Magenta,
        Status::Disputed => Color::Red,
        other => custom_colour(other),
    };
    Style::new().fg(fg)
}

pub fn severity(sev: Severity) -> Style {
    match sev {
        Severity::High => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Severity::Medium => Style::new().fg(Color::Yellow),
        Severity::Low => Style::new().fg(Color::Cyan),
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
        Answer::Yes => Style::new().fg(Color::Blue),
        Answer::No => Style::new().fg(Color::Yellow),
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
pub const BANNER_INFO: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
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
/// A match of the search other than the one the view is on.
pub const SEARCH_MATCH: Style = Style::new()
    .fg(Color::Magenta)
    .add_modifier(Modifier::UNDERLINED.union(Modifier::BOLD));
/// An attribution that is not under review (named, institutional, outlet, document), shown with
/// `A`: subdued, and underlined so it differs without colour too.
pub const OTHER_ATTRIBUTION: Style = Style::new()
    .fg(Color::DarkGray)
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
