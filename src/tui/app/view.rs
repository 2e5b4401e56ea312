//! What the screen shows: scrolling, the selection and cursor following the view, the list's
//! filter, and the help and detail panes' own scrolling.

use super::*;

impl App {
    pub(super) fn scroll(&mut self, action: &Action) {
        match action {
            Action::ScrollDown => self.scroll_down(1),
            Action::ScrollUp => self.scroll_up(1),
            Action::PageDown => self.scroll_down(self.page()),
            Action::PageUp => self.scroll_up(self.page()),
            Action::Top => self.top = Pos::default(),
            Action::Bottom => {
                let last = self.review.article().line_count() - 1;
                self.top = Pos {
                    line: last,
                    row: self.rows_in(last) - 1,
                };
                self.scroll_up(self.text_size().1.saturating_sub(1));
            }
            _ => {}
        }
    }

    /// The byte range the article pane shows.
    pub(super) fn view_range(&self) -> (usize, usize) {
        let height = self.text_size().1.max(1);
        let article = self.review.article();
        let mut rows = 0;
        let mut line = self.top.line;
        let mut skip = self.top.row;
        // An empty line at the top has no glyph, but its start is in view.
        let mut first = (self.top.row == 0).then(|| article.line_range(self.top.line).start);
        let mut last = article.line_range(self.top.line).start;
        while rows < height && line < article.line_count() {
            for row in self.rows_of(line, skip, height - rows) {
                first = first.or(row.start());
                if let Some(g) = row.glyphs.last() {
                    last = g.offset;
                }
                rows += 1;
            }
            skip = 0;
            line += 1;
        }
        let first = first.unwrap_or(last);
        (first, last.max(first))
    }

    /// Whether any of source `i` is on screen.
    pub fn in_view(&self, i: usize) -> bool {
        covers(self.view_range(), &self.review.sources[i])
    }

    /// After the view moved: a selection scrolled off screen moves to the nearest source in
    /// view that the list shows, if there is one, and the cursor stays on screen.
    pub(super) fn follow_view(&mut self) {
        let view = self.view_range();
        if let Some(i) = self.selected
            && !covers(view, &self.review.sources[i])
        {
            let up = self.review.sources[i].start < view.0;
            let nearest = {
                // The list is in text order: the sources in view are one run of it.
                let derived = self.derived();
                let shown = &derived.shown;
                let sources = &self.review.sources;
                let first =
                    shown.partition_point(|&j| sources[j].end.max(sources[j].start + 1) <= view.0);
                let last = shown.partition_point(|&j| sources[j].start <= view.1);
                let in_view = &shown[first..last.max(first)];
                if up { in_view.first() } else { in_view.last() }.copied()
            };
            if let Some(j) = nearest {
                // The cursor stays where it is if that is on screen (`:N` put it there).
                self.selected = Some(j);
                self.detail_scroll = 0;
            }
        }
        if !(view.0..=view.1).contains(&self.cursor) {
            self.cursor = match self.selected {
                Some(i) if covers(view, &self.review.sources[i]) => {
                    self.review.sources[i].start.max(view.0)
                }
                _ => view.0,
            };
        }
    }

    /// Scrolls so that 1-based `line` is at the top (the last line if it is past the end), and
    /// puts the cursor at its start, selecting the source there if there is one.
    pub fn go_to_line(&mut self, line: usize) {
        let article = self.review.article();
        let line = line.clamp(1, article.line_count()) - 1;
        let range = article.line_range(line);
        self.top = Pos { line, row: 0 };
        self.cursor_to(range.start, range.end);
        self.follow_view();
    }

    /// Puts the cursor at `offset` and selects the first source within `offset..end`, if any.
    pub(super) fn cursor_to(&mut self, offset: usize, end: usize) {
        self.cursor = offset;
        if let Some(i) = self
            .review
            .sources
            .iter()
            .position(|s| s.start < end.max(offset + 1) && offset < s.end.max(s.start + 1))
        {
            self.selected = Some(i);
            self.detail_scroll = 0;
        }
    }

    /// Selects the next (or previous) source the filter shows, wrapping at the ends.
    pub(super) fn step_source(&mut self, forward: bool) {
        let n = self.review.sources.len();
        if n == 0 {
            self.banner = Some(Banner::Info("this draft has no anonymous sources".into()));
            return;
        }
        if self.derived().shown.is_empty() {
            self.banner = Some(Banner::Info(format!(
                "no {} sources: {} changes the filter",
                self.filter.label(),
                self.key(Action::NextFilter)
            )));
            return;
        }
        let derived = self.derived();
        let shown = &derived.shown;
        // The list is in order: the next is found by binary search, not a walk of thousands.
        let next = match (self.selected, forward) {
            (None, true) => shown[0],
            (None, false) => shown[shown.len() - 1],
            (Some(i), true) => shown
                .get(shown.partition_point(|&s| s <= i))
                .copied()
                .unwrap_or(shown[0]),
            (Some(i), false) => match shown.partition_point(|&s| s < i) {
                0 => shown[shown.len() - 1],
                k => shown[k - 1],
            },
        };
        drop(derived);
        self.select(next);
        self.reveal_selected();
    }

