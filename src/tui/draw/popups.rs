//! The overlays: help, checklist, note editor, prompts and the orphaned notes.

use super::*;

/// A centred box of at most `w`×`h` cells, cleared for a popup.
pub(super) fn popup(frame: &mut Frame, w: u16, h: u16, title: &str) -> Rect {
    let area = frame.area();
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), theme::TITLE));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

pub(super) fn draw_help(frame: &mut Frame, app: &App) {
    use crate::tui::keymap::HelpRow;
    let lines: Vec<Line> = crate::tui::keymap::help_rows(&app.keymap, &app.scale)
        .into_iter()
        .map(|row| match row {
            HelpRow::Blank => Line::raw(""),
            HelpRow::Title(t) => Line::styled(t, theme::TITLE),
            HelpRow::Entry(keys, what) => Line::from(vec![
                Span::styled(format!("  {:<22}", for_terminal(&keys)), theme::KEY),
                Span::raw(for_terminal(&what).into_owned()),
            ]),
        })
        .collect();
    let title = {
        use crate::tui::action::Action as A;
        let k = |a: A| app.key_in(Mode::Help, a);
        format!(
            "Help · {}/{} {}/{} {}/{} scroll · {} close",
            k(A::ScrollDown),
            k(A::ScrollUp),
            k(A::PageDown),
            k(A::PageUp),
            k(A::Top),
            k(A::Bottom),
            k(A::ToggleHelp)
        )
    };
    let inner = popup(frame, 64, frame.area().height.saturating_sub(2), &title);
    let max_scroll = lines.len().saturating_sub(usize::from(inner.height));
    let help_scroll = match app.mode {
        State::Help { scroll } => scroll,
        _ => 0,
    };
    let scroll = usize::from(help_scroll).min(max_scroll);
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        inner,
    );
}

