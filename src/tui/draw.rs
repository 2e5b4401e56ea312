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
            "Delete for good",
            "Delete this orphaned note and its judgement?".to_owned(),
        ),
        Mode::SignOffPrompt => draw_yes_no(
            frame,
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

fn draw_article(frame: &mut Frame, app: &App, area: Rect) {
    let block =
        Block::bordered().title(Span::styled(format!(" {} ", file_name(app)), theme::TITLE));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    // The rows come wrapped to the app's text width, which is this pane's less the gutter.
    let height = usize::from(inner.height);
    let article = app.review.article();
    let sources = &app.review.sources;
    let mut lines: Vec<Line> = Vec::with_capacity(height);
    let mut line = app.top.line;
    let mut skip = app.top.row;
    while lines.len() < height && line < article.line_count() {
        // Only as many rows as the screen shows.
        let shown = app.rows_of(line, skip, height - lines.len());
        // Sources overlapping the rows shown (not the whole line, which may hold thousands),
        // found by binary search rather than a scan of them all.
        let span = shown.first().and_then(layout::Row::start).zip(
            shown
                .iter()
                .rev()
                .find_map(|r| r.glyphs.last())
                .map(|g| g.offset),
        );
        let visible: Vec<usize> = match span {
            Some((from, last)) => {
                let first = sources.partition_point(|s| s.end <= from);
                (first..sources.len())
                    .take_while(|&i| sources[i].start <= last)
                    .collect()
            }
            None => Vec::new(),
        };
        // Every match of the search in view, not only the one the view is on.
        let matches = match span {
            Some((from, last)) if app.found.is_some() || app.mode == Mode::Search => {
                app.matches_in(from, last + 4)
            }
            _ => Vec::new(),
        };
        for row in &shown {
            lines.push(render_row(app, row, &visible, &matches));
        }
        skip = 0;
        line += 1;
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_row(
    app: &App,
    row: &layout::Row,
    visible: &[usize],
    matches: &[(usize, usize)],
) -> Line<'static> {
    let sources = &app.review.sources;
    let covering = |offset: usize| {
        visible
            .iter()
            .copied()
            .find(|&i| sources[i].start <= offset && offset < sources[i].end)
    };
    let row_start = row.start();
    let row_end = row.glyphs.last().map(|g| g.offset);
    let starts_here: Vec<usize> = visible
        .iter()
        .copied()
        .filter(|&i| match (row_start, row_end) {
            (Some(a), Some(b)) => (a..=b).contains(&sources[i].start),
            _ => false,
        })
        .collect();
    let marker = if starts_here.iter().any(|&i| Some(i) == app.selected) {
        "▶"
    } else {
        " "
    };
    let gutter_status = starts_here.first().map(|&i| app.review.status(i));
    let mut spans = vec![
        Span::styled(marker, theme::TITLE),
        match gutter_status {
            Some(st) => Span::styled(theme::status_symbol(st), theme::status_label(st)),
            None => Span::raw(" "),
        },
    ];
    let mut run = String::new();
    let mut run_style = Style::new();
    let selection = app.selection().map(|(a, b)| (a.min(b), a.max(b)));
    for g in &row.glyphs {
        let in_selection = selection.is_some_and(|(a, b)| a <= g.offset && g.offset < b)
            || app.selection().is_some_and(|(_, c)| c == g.offset)
            || app
                .found
                .is_some_and(|(a, b)| a <= g.offset && g.offset < b);
        let style = match covering(g.offset) {
            _ if in_selection => theme::SELECTION,
            Some(i) if Some(i) == app.selected => theme::selected(app.review.status(i)),
            Some(i) => theme::highlight(app.review.status(i)),
            None => match other_at(app, g.offset) {
                Some(k) if Some(k) == app.other_selected => {
                    theme::OTHER_ATTRIBUTION.patch(theme::LIST_SELECTED)
                }
                Some(_) => theme::OTHER_ATTRIBUTION,
                None => Style::new(),
            },
        };
        let style = if !in_selection && matches.iter().any(|&(a, b)| a <= g.offset && g.offset < b)
        {
            style.patch(theme::SEARCH_MATCH)
        } else {
            style
        };
        if style != run_style && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_style = style;
        run.push_str(&g.shown);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, run_style));
    }
    Line::from(spans)
}

