//! Where each row of the wrapped article is: counting a line's rows, finding the row that holds
//! a byte, scrolling by rows.
//!
//! A short line is simply wrapped again when asked. A long one (a whole draft on one line, a
//! pasted transcript) would make every key press wrap it from its start, so it is indexed once
//! per width ([`layout::RowIndex`]) and wrapped from the indexed row nearest the one wanted.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::{App, Pos};
use crate::tui::layout::{self, Row, RowIndex, RowStart};

/// Lines longer than this many bytes are indexed rather than wrapped from their start.
const LONG_LINE: usize = 2048;

/// At most this many long lines keep their index; past that all are dropped and rebuilt as needed.
const KEPT: usize = 64;

/// The row indexes of the long lines met so far, at one text width.
#[derive(Debug, Default)]
pub struct RowIndexes {
    width: usize,
    by_line: HashMap<usize, Rc<RowIndex>>,
}

impl RowIndexes {
    /// Forgets every index: the draft's text changed.
    pub fn clear(&mut self) {
        self.by_line.clear();
    }
}

impl App {
    /// The row index of `line` if it is long enough to need one, built on first use. Drawing
    /// asks too, which is why the indexes sit behind a `RefCell`: they are a cache of what the
    /// text and width already decide, never state of their own.
    fn row_index(&self, line: usize) -> Option<Rc<RowIndex>> {
        let article = self.review.article();
        let range = article.line_range(line);
        if range.len() <= LONG_LINE {
            return None;
        }
        let width = self.text_size().0;
        let mut indexes = self.rows.borrow_mut();
        if indexes.width != width || indexes.by_line.len() >= KEPT {
            indexes.width = width;
            indexes.by_line.clear();
        }
        let index = indexes.by_line.entry(line).or_insert_with(|| {
            Rc::new(RowIndex::new(
                &article.text()[range.clone()],
                range.start,
                width,
            ))
        });
        Some(Rc::clone(index))
    }

    /// Up to `count` wrapped rows of `line`, from its row `from`: wrapped from the nearest
    /// indexed row of a long line, so a line of megabytes costs no more than a short one.
    pub(crate) fn rows_of(&self, line: usize, from: usize, count: usize) -> Vec<Row<'_>> {
        let article = self.review.article();
        let range = article.line_range(line);
        // From the first row there is nothing to skip, and no index to build.
        let index = if from > 0 { self.row_index(line) } else { None };
        let start = match index {
            Some(index) => index.before_row(from),
            None => RowStart::first(range.start),
        };
        let skip = from - start.row;
        let limit = layout::Limit {
            rows: skip + count,
            offset: usize::MAX,
        };
        let mut rows = layout::wrap_from(
            &article.text()[range.clone()],
            range.start,
            self.text_size().0,
            start,
            limit,
        );
        rows.drain(..skip.min(rows.len()));
        rows.truncate(count);
        rows
    }

    pub(super) fn rows_in(&self, line: usize) -> usize {
        if let Some(index) = self.row_index(line) {
            return index.rows;
        }
        let article = self.review.article();
        let range = article.line_range(line);
        layout::wrap(
            &article.text()[range.clone()],
            range.start,
            self.text_size().0,
        )
        .len()
    }

    /// Whether `line` wraps to more than `row` rows, wrapping no further than that.
    pub(super) fn has_row(&self, line: usize, row: usize) -> bool {
        if let Some(index) = self.row_index(line) {
            return row < index.rows;
        }
        let article = self.review.article();
        let range = article.line_range(line);
        let limit = layout::Limit {
            rows: row + 1,
            offset: usize::MAX,
        };
        layout::wrap_limited(
            &article.text()[range.clone()],
            range.start,
            self.text_size().0,
            limit,
        )
        .len()
            > row
    }

    pub(super) fn scroll_down(&mut self, n: usize) {
        let last = self.review.article().line_count() - 1;
        for _ in 0..n {
            if self.has_row(self.top.line, self.top.row + 1) {
                self.top.row += 1;
            } else if self.top.line < last {
                self.top = Pos {
                    line: self.top.line + 1,
                    row: 0,
                };
            } else {
                break;
            }
        }
    }

    pub(super) fn scroll_up(&mut self, n: usize) {
        for _ in 0..n {
            if self.top.row > 0 {
                self.top.row -= 1;
            } else if self.top.line > 0 {
                self.top.line -= 1;
                self.top.row = self.rows_in(self.top.line) - 1;
            } else {
                break;
            }
        }
    }

    /// Where a byte offset is drawn: its line and the wrapped row within it.
    pub(super) fn pos_of(&self, offset: usize) -> Pos {
        let article = self.review.article();
        let line = article.line_of(offset);
        let range = article.line_range(line);
        let start = match self.row_index(line) {
            Some(index) => index.before_offset(offset),
            None => RowStart::first(range.start),
        };
        let limit = layout::Limit {
            rows: usize::MAX,
            offset,
        };
        let rows = layout::wrap_from(
            &article.text()[range.clone()],
            range.start,
            self.text_size().0,
            start,
            limit,
        );
        let row = rows
            .iter()
            .rposition(|r| r.start().is_some_and(|s| s <= offset))
            .unwrap_or(0);
        Pos {
            line,
            row: start.row + row,
        }
    }
}

/// A fresh, empty set of indexes for a new view.
pub fn none() -> RefCell<RowIndexes> {
    RefCell::new(RowIndexes::default())
}
