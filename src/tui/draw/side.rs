//! The side panes: the list of sources (or of other attributions) and the selected one's details.

use super::*;

/// One-line, display-safe excerpt of a source's text.
pub(super) fn excerpt(app: &App, i: usize) -> String {
    let s = &app.review.sources[i];
    let text = &app.review.article().text()[s.start..s.end];
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for_terminal(&flat).into_owned()
}

/// The list while its filter shows the attributions that are not under review.
pub(super) fn draw_others(frame: &mut Frame, app: &App, area: Rect) {
    let others = app.others.as_deref().unwrap_or_default();
    let title = format!(" Other attributions ({}), never judged ", others.len());
    let block = Block::bordered().title(Span::styled(title, theme::TITLE));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    if others.is_empty() {
        frame.render_widget(
            Paragraph::new("No other attributions.").style(theme::DIM),
            inner,
        );
        return;
    }
    let h = usize::from(inner.height);
    let chosen = app.other_selected.unwrap_or(0);
    let offset = chosen.saturating_sub(h.saturating_sub(1));
    let article = app.review.article();
    let lines: Vec<Line> = others
        .iter()
        .enumerate()
        .skip(offset)
        .take(h)
        .map(|(k, a)| {
            let flat: String = article.text()[a.start..a.end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let line = Line::from(vec![
                Span::styled(format!("{:>5} ", article.line_number(a.start)), theme::DIM),
                Span::styled(format!("{:<14}", a.class.as_str()), theme::DIM),
                Span::raw(for_terminal(&flat).into_owned()),
            ]);
            if Some(k) == app.other_selected {
                line.style(theme::LIST_SELECTED)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn draw_list(frame: &mut Frame, app: &App, area: Rect) {
    if app.filter == crate::tui::filter::Filter::Attributions {
        draw_others(frame, app, area);
        return;
    }
    let total = app.review.sources.len();
    let derived = app.derived();
    let shown = &derived.shown;
    let n = shown.len();
    let title = if app.filter == crate::tui::filter::Filter::All {
        format!(" Sources ({total}) ")
    } else {
        format!(" Sources ({n} of {total}, {}) ", app.filter.label())
    };
    let block = Block::bordered().title(Span::styled(title, theme::TITLE));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    if n == 0 {
        let empty = if total == 0 {
            "No anonymous sources found.".to_owned()
        } else {
            format!(
                "No {} sources ({} changes the filter).",
                app.filter.label(),
                app.key(crate::tui::action::Action::NextFilter)
            )
        };
        frame.render_widget(Paragraph::new(empty).style(theme::DIM), inner);
        return;
    }
    let h = usize::from(inner.height);
    let offset = app.list_offset(shown, h);
    let show_word = inner.width >= 36;
    let lines: Vec<Line> = shown[offset..n.min(offset + h)]
        .iter()
        .map(|&i| {
            let status = app.review.status(i);
            let line = app
                .review
                .article()
                .line_number(app.review.sources[i].start);
            let moved = app.review.anchor_state(i) == AnchorState::Moved;
            let conflict = app
                .review
                .annotation(i)
                .is_some_and(|a| a.conflict.is_some());
            let mut spans = vec![
                Span::styled(theme::status_symbol(status), theme::status_label(status)),
                Span::styled(theme::attention_mark(moved, conflict), theme::ATTENTION),
                Span::styled(format!("{line:>4} "), theme::DIM),
            ];
            if show_word {
                spans.push(Span::styled(
                    format!("{:<14}", status.as_str()),
                    theme::status_label(status),
                ));
            }
            spans.push(Span::raw(excerpt(app, i)));
            let line = Line::from(spans);
            if Some(i) == app.selected {
                line.style(theme::LIST_SELECTED)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
    let block = Block::bordered().title(Span::styled(" Detail ", theme::TITLE));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let paragraph = Paragraph::new(detail_lines(app)).wrap(Wrap { trim: false });
    frame.render_widget(paragraph.scroll((app.detail_scroll, 0)), inner);
}

/// The rows the detail pane's text takes, wrapped, for scrolling it no further than its end.
pub fn detail_rows(app: &App) -> usize {
    let width = app.panes().detail.width.saturating_sub(2);
    Paragraph::new(detail_lines(app))
        .wrap(Wrap { trim: false })
        .line_count(width)
}

/// What the detail pane says about the selected source (or the chosen attribution).
pub(super) fn detail_lines(app: &App) -> Vec<Line<'static>> {
    if app.filter == crate::tui::filter::Filter::Attributions {
        return attribution_lines(app);
    }
    let Some(i) = app.selected else {
        return vec![Line::styled("Nothing to judge in this draft.", theme::DIM)];
    };
    let mut lines = source_lines(app, i);
    checklist_lines(app, i, &mut lines);
    judgement_lines(app, i, &mut lines);
    lines
}

/// The chosen attribution that is not a source under review.
fn attribution_lines(app: &App) -> Vec<Line<'static>> {
    let chosen = app.other_selected.and_then(|k| app.others.as_ref()?.get(k));
    {
        match chosen {
            Some(a) => {
                let (line, column) = app.review.article().line_col(a.start);
                vec![
                    Line::from(vec![
                        Span::styled(format!("Attribution: {}", a.class.as_str()), theme::TITLE),
                        Span::styled(format!(" · line {line}:{column}"), theme::DIM),
                    ]),
                    Line::from(for_terminal(&a.why).into_owned()),
                    Line::from(Span::styled(
                        format!(
                            "Not a source under review; {} makes it one to judge.",
                            app.key(crate::tui::action::Action::StartSelection)
                        ),
                        theme::DIM,
                    )),
                ]
            }
            None => vec![Line::from(Span::styled(
                "No attribution chosen.",
                theme::DIM,
            ))],
        }
    }
}

/// What the detector found: where, which rule, why, the status, and what needs the editor.
fn source_lines(app: &App, i: usize) -> Vec<Line<'static>> {
    let source = &app.review.sources[i];
    let status = app.review.status(i);
    let ann = app.review.annotation(i);
    let (line, column) = app.review.article().line_col(source.start);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("Source {} of {}", i + 1, app.review.sources.len()),
                theme::TITLE,
            ),
            Span::styled(format!(" · line {line}:{column}"), theme::DIM),
        ]),
        Line::from(vec![
            Span::raw("Rule "),
            Span::raw(for_terminal(&source.rule).into_owned()),
            Span::raw(" · "),
            Span::styled(source.severity.as_str(), theme::severity(source.severity)),
        ]),
        Line::from(vec![
            Span::styled("Why ", theme::DIM),
            Span::styled(for_terminal(&app.review.why(i)).into_owned(), theme::DIM),
        ]),
        Line::from(vec![
            Span::raw("Status "),
            Span::styled(
                format!("{} {}", theme::status_symbol(status), status.as_str()),
                theme::status_label(status),
            ),
        ]),
    ];
    // What needs the editor comes first, above the detector's explanation.
    if app.review.anchor_state(i) == AnchorState::Moved
        && let Some(a) = ann
    {
        lines.push(Line::from(vec![
            Span::styled("Moved ", theme::ATTENTION),
            Span::raw(format!(
                "the text changed; the note was on \"{}\" ({} confirms this place)",
                for_terminal(&a.anchor.quote),
                app.key(crate::tui::action::Action::ConfirmMoved)
            )),
        ]));
    }
    if let Some(conflict) = ann.and_then(|a| a.conflict.as_deref()) {
        lines.push(Line::from(vec![
            Span::styled("Conflict ", theme::ATTENTION),
            Span::raw(for_terminal(conflict).into_owned()),
            Span::styled(" (edit the note to resolve)", theme::DIM),
        ]));
    }
    if let Some(signals) = &source.signals {
        lines.push(Line::from(vec![
            Span::styled("Signals ", theme::DIM),
            Span::raw(signal_words(signals).join(" · ")),
        ]));
    }
    let mates = app.review.group_mates(i);
    if !mates.is_empty() {
        let places: Vec<String> = mates
            .iter()
            .map(|&m| {
                let l = app
                    .review
                    .article()
                    .line_number(app.review.sources[m].start);
                format!("line {l} \"{}\"", excerpt(app, m))
            })
            .collect();
        lines.push(Line::from(vec![
            Span::styled("Same source ", theme::DIM),
            Span::raw(places.join(", ")),
            Span::styled(
                format!(
                    " ({}: apply status)",
                    app.key(crate::tui::action::Action::ApplyToGroup)
                ),
                theme::DIM,
            ),
        ]));
    }
    lines
}

/// The checklist's answers, two a line when they fit, so the note stays in view.
fn checklist_lines(app: &App, i: usize, lines: &mut Vec<Line<'static>>) {
    let ann = app.review.annotation(i);
    let checklist = ann.map(|a| a.checklist.clone()).unwrap_or_default();
    // Two checks a line when they fit, so the note stays in view.
    let per_line = if app.panes().detail.width >= 40 { 2 } else { 1 };
    let items: Vec<CheckItem> = app.questions.items().collect();
    for pair in items.chunks(per_line) {
        let mut spans = Vec::new();
        for &item in pair {
            let answer = checklist.get(item);
            spans.push(Span::styled(
                format!(" {} ", theme::answer_symbol(answer)),
                theme::answer(answer),
            ));
            spans.push(Span::raw(format!("{:<17}", item.key())));
        }
        lines.push(Line::from(spans));
    }
}

/// The note, who wrote it and when, and the latest changes; or how to start judging.
fn judgement_lines(app: &App, i: usize, lines: &mut Vec<Line<'static>>) {
    match app.review.annotation(i) {
        Some(a) => {
            if a.note.is_empty() {
                lines.push(Line::styled(
                    format!(
                        "No note ({} to write one)",
                        app.key(crate::tui::action::Action::OpenNote)
                    ),
                    theme::DIM,
                ));
            } else {
                lines.push(Line::styled("Note", theme::TITLE));
                lines.extend(
                    a.note
                        .lines()
                        .map(|l| Line::raw(for_terminal(l).into_owned())),
                );
            }
            lines.push(Line::styled(
                format!(
                    "{} · {}",
                    for_terminal(&a.author),
                    app.local_time(&a.updated)
                ),
                theme::DIM,
            ));
            // The latest changes first; the sidecar keeps up to 20.
            for c in a.history.iter().rev().take(HISTORY_SHOWN) {
                lines.push(Line::styled(
                    format!(
                        "  {} {} · {}",
                        app.local_time(&c.when),
                        for_terminal(&c.who),
                        for_terminal(&c.what)
                    ),
                    theme::DIM,
                ));
            }
        }
        None => lines.push(Line::styled(
            format!(
                "Not judged yet: {} tag, {} checklist, {} note",
                app.level_keys(),
                app.key(crate::tui::action::Action::OpenChecklist),
                app.key(crate::tui::action::Action::OpenNote)
            ),
            theme::DIM,
        )),
    }
}

/// History entries shown in the detail pane.
pub(super) const HISTORY_SHOWN: usize = 4;

/// The signals an editor should notice, in words.
pub(super) fn signal_words(s: &Signals) -> Vec<&'static str> {
    let mut words = vec![match s.specificity {
        Specificity::Bare => "bare",
        Specificity::GenericRole => "generic role",
        Specificity::AffiliatedRole => "affiliated role",
        Specificity::RoleWithAccess => "role with access",
    }];
    if s.reason_boilerplate {
        words.push("boilerplate reason");
    } else if s.reason_stated {
        words.push("reason stated");
    } else {
        words.push("no reason given");
    }
    if s.direct_quote {
        words.push("anonymous direct quote");
    }
    if s.plural {
        words.push("plural");
    }
    if s.document {
        words.push("document cited");
    }
    if s.declined_to_comment {
        words.push("story says someone declined to comment");
    }
    words
}
