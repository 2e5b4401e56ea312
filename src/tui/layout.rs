//! Where things go on screen: the panes for a terminal size, and each article line wrapped into
//! visual rows of display-safe glyphs.
//!
//! Only the lines in view are ever wrapped, so the cost of a frame depends on the terminal's size,
//! not the draft's.

use std::borrow::Cow;

use ratatui::layout::Rect;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::sanitize::stand_in;

/// Tabs stop every this many columns.
pub const TAB_WIDTH: usize = 4;
/// Columns left of the text for the selection and status markers.
pub const GUTTER: u16 = 2;

/// One cell-group on screen and the byte of the article it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glyph<'a> {
    pub offset: usize,
    pub shown: Cow<'a, str>,
    pub width: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row<'a> {
    pub glyphs: Vec<Glyph<'a>>,
}

impl Row<'_> {
    /// The byte offset of the row's first glyph, if it has one.
    pub fn start(&self) -> Option<usize> {
        self.glyphs.first().map(|g| g.offset)
    }
}

/// A grapheme as it may be shown: control and invisible characters become stand-ins, and a mark
/// with nothing to combine with gets a dotted circle so it cannot vanish.
fn display(g: &str) -> (Cow<'_, str>, usize) {
    if g.chars().any(|c| stand_in(c).is_some()) {
        let s: String = g.chars().map(|c| stand_in(c).unwrap_or(c)).collect();
        let w = s.width().max(1);
        return (Cow::Owned(s), w);
    }
    match g.width() {
        0 => (Cow::Owned(format!("◌{g}")), 1),
        w => (Cow::Borrowed(g), w),
    }
}

/// Wraps one line (without its terminator) starting at byte `base` into rows of at most `width`
/// columns, breaking after whitespace where it can. Always returns at least one row.
pub fn wrap(line: &str, base: usize, width: usize) -> Vec<Row<'_>> {
    wrap_limited(line, base, width, Limit::default())
}

/// Where wrapping may stop: a line of megabytes is only wrapped as far as the screen needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Stop once this many complete rows exist.
    pub rows: usize,
    /// Stop once the row holding this byte offset is complete.
    pub offset: usize,
}

impl Default for Limit {
    fn default() -> Self {
        Self {
            rows: usize::MAX,
            offset: usize::MAX,
        }
    }
}

/// [`wrap`], stopping early at `limit`. The rows returned are the same as `wrap`'s first rows.
pub fn wrap_limited(line: &str, base: usize, width: usize, limit: Limit) -> Vec<Row<'_>> {
    let width = width.max(1);
    let mut rows = vec![Row::default()];
    let mut col = 0;
    // Index in the current row just after the last whitespace glyph.
    let mut break_at: Option<usize> = None;
    for (i, g) in line.grapheme_indices(true) {
        // A byte-order mark at the start of the file is an encoding marker, not text.
        if base + i == 0 && g == "\u{feff}" {
            continue;
        }
        let is_tab = g == "\t";
        let (mut shown, mut w) = if is_tab {
            let n = TAB_WIDTH - col % TAB_WIDTH;
            (Cow::Owned(" ".repeat(n)), n)
        } else {
            display(g)
        };
        if col + w > width && col > 0 {
            let row = rows.last_mut().expect("rows is never empty");
            let carried = match break_at {
                Some(b) if b < row.glyphs.len() => row.glyphs.split_off(b),
                _ => Vec::new(),
            };
            let next_start = carried.first().map_or(base + i, |g| g.offset);
            if rows.len() >= limit.rows || next_start > limit.offset {
                return rows;
            }
            col = carried.iter().map(|g| g.width).sum();
            rows.push(Row { glyphs: carried });
            break_at = None;
            if is_tab {
                let n = (TAB_WIDTH - col % TAB_WIDTH)
                    .min(width.saturating_sub(col))
                    .max(1);
                shown = Cow::Owned(" ".repeat(n));
                w = n;
            }
        }
        let row = rows.last_mut().expect("rows is never empty");
        row.glyphs.push(Glyph {
            offset: base + i,
            shown,
            width: w,
        });
        col += w;
        if g.chars().all(char::is_whitespace) {
            break_at = Some(row.glyphs.len());
        }
    }
    rows
}

/// The screen's regions for a terminal of `area`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub article: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub banner: Rect,
    pub status: Rect,
}

