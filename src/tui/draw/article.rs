//! The article pane: wrapped rows, highlighted sources and matches, and the cursor.

use super::*;

pub(super) fn draw_article(frame: &mut Frame, app: &App, area: Rect) {
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
    let mut cursor = None;
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
            if let Some(x) = cursor_column(app, row) {
                let y = u16::try_from(lines.len()).unwrap_or(u16::MAX);
                cursor = Some((inner.x + layout::GUTTER + x, inner.y + y));
            }
            lines.push(render_row(app, row, &visible, &matches));
        }
        skip = 0;
        line += 1;
    }
    frame.render_widget(Paragraph::new(lines), inner);
    // The terminal's own cursor marks where the editor is, while reviewing and selecting.
    if let Some(at) = cursor
        && matches!(app.mode.kind(), Mode::Normal | Mode::Select)
    {
        frame.set_cursor_position(at);
    }
}

/// The column of the cursor in `row`, if the cursor is on it.
pub(super) fn cursor_column(app: &App, row: &layout::Row) -> Option<u16> {
    let mut column = 0usize;
    for g in &row.glyphs {
        if g.offset == app.cursor {
            return u16::try_from(column).ok();
        }
        column += g.width;
    }
    None
}

pub(super) fn render_row(
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
pub(super) fn other_at(app: &App, offset: usize) -> Option<usize> {
    let others = app.others.as_ref()?;
    let n = others.partition_point(|a| a.start <= offset);
    (n > 0 && offset < others[n - 1].end).then(|| n - 1)
}