/// The attribution not under review, shown with `A`, that covers byte `offset`.
fn other_at(app: &App, offset: usize) -> Option<usize> {
    let others = app.others.as_ref()?;
    let n = others.partition_point(|a| a.start <= offset);
    (n > 0 && offset < others[n - 1].end).then(|| n - 1)
}

/// One-line, display-safe excerpt of a source's text.
fn excerpt(app: &App, i: usize) -> String {
    let s = &app.review.sources[i];
    let text = &app.review.article().text()[s.start..s.end];
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for_terminal(&flat).into_owned()
}

/// The list while its filter shows the attributions that are not under review.
fn draw_others(frame: &mut Frame, app: &App, area: Rect) {
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

fn draw_list(frame: &mut Frame, app: &App, area: Rect) {
    if app.filter == super::filter::Filter::Attributions {
        draw_others(frame, app, area);
        return;
    }
    let total = app.review.sources.len();
    let shown = app.shown();
    let n = shown.len();
    let title = if app.filter == super::filter::Filter::All {
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
                app.key(super::action::Action::NextFilter)
            )
        };
        frame.render_widget(Paragraph::new(empty).style(theme::DIM), inner);
        return;
    }
    let h = usize::from(inner.height);
    let offset = app.list_offset(&shown, h);
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

fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
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
fn detail_lines(app: &App) -> Vec<Line<'static>> {
    if app.filter == super::filter::Filter::Attributions {
        let chosen = app.other_selected.and_then(|k| app.others.as_ref()?.get(k));
        let lines = match chosen {
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
                            app.key(super::action::Action::StartSelection)
                        ),
                        theme::DIM,
                    )),
                ]
            }
            None => vec![Line::from(Span::styled(
                "No attribution chosen.",
                theme::DIM,
            ))],
        };
        return lines;
    }
    let Some(i) = app.selected else {
        return vec![Line::styled("Nothing to judge in this draft.", theme::DIM)];
    };
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
            Span::styled(for_terminal(&source.why).into_owned(), theme::DIM),
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
                app.key(super::action::Action::ConfirmMoved)
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
                    app.key(super::action::Action::ApplyToGroup)
                ),
                theme::DIM,
            ),
        ]));
    }
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
    match ann {
        Some(a) => {
            if a.note.is_empty() {
                lines.push(Line::styled(
                    format!(
                        "No note ({} to write one)",
                        app.key(super::action::Action::OpenNote)
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
                app.key(super::action::Action::OpenChecklist),
                app.key(super::action::Action::OpenNote)
            ),
            theme::DIM,
        )),
    }
    lines
}

/// History entries shown in the detail pane.
const HISTORY_SHOWN: usize = 4;

/// The signals an editor should notice, in words.
fn signal_words(s: &Signals) -> Vec<&'static str> {
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
    let c = app.review.counts();
    if matches!(app.mode.kind(), Mode::Search | Mode::GoTo) {
        use super::action::Action as A;
        let prompt = if app.mode == Mode::Search {
            let hint = if app.found.is_none() && !app.search.is_empty() {
                "  (not found)".to_owned()
            } else {
                format!(
                    "  ({} go · {} back)",
                    app.key_in(Mode::Search, A::AcceptSearch),
                    app.key_in(Mode::Search, A::CancelSearch)
                )
            };
            format!("/{}{hint}", for_terminal(&app.search))
        } else {
            format!(
                ":{}  (a line number, or w q wq q!; {} go · {} cancel)",
                match &app.mode {
                    State::GoTo(typed) => typed.as_str(),
                    _ => "",
                },
                app.key_in(Mode::GoTo, A::AcceptGoTo),
                app.key_in(Mode::GoTo, A::CancelGoTo)
            )
        };
        frame.render_widget(
            Paragraph::new(Line::from(prompt)).style(theme::STATUS_BAR),
            area,
        );
        return;
    }
    let counts = if let Some((a, b)) = app.selection() {
        let text = &app.review.article().text()[a.min(b)..a.max(b)];
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown: String = for_terminal(&flat).chars().take(40).collect();
        use super::action::Action as A;
        format!(
            " selecting \"{shown}\" · w/b h/l j/k extend · {} restart · {} mark · {} cancel ",
            app.key_in(Mode::Select, A::RestartSelection),
            app.key_in(Mode::Select, A::MarkSource),
            app.key_in(Mode::Select, A::CancelSelection)
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
    let counts = {
        let (moved, orphans) = (app.review.moved(), app.review.orphans().len());
        let mut counts = counts;
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
    };
    let (state, state_style) = if app.read_only.is_some() {
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
    } else if app.review.is_dirty() {
        if app.recovery_failing {
            (
                "unsaved, not kept for recovery: save".to_owned(),
                theme::UNSAVED,
            )
        } else {
            ("unsaved".to_owned(), theme::UNSAVED)
        }
    } else {
        ("saved".to_owned(), theme::STATUS_BAR)
    };
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

/// A centred box of at most `w`×`h` cells, cleared for a popup.
fn popup(frame: &mut Frame, w: u16, h: u16, title: &str) -> Rect {
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

fn draw_help(frame: &mut Frame, app: &App) {
    use super::keymap::HelpRow;
    let lines: Vec<Line> = super::keymap::help_rows(&app.keymap, &app.scale)
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
        use super::action::Action as A;
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

fn draw_checklist(frame: &mut Frame, app: &App) {
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
        use super::action::Action as A;
        use crate::judgement::Answer;
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

fn draw_note(frame: &mut Frame, app: &App) {
    let Some(note) = app.note() else { return };
    let area = frame.area();
    let inner = popup(
        frame,
        area.width.saturating_sub(8).min(72),
        area.height.saturating_sub(6).clamp(3, 12),
        &format!(
            "Note · {} close (kept) · {} save",
            app.key_in(Mode::Note, super::action::Action::CloseNote),
            app.key_in(Mode::Note, super::action::Action::Save)
        ),
    );
    frame.render_widget(&note_on_screen(note), inner);
}

/// The note editor as drawn: the same text with every character a terminal must not get replaced
/// by its stand-in. Each stand-in is one character for one, so the cursor stays where it is.
fn note_on_screen(
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

fn draw_quit_prompt(frame: &mut Frame, app: &App) {
    let question = match (app.review.is_dirty(), app.unsaved_elsewhere) {
        (_, 0) => "Quit without saving?".to_owned(),
        (true, n) => format!("This draft and {n} other(s) are unsaved. Quit?"),
        (false, n) => format!("{n} other open draft(s) are unsaved. Quit?"),
    };
    let inner = popup(frame, 52, 4, "Unsaved changes");
    let line = Line::from(vec![
        Span::styled("s", theme::KEY),
        Span::raw(" save and quit · "),
        Span::styled("d", theme::KEY),
        Span::raw(" discard · "),
        Span::styled("Esc", theme::KEY),
        Span::raw(" cancel"),
    ]);
    frame.render_widget(Paragraph::new(vec![Line::raw(question), line]), inner);
}

fn draw_orphans(frame: &mut Frame, app: &App) {
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
    let target = match app.selected {
        Some(i) => format!(
            "Enter attaches the chosen note to source {}: \"{}\"",
            i + 1,
            excerpt(app, i)
        ),
        None => "select a source first (Esc, then Tab or v) to attach a note to it".to_owned(),
    };
    let mut lines: Vec<Line> = vec![
        Line::styled(target, theme::DIM),
        Line::styled(
            format!(
                "{}/{} choose · {} delete (asks) · {} close",
                app.key_in(Mode::Orphans, super::action::Action::OrphanDown),
                app.key_in(Mode::Orphans, super::action::Action::OrphanUp),
                app.key_in(Mode::Orphans, super::action::Action::DeleteOrphan),
                app.key_in(Mode::Orphans, super::action::Action::CloseOrphans)
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

fn draw_yes_no(frame: &mut Frame, title: &str, question: String) {
    let width = u16::try_from(question.chars().count() + 4)
        .unwrap_or(u16::MAX)
        .max(30);
    let inner = popup(frame, width, 4, title);
    let line = Line::from(vec![
        Span::styled("y", theme::KEY),
        Span::raw(" yes · "),
        Span::styled("n", theme::KEY),
        Span::raw(" or "),
        Span::styled("Esc", theme::KEY),
        Span::raw(" no"),
    ]);
    frame.render_widget(Paragraph::new(vec![Line::raw(question), line]), inner);
}