    pub(super) fn next_untagged(&mut self) {
        let n = self.review.sources.len();
        let from = self.selected.map_or(0, |i| i + 1);
        match (0..n)
            .map(|k| (from + k) % n)
            .find(|&i| self.review.status(i) == crate::judgement::Status::Untagged)
        {
            Some(i) => {
                self.select(i);
                self.reveal_selected();
            }
            None => self.banner = Some(Banner::Info("no untagged sources left".into())),
        }
    }

    pub(super) fn step_filter(&mut self, forward: bool) {
        self.filter = self.filter.step(forward, &self.scale);
        if self.filter == Filter::Attributions {
            self.list_others();
            return;
        }
        self.other_selected = None;
        let shown = self.derived().shown.len();
        if let Some(i) = self.selected
            && !self.filter.matches(&self.review, i)
        {
            self.step_source(true);
        }
        self.banner = Some(Banner::Info(format!(
            "showing {}: {shown} of {} sources ({} / {} change the filter)",
            self.filter.label(),
            self.review.sources.len(),
            self.key(Action::NextFilter),
            self.key(Action::PrevFilter)
        )));
    }

    /// Keeps the selection and view valid after the review's sources were replaced.
    pub fn after_review_replaced(&mut self) {
        self.rows.get_mut().clear();
        self.replaced += 1;
        let n = self.review.sources.len();
        self.selected = if n == 0 {
            None
        } else {
            Some(self.selected.unwrap_or(0).min(n - 1))
        };
        self.cursor = self
            .selected
            .map_or(0, |i| self.review.sources[i].start)
            .min(self.review.article().text().len());
        self.reveal_selected();
    }

    /// The rows the help shows at once: the popup's height less its borders.
    fn help_page(&self) -> i32 {
        i32::from(self.size.1.saturating_sub(4)).max(1)
    }

    /// Scrolls the help, never past its last page.
    pub(super) fn scroll_help(&mut self, action: &Action) {
        let page = self.help_page();
        let rows = keymap::help_rows(&self.keymap, &self.scale).len();
        let max = i64::try_from(rows).unwrap_or(i64::MAX) - i64::from(page);
        let Mode::Help { scroll } = &mut self.mode else {
            return;
        };
        let by = match action {
            Action::ScrollDown => 1,
            Action::ScrollUp => -1,
            Action::PageDown => page,
            Action::PageUp => -page,
            Action::Top => i32::MIN,
            _ => i32::MAX,
        };
        let next = (i64::from(*scroll) + i64::from(by)).clamp(0, max.max(0));
        *scroll = u16::try_from(next).unwrap_or(u16::MAX);
    }

    /// Scrolls the detail pane of the selected source by a row, never past its end.
    pub(super) fn scroll_detail(&mut self, down: bool) {
        if down {
            let rows = u16::try_from(crate::tui::draw::detail_rows(self)).unwrap_or(u16::MAX);
            let height = self.panes().detail.height.saturating_sub(2);
            if self.detail_scroll + height < rows {
                self.detail_scroll += 1;
            }
        } else {
            self.detail_scroll = self.detail_scroll.saturating_sub(1);
        }
    }

    fn page(&self) -> usize {
        self.text_size().1.saturating_sub(1).max(1)
    }

    /// Keeps `top` valid after the width changes the number of rows in its line.
    pub(super) fn clamp_top(&mut self) {
        let rows = self.rows_in(self.top.line);
        self.top.row = self.top.row.min(rows - 1);
    }

    /// Scrolls just enough to show the selected source, with a little context above it.
    pub fn reveal_selected(&mut self) {
        let Some(i) = self.selected else { return };
        self.reveal_offset(self.review.sources[i].start);
    }

    /// Scrolls just enough to show a byte offset, with a little context above it.
    pub(super) fn reveal_offset(&mut self, offset: usize) {
        let target = self.pos_of(offset);
        let height = self.text_size().1;
        if target < self.top {
            self.top = target;
            self.scroll_up(2.min(height / 3));
            return;
        }
        // Count rows from the top to the target, giving up once past the bottom of the view.
        let mut pos = self.top;
        let mut seen = 0;
        while pos < target && seen < height {
            if self.has_row(pos.line, pos.row + 1) {
                pos.row += 1;
            } else {
                pos = Pos {
                    line: pos.line + 1,
                    row: 0,
                };
            }
            seen += 1;
        }
        if seen >= height.saturating_sub(1) {
            self.top = target;
            self.scroll_up(height / 3);
        }
    }
}
