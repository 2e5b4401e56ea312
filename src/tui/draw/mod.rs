//! Drawing the review screen. Reads the app's state and never changes it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::app::{App, Banner};
use super::keymap::ModeKind as Mode;
use super::layout;
use super::mode::Mode as State;
use super::theme;
use crate::detect::{Signals, Specificity};
use crate::judgement::CheckItem;
use crate::review::anchoring::AnchorState;
use crate::sanitize::for_terminal;

mod article;
use article::*;

mod side;
pub use side::detail_rows;
use side::*;

mod popups;
use popups::*;

pub fn draw(frame: &mut Frame, app: &App) {
    let panes = app.panes();
    draw_article(frame, app, panes.article);
    if panes.list.width > 0 {
        draw_list(frame, app, panes.list);
        draw_detail(frame, app, panes.detail);
    }
    draw_banner(frame, app, panes.banner);
    draw_status(frame, app, panes.status);
    draw_footer(frame, app, panes.footer);
    match app.mode.kind() {
        Mode::Normal => {}
        Mode::Help => draw_help(frame, app),
        Mode::Checklist => draw_checklist(frame, app),
        Mode::Note => draw_note(frame, app),
        Mode::QuitPrompt => draw_quit_prompt(frame, app),
        Mode::Select | Mode::Search | Mode::GoTo | Mode::Files => {}
        Mode::Orphans => draw_orphans(frame, app),
        Mode::ConfirmDelete => draw_yes_no(
            frame,
            app,
            "Delete for good",
            "Delete this orphaned note and its judgement?".to_owned(),
        ),
        Mode::SignOffPrompt => draw_yes_no(
            frame,
            app,
            "Sign off",
            format!(
                "{} sources are still untagged. Sign off anyway?",
                app.review.counts().untagged
            ),
        ),
    }
    app.theme.apply(frame.buffer_mut());
}

fn file_name(app: &App) -> String {
    let path = app.review.article().path();
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    for_terminal(&name).into_owned()
}

/// What is being typed after `/` or `:`, with its keys, in place of the status bar.
fn prompt_line(app: &App) -> Option<String> {
    use super::action::Action as A;
    match &app.mode {
        State::Search(_) => {
            let hint = if app.found.is_none() && !app.search.is_empty() {
                "  (not found)".to_owned()
            } else {
                format!(
                    "  ({} go · {} back)",
                    app.key_in(Mode::Search, A::AcceptSearch),
                    app.key_in(Mode::Search, A::CancelSearch)
                )
            };
            Some(format!("/{}{hint}", for_terminal(&app.search)))
        }
        State::GoTo(typed) => Some(format!(
            ":{typed}  (a line number, or w q wq q!; {} go · {} cancel)",
            app.key_in(Mode::GoTo, A::AcceptGoTo),
            app.key_in(Mode::GoTo, A::CancelGoTo)
        )),
        _ => None,
    }
}

/// The status bar's account of the draft: what is selected by hand, the scan in progress or the
/// counts, then moved and orphaned notes and the sign-off.
fn status_counts(app: &App) -> String {
    use super::action::Action as A;
    let derived = app.derived();
    let c = derived.counts;
    let mut counts = if let Some((a, b)) = app.selection() {
        let text = &app.review.article().text()[a.min(b)..a.max(b)];
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown: String = for_terminal(&flat).chars().take(40).collect();
        let k = |a| app.key_in(Mode::Select, a);
        format!(
            " selecting \"{shown}\" · {}/{} {}/{} {}/{} extend · {} restart · {} mark · {} cancel ",
            k(A::SelectWordForward),
            k(A::SelectWordBack),
            k(A::SelectLeft),
            k(A::SelectRight),
            k(A::SelectDown),
            k(A::SelectUp),
            k(A::RestartSelection),
            k(A::MarkSource),
            k(A::CancelSelection)
        )
    } else if app.scan.is_some() {
        format!(
            " scanning {:.1} MB for sources… ",
            app.review.article().text().len() as f64 / 1e6
        )
    } else {
        let outside = if c.out_of_scale > 0 {
            format!("· {} outside the scale ", c.out_of_scale)
        } else {
            String::new()
        };
        format!(
            " {} sources · {} tagged · {} untagged · {} dismissed {outside}",
            c.sources, c.tagged, c.untagged, c.dismissed
        )
    };
    let (moved, orphans) = (derived.moved, derived.orphans);
    if moved > 0 {
        counts.push_str(&format!("· {moved} moved "));
    }
    if orphans > 0 {
        counts.push_str(&format!("· {orphans} orphaned "));
    }
    if let Some(s) = app.review.sign_off() {
        let stale = if app.review.sign_off_stale() {
            " (changed since)"
        } else {
            ""
        };
        counts.push_str(&format!("· signed off by {}{stale} ", for_terminal(&s.who)));
    }
    counts
}

