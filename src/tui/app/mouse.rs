//! Clicks and the wheel.

use super::*;

impl App {
    /// Where the list starts scrolling, for a list area `rows` high: the selected row is kept
    /// near the middle.
    pub fn list_offset(&self, shown: &[usize], rows: usize) -> usize {
        let n = shown.len();
        if n == 0 {
            return 0;
        }
        let sel = self
            .selected
            .map_or(0, |s| shown.partition_point(|&i| i < s).min(n - 1));
        sel.saturating_sub(rows / 2).min(n.saturating_sub(rows))
    }

    /// A click selects the source under it (in the article or the list); the wheel scrolls.
    pub fn handle_mouse(&mut self, event: ratatui::crossterm::event::MouseEvent) {
        use ratatui::crossterm::event::{MouseButton, MouseEventKind};
        if self.mode != Mode::Normal {
            return;
        }
        let panes = self.panes();
        let inside = |r: Rect| {
            event.column > r.x
                && event.column + 1 < r.x + r.width
                && event.row > r.y
                && event.row + 1 < r.y + r.height
        };
        match event.kind {
            MouseEventKind::ScrollDown => {
                self.scroll_down(3);
                self.follow_view();
            }
            MouseEventKind::ScrollUp => {
                self.scroll_up(3);
                self.follow_view();
            }
            MouseEventKind::Down(MouseButton::Left) if inside(panes.list) => {
                let shown = self.shown();
                let rows = usize::from(panes.list.height.saturating_sub(2));
                let row = usize::from(event.row - panes.list.y - 1);
                if let Some(&i) = shown.get(self.list_offset(&shown, rows) + row) {
                    self.banner = None;
                    self.selected = Some(i);
                    self.reveal_selected();
                }
            }
            MouseEventKind::Down(MouseButton::Left) if inside(panes.article) => {
                let x = usize::from(event.column - panes.article.x - 1);
                let y = usize::from(event.row - panes.article.y - 1);
                if let Some(offset) = self.offset_at(x, y)
                    && let Some(i) = self
                        .review
                        .sources
                        .iter()
                        .position(|s| s.start <= offset && offset < s.end)
                {
                    self.banner = None;
                    self.selected = Some(i);
                }
            }
            _ => {}
        }
    }

    /// The byte offset of the character drawn at column `x`, row `y` of the article's text area
    /// (the gutter included in `x`), walking the wrapped rows from the top of the view.
    pub(super) fn offset_at(&self, x: usize, y: usize) -> Option<usize> {
        let x = x.checked_sub(usize::from(layout::GUTTER))?;
        let article = self.review.article();
        let mut line = self.top.line;
        let mut skip = self.top.row;
        let mut seen = 0;
        while line < article.line_count() {
            for row in self.rows_of(line, skip, y + 1 - seen) {
                if seen == y {
                    let mut column = 0;
                    for g in &row.glyphs {
                        if x < column + g.width.max(1) {
                            return Some(g.offset);
                        }
                        column += g.width;
                    }
                    return None;
                }
                seen += 1;
            }
            skip = 0;
            line += 1;
        }
        None
    }
}