pub(super) fn draw_checklist(frame: &mut Frame, app: &App) {
    let checklist = app
        .selected
        .and_then(|i| app.review.annotation(i))
        .map(|a| a.checklist.clone())
        .unwrap_or_default();
    let mut lines: Vec<Line> = (0..app.questions.len())
        .filter_map(|n| app.questions.get(n).map(|q| (n, q)))
        .map(|(n, (item, question))| {
            let answer = checklist.get(item);
            let line = Line::from(vec![
                Span::styled(format!(" {:<8}", answer.as_str()), theme::answer(answer)),
                Span::raw(for_terminal(question).into_owned()),
            ]);
            if matches!(app.mode, State::Checklist { cursor } if cursor == n) {
                line.style(theme::LIST_SELECTED)
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::raw(""));
    {
        use crate::judgement::Answer;
        use crate::tui::action::Action as A;
        let k = |a: A| app.key_in(Mode::Checklist, a);
        lines.push(Line::styled(
            format!(
                " {} yes · {} no · {} unknown · {} cycle · {} close",
                k(A::Answer(Answer::Yes)),
                k(A::Answer(Answer::No)),
                k(A::Answer(Answer::Unknown)),
                k(A::CycleAnswer),
                k(A::CloseChecklist)
            ),
            theme::DIM,
        ));
    }
    let height = u16::try_from(app.questions.len() + 4).unwrap_or(u16::MAX);
    let inner = popup(frame, 66, height, "Standards checklist");
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn draw_note(frame: &mut Frame, app: &App) {
    let Some(note) = app.note() else { return };
    let area = frame.area();
    let inner = popup(
        frame,
        area.width.saturating_sub(8).min(72),
        area.height.saturating_sub(6).clamp(3, 12),
        &format!(
            "Note · {} close (kept) · {} save",
            app.key_in(Mode::Note, crate::tui::action::Action::CloseNote),
            app.key_in(Mode::Note, crate::tui::action::Action::Save)
        ),
    );
    frame.render_widget(&note_on_screen(note), inner);
}

/// The note editor as drawn: the same text with every character a terminal must not get replaced
/// by its stand-in. Each stand-in is one character for one, so the cursor stays where it is.
pub(super) fn note_on_screen(
    note: &ratatui_textarea::TextArea<'static>,
) -> ratatui_textarea::TextArea<'static> {
    let lines = note
        .lines()
        .iter()
        .map(|l| for_terminal(l).into_owned())
        .collect();
    let mut shown = ratatui_textarea::TextArea::new(lines);
    shown.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    shown.set_cursor_line_style(Style::new());
    let ratatui_textarea::DataCursor(row, col) = note.cursor();
    shown.move_cursor(ratatui_textarea::CursorMove::Jump(
        u16::try_from(row).unwrap_or(u16::MAX),
        u16::try_from(col).unwrap_or(u16::MAX),
    ));
    shown
}

pub(super) fn draw_quit_prompt(frame: &mut Frame, app: &App) {
    let question = match (app.review.is_dirty(), app.unsaved_elsewhere) {
        (_, 0) => "Quit without saving?".to_owned(),
        (true, n) => format!("This draft and {n} other(s) are unsaved. Quit?"),
        (false, n) => format!("{n} other open draft(s) are unsaved. Quit?"),
    };
    let inner = popup(frame, 52, 4, "Unsaved changes");
    use crate::tui::action::Action as A;
    let k = |a| app.key_in(Mode::QuitPrompt, a);
    let line = Line::from(vec![
        Span::styled(k(A::SaveAndQuit), theme::KEY),
        Span::raw(" save and quit · "),
        Span::styled(k(A::DiscardAndQuit), theme::KEY),
        Span::raw(" discard · "),
        Span::styled(k(A::CancelQuit), theme::KEY),
        Span::raw(" cancel"),
    ]);
    frame.render_widget(Paragraph::new(vec![Line::raw(question), line]), inner);
}

pub(super) fn draw_orphans(frame: &mut Frame, app: &App) {
    let orphans = app.review.orphans();
    let area = frame.area();
    let inner = popup(
        frame,
        area.width.saturating_sub(6).min(80),
        area.height.saturating_sub(4).clamp(5, 16),
        &format!(
            "Orphaned notes ({}): their text was edited away",
            orphans.len()
        ),
    );
    use crate::tui::action::Action as A;
    let target = match app.selected {
        Some(i) => format!(
            "{} attaches the chosen note to source {}: \"{}\"",
            app.key_in(Mode::Orphans, A::Reattach),
            i + 1,
            excerpt(app, i)
        ),
        None => format!(
            "select a source first ({}, then {} or {}) to attach a note to it",
            app.key_in(Mode::Orphans, A::CloseOrphans),
            app.key(A::NextSource),
            app.key(A::StartSelection)
        ),
    };
    let mut lines: Vec<Line> = vec![
        Line::styled(target, theme::DIM),
        Line::styled(
            format!(
                "{}/{} choose · {} delete (asks) · {} close",
                app.key_in(Mode::Orphans, crate::tui::action::Action::OrphanDown),
                app.key_in(Mode::Orphans, crate::tui::action::Action::OrphanUp),
                app.key_in(Mode::Orphans, crate::tui::action::Action::DeleteOrphan),
                app.key_in(Mode::Orphans, crate::tui::action::Action::CloseOrphans)
            ),
            theme::DIM,
        ),
        Line::raw(""),
    ];
    let rows = usize::from(inner.height).saturating_sub(lines.len()).max(1);
    let cursor = match app.mode {
        State::Orphans { cursor } | State::ConfirmDelete { cursor } => cursor,
        _ => 0,
    }
    .min(orphans.len().saturating_sub(1));
    let offset = cursor.saturating_sub(rows.saturating_sub(1));
    for (n, &a) in orphans.iter().enumerate().skip(offset).take(rows) {
        let ann = &app.review.annotations[a];
        let note = ann.note.lines().next().unwrap_or("");
        let line = Line::from(vec![
            Span::styled(
                theme::status_symbol(ann.status),
                theme::status_label(ann.status),
            ),
            Span::raw(format!(" \"{}\" ", for_terminal(&ann.anchor.quote))),
            Span::styled(for_terminal(note).into_owned(), theme::DIM),
        ]);
        lines.push(if n == cursor {
            line.style(theme::LIST_SELECTED)
        } else {
            line
        });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn draw_yes_no(frame: &mut Frame, app: &App, title: &str, question: String) {
    use crate::tui::action::Action as A;
    let width = u16::try_from(question.chars().count() + 4)
        .unwrap_or(u16::MAX)
        .max(30);
    let inner = popup(frame, width, 4, title);
    let mode = app.mode.kind();
    let no: Vec<String> = app
        .keymap
        .bindings(mode)
        .iter()
        .filter(|b| b.action == A::Decline)
        .map(crate::tui::keymap::label)
        .collect();
    let line = Line::from(vec![
        Span::styled(app.key_in(mode, A::Confirm), theme::KEY),
        Span::raw(" yes · "),
        Span::styled(no.join(" or "), theme::KEY),
        Span::raw(" no"),
    ]);
    frame.render_widget(Paragraph::new(vec![Line::raw(question), line]), inner);
}