/// Whether the work is saved, and if it cannot be, why.
fn status_state(app: &App) -> (String, Style) {
    if app.read_only.is_some() {
        ("read-only".to_owned(), theme::UNSAVED)
    } else if app.article_changed {
        (
            format!(
                "draft changed on disk: {} reloads",
                app.key(super::action::Action::Reload)
            ),
            theme::UNSAVED,
        )
    } else if !app.can_save() {
        ("not saveable".to_owned(), theme::UNSAVED)
    } else if app.review.is_dirty() && app.recovery_failing {
        (
            "unsaved, not kept for recovery: save".to_owned(),
            theme::UNSAVED,
        )
    } else if app.review.is_dirty() {
        ("unsaved".to_owned(), theme::UNSAVED)
    } else {
        ("saved".to_owned(), theme::STATUS_BAR)
    }
}

/// The keys of the current mode that matter most, from the keymap's footer column: `Tab next ·
/// 1-5 tag · …`, as many as fit.
fn draw_footer(frame: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let width = usize::from(area.width);
    let mut spans = Vec::new();
    let mut used = 0;
    for (keys, word) in app.footer_keys() {
        let keys = for_terminal(&keys).into_owned();
        let cost = unicode_width::UnicodeWidthStr::width(keys.as_str()) + word.len() + 3;
        if used + cost > width {
            break;
        }
        spans.push(Span::raw(" "));
        spans.push(Span::styled(keys, theme::KEY));
        spans.push(Span::styled(format!(" {word} "), theme::DIM));
        used += cost;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_banner(frame: &mut Frame, app: &App, area: Rect) {
    let Some(banner) = &app.banner else { return };
    let style = match banner {
        Banner::Info(_) => theme::BANNER_INFO,
        Banner::Error(_) => theme::BANNER_ERROR,
    };
    let lines: Vec<Line> = banner
        .lines(area.width)
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines).style(style), area);
}

/// At this width or less the status bar puts the save state and help first.
const NARROW_STATUS: usize = 60;

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    if let Some(prompt) = prompt_line(app) {
        frame.render_widget(
            Paragraph::new(Line::from(prompt)).style(theme::STATUS_BAR),
            area,
        );
        return;
    }
    let counts = status_counts(app);
    let (state, state_style) = status_state(app);
    let state = format!(" {state} ");
    let name = match app.file_position {
        Some((n, of)) => format!(" {} [{n}/{of}] ", file_name(app)),
        None => format!(" {} ", file_name(app)),
    };
    let help = format!(" {} help ", app.key(super::action::Action::ToggleHelp));
    let width = usize::from(area.width);
    let spans = if width <= NARROW_STATUS {
        // Narrow: whether the work is saved and how to get help come first; the counts get what
        // is left, cut with an ellipsis.
        let room = width.saturating_sub(state.chars().count() + help.chars().count());
        let counts: String = if counts.chars().count() > room {
            let kept: String = counts.chars().take(room.saturating_sub(1)).collect();
            if room > 0 { format!("{kept}…") } else { kept }
        } else {
            counts
        };
        vec![
            Span::styled(state, state_style),
            Span::raw(help),
            Span::raw(counts),
        ]
    } else {
        let used = counts.chars().count() + state.chars().count();
        let fits_help = used + help.chars().count() <= width;
        let fits_name = used + help.chars().count() + name.chars().count() <= width;
        let mut spans = vec![Span::raw(counts), Span::styled(state, state_style)];
        if fits_help {
            spans.push(Span::raw(help));
        }
        if fits_name {
            spans.insert(0, Span::styled(name, theme::TITLE.patch(theme::STATUS_BAR)));
        }
        spans
    };
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::STATUS_BAR),
        area,
    );
}