impl Panes {
    pub fn new(area: Rect, banner: bool) -> Self {
        let status = Rect {
            y: area.bottom().saturating_sub(1),
            height: area.height.min(1),
            ..area
        };
        let banner_h = u16::from(banner && area.height >= 3);
        let banner = Rect {
            y: status.y.saturating_sub(banner_h),
            height: banner_h,
            ..area
        };
        let main = Rect {
            height: area.height.saturating_sub(1 + banner_h),
            ..area
        };
        // Side panes only when there is room for both them and a readable article.
        let (article, side) = if main.width >= 70 && main.height >= 8 {
            let side_w = main.width * 42 / 100;
            (
                Rect {
                    width: main.width - side_w,
                    ..main
                },
                Rect {
                    x: main.x + main.width - side_w,
                    width: side_w,
                    ..main
                },
            )
        } else {
            (main, Rect { width: 0, ..main })
        };
        let list_h = side.height * 45 / 100;
        Self {
            article,
            list: Rect {
                height: list_h,
                ..side
            },
            detail: Rect {
                y: side.y + list_h,
                height: side.height - list_h,
                ..side
            },
            banner,
            status,
        }
    }

    /// Columns and rows available for article text (inside the border, right of the gutter).
    pub fn text_size(&self) -> (usize, usize) {
        let w = self.article.width.saturating_sub(2 + GUTTER);
        let h = self.article.height.saturating_sub(2);
        (usize::from(w).max(1), usize::from(h).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| r.glyphs.iter().map(|g| g.shown.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_whitespace_and_keeps_offsets() {
        let rows = wrap("the quick brown fox", 100, 10);
        assert_eq!(texts(&rows), ["the quick ", "brown fox"]);
        assert_eq!(rows[1].start(), Some(110));
    }

    #[test]
    fn long_words_break_hard() {
        assert_eq!(texts(&wrap("abcdefghij", 0, 4)), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn limited_wrapping_gives_the_same_first_rows() {
        let line = "the quick brown fox jumps over the lazy dog ".repeat(50);
        let full = wrap(&line, 7, 12);
        let some = wrap_limited(
            &line,
            7,
            12,
            Limit {
                rows: 5,
                offset: usize::MAX,
            },
        );
        assert_eq!(some, full[..5]);
        let upto = wrap_limited(
            &line,
            7,
            12,
            Limit {
                rows: usize::MAX,
                offset: 7 + 100,
            },
        );
        assert_eq!(upto, full[..upto.len()]);
        assert!(upto.last().unwrap().glyphs.iter().any(|g| g.offset == 107));
    }

    #[test]
    fn tabs_expand_to_the_next_stop() {
        let rows = wrap("a\tb\t\tc", 0, 80);
        assert_eq!(texts(&rows), ["a   b       c"]);
    }

    #[test]
    fn wide_and_combining_characters_fit_their_columns() {
        let rows = wrap("日本語の記事", 0, 5);
        assert!(
            rows.iter()
                .all(|r| r.glyphs.iter().map(|g| g.width).sum::<usize>() <= 5)
        );
        assert_eq!(texts(&rows), ["日本", "語の", "記事"]);
        let rows = wrap("e\u{301}\u{301}x", 0, 10);
        assert_eq!(
            rows[0].glyphs.len(),
            2,
            "combining marks stay with their base"
        );
        assert_eq!(texts(&wrap("\u{301}a", 0, 10)), ["◌\u{301}a"]);
    }

    #[test]
    fn controls_never_pass_through() {
        let rows = wrap("a\x1b[2Jb\rc\u{202e}d", 0, 80);
        let shown = texts(&rows).concat();
        assert_eq!(shown, "a␛[2Jb␍c⇄d");
    }

    #[test]
    fn a_leading_byte_order_mark_is_not_drawn() {
        assert_eq!(texts(&wrap("\u{feff}Title", 0, 80)), ["Title"]);
        // Elsewhere it is a zero-width character that can hide text, so it is shown.
        assert_eq!(texts(&wrap("a\u{feff}b", 5, 80)), ["a¦b"]);
    }

    #[test]
    fn tiny_areas_do_not_panic() {
        for (w, h) in [(0, 0), (1, 1), (10, 3), (80, 24)] {
            let p = Panes::new(Rect::new(0, 0, w, h), true);
            let _ = p.text_size();
            assert!(p.status.bottom() <= h);
        }
        assert_eq!(texts(&wrap("abc", 0, 0)), ["a", "b", "c"]);
    }
}
