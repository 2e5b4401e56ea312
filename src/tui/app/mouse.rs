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

    /// Whether a cell is inside a pane's borders.
    fn inside(r: Rect, column: u16, row: u16) -> bool {
        column > r.x && column + 1 < r.x + r.width && row > r.y && row + 1 < r.y + r.height
    }

    /// The byte offset under a cell of the article pane, if it is on text.
    fn offset_under(&self, column: u16, row: u16) -> Option<usize> {
        let article = self.panes().article;
        if !Self::inside(article, column, row) {
            return None;
        }
        self.offset_at(
            usize::from(column - article.x - 1),
            usize::from(row - article.y - 1),
        )
    }

    /// A click in the list selects that source; in the article it puts the cursor there and
    /// selects the source there, if any. While selecting text, it starts the selection there.
    pub(super) fn click(&mut self, column: u16, row: u16) {
        let panes = self.panes();
        match self.mode {
            Mode::Normal if Self::inside(panes.list, column, row) => {
                let shown = self.shown();
                let rows = usize::from(panes.list.height.saturating_sub(2));
                let at = usize::from(row - panes.list.y - 1);
                if let Some(&i) = shown.get(self.list_offset(&shown, rows) + at) {
                    self.select(i);
                    self.reveal_selected();
                }
            }
            Mode::Normal => {
                if let Some(offset) = self.offset_under(column, row) {
                    self.cursor_to(offset, offset + 1);
                }
            }
            Mode::Select { .. } => {
                if let Some(offset) = self.offset_under(column, row) {
                    self.mode = Mode::Select {
                        anchor: offset,
                        cursor: offset,
                    };
                    self.cursor = offset;
                }
            }
            _ => {}
        }
    }

    /// A drag over the article selects text, as `v` and the motion keys do: from where the
    /// button went down to the character under the pointer, which the selection then includes.
    pub(super) fn drag(&mut self, column: u16, row: u16) {
        let Some(offset) = self.offset_under(column, row) else {
            return;
        };
        let text = self.review.article().text();
        let end = offset + text[offset..].chars().next().map_or(0, char::len_utf8);
        match self.mode {
            Mode::Normal => {
                let anchor = self.cursor.min(text.len());
                self.start_selection();
                self.mode = Mode::Select {
                    anchor,
                    cursor: end,
                };
                self.cursor = end;
            }
            Mode::Select { .. } => self.extend_selection_to(end),
            _ => {}
        }
    }

    /// The wheel scrolls the pane under the pointer: the source's details, or the article.
    pub(super) fn wheel(&mut self, down: bool, column: u16, row: u16) {
        if !matches!(self.mode, Mode::Normal | Mode::Select { .. }) {
            return;
        }
        if Self::inside(self.panes().detail, column, row) {
            self.scroll_detail(down);
        } else if down {
            self.scroll_down(3);
        } else {
            self.scroll_up(3);
        }
    }

    /// Maps a mouse event to its action; the caller applies it.
    pub fn mouse_action(event: ratatui::crossterm::event::MouseEvent) -> Option<Action> {
        use ratatui::crossterm::event::{MouseButton, MouseEventKind};
        let (column, row) = (event.column, event.row);
        match event.kind {
            MouseEventKind::ScrollDown => Some(Action::Wheel {
                down: true,
                column,
                row,
            }),
            MouseEventKind::ScrollUp => Some(Action::Wheel {
                down: false,
                column,
                row,
            }),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
            MouseEventKind::Drag(MouseButton::Left) => Some(Action::Drag { column, row }),
            _ => None,
        }
    }

    /// Maps a mouse event to its action and applies it.
    #[must_use]
    pub fn handle_mouse(&mut self, event: ratatui::crossterm::event::MouseEvent) -> Vec<Effect> {
        match Self::mouse_action(event) {
            Some(action) => self.update(action),
            None => Vec::new(),
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
