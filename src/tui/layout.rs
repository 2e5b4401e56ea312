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
    wrap_from(line, base, width, RowStart::first(base), limit)
}

/// Where a row of a wrapped line begins, with what wrapping needs to carry on from there exactly
/// as it would have from the start of the line. [`RowIndex`] keeps these for long lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowStart {
    /// The row's number within its line.
    pub row: usize,
    /// The byte offset of the row's first glyph: the end of a word carried over from the row
    /// before, or the glyph that did not fit there.
    pub first: usize,
    /// The byte offset of the glyph that did not fit on the row before (`first` when no word was
    /// carried); `None` for a line's first row.
    overflow: Option<usize>,
}

impl RowStart {
    /// The first row of a line that starts at byte `base`.
    pub fn first(base: usize) -> Self {
        Self {
            row: 0,
            first: base,
            overflow: None,
        }
    }
}

/// [`wrap_limited`], starting at a row found by [`RowIndex`] rather than at the line's start: the
/// rows returned are the line's rows from `start.row` on (counted from there for `limit.rows`).
pub fn wrap_from(
    line: &str,
    base: usize,
    width: usize,
    start: RowStart,
    limit: Limit,
) -> Vec<Row<'_>> {
    let mut rows = Rows {
        rows: vec![Row::default()],
        limit,
    };
    run(line, base, width, start, &mut rows);
    rows.rows
}

/// What wrapping does with each glyph and each row break.
trait Sink<'a> {
    /// Whether [`Sink::glyph`] needs the shown form of each glyph.
    const SHOWN: bool;
    /// A glyph for the current row; `shown` is `None` when the sink does not want it (or when
    /// the grapheme is shown as it is).
    fn glyph(&mut self, offset: usize, g: &'a str, shown: Option<Cow<'a, str>>, width: usize);
    /// The row breaks; the glyphs from byte `carried` on (if any) move to the new row, which
    /// starts as `start`. Returning false stops the wrapping.
    fn row(&mut self, carried: Option<usize>, start: RowStart) -> bool;
}

/// Collects the rows themselves.
struct Rows<'a> {
    rows: Vec<Row<'a>>,
    limit: Limit,
}

impl<'a> Sink<'a> for Rows<'a> {
    const SHOWN: bool = true;

    fn glyph(&mut self, offset: usize, g: &'a str, shown: Option<Cow<'a, str>>, width: usize) {
        let row = self.rows.last_mut().expect("rows is never empty");
        row.glyphs.push(Glyph {
            offset,
            shown: shown.unwrap_or(Cow::Borrowed(g)),
            width,
        });
    }

    fn row(&mut self, carried: Option<usize>, start: RowStart) -> bool {
        // The carried word leaves the finished row even when wrapping stops here.
        let row = self.rows.last_mut().expect("rows is never empty");
        let glyphs = match carried {
            Some(from) => {
                let at = row
                    .glyphs
                    .iter()
                    .rposition(|g| g.offset == from)
                    .unwrap_or(row.glyphs.len());
                row.glyphs.split_off(at)
            }
            None => Vec::new(),
        };
        if self.rows.len() >= self.limit.rows || start.first > self.limit.offset {
            return false;
        }
        self.rows.push(Row { glyphs });
        true
    }
}

/// The graphemes of `line[from..]` with their byte offsets in `line`. A line of plain ASCII (the
/// usual case) is cut byte by byte, which the Unicode rules agree with; only other lines go
/// through the full segmentation.
fn graphemes(line: &str, from: usize) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    let rest = &line[from..];
    if rest.is_ascii() {
        Box::new((0..rest.len()).map(move |i| (from + i, &rest[i..i + 1])))
    } else {
        Box::new(rest.grapheme_indices(true).map(move |(i, g)| (from + i, g)))
    }
}

/// Greedy wrapping of one line into `sink`, from `start`: a row breaks after its last
/// whitespace where it has one (the word after it moves down), or else just before the glyph
/// that does not fit.
fn run<'a, S: Sink<'a>>(line: &'a str, base: usize, width: usize, start: RowStart, sink: &mut S) {
    let width = width.max(1);
    let mut row = start.row;
    let mut col = 0;
    let mut whitespace_seen = false;
    // The first glyph after the row's last whitespace, and the width from there.
    let mut word: Option<usize> = None;
    let mut word_width = 0;
    for (i, g) in graphemes(line, start.first - base) {
        let offset = base + i;
        // A byte-order mark at the start of the file is an encoding marker, not text.
        if offset == 0 && g == "\u{feff}" {
            continue;
        }
        let is_tab = g == "\t";
        // After a break the glyph that did not fit goes in unchecked, as it did when the row
        // was first made; a row restarted from a `RowStart` lays its carried word first.
        let overflowed = start.overflow == Some(offset);
        let carried_again = start.overflow.is_some_and(|o| offset < o);
        let (mut shown, mut w) = if is_tab {
            (None, TAB_WIDTH - col % TAB_WIDTH)
        } else if S::SHOWN {
            let (shown, w) = display(g);
            (Some(shown), w)
        } else {
            (None, width_of(g))
        };
        if overflowed && is_tab {
            w = (TAB_WIDTH - col % TAB_WIDTH)
                .min(width.saturating_sub(col))
                .max(1);
        }
        if !overflowed && !carried_again && col + w > width && col > 0 {
            let carried = word.filter(|_| whitespace_seen);
            let next = RowStart {
                row: row + 1,
                first: carried.unwrap_or(offset),
                overflow: Some(offset),
            };
            if !sink.row(carried, next) {
                return;
            }
            row += 1;
            col = if carried.is_some() { word_width } else { 0 };
            whitespace_seen = false;
            word = None;
            word_width = 0;
            if is_tab {
                w = (TAB_WIDTH - col % TAB_WIDTH)
                    .min(width.saturating_sub(col))
                    .max(1);
            }
        }
        if is_tab && S::SHOWN {
            shown = Some(Cow::Owned(" ".repeat(w)));
        }
        sink.glyph(offset, g, shown, w);
        col += w;
        if g.chars().all(char::is_whitespace) {
            whitespace_seen = true;
            word = None;
            word_width = 0;
        } else if whitespace_seen {
            word.get_or_insert(offset);
            word_width += w;
        }
    }
}

/// The display width of a grapheme, as [`display`] gives it, without building its shown form.
fn width_of(g: &str) -> usize {
    match g.as_bytes() {
        [b] if (0x20..0x7f).contains(b) => 1,
        _ => display(g).1,
    }
}

/// Where the rows of one long line start, at one width: enough to wrap from any row without
/// wrapping the line from its start. Found in one pass that lays out no glyphs, so a line of
/// megabytes costs tens of milliseconds once, and each key press after that only the rows it
/// shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIndex {
    /// How many rows the line wraps to.
    pub rows: usize,
    /// The start of every `every`th row.
    starts: Vec<RowStart>,
    every: usize,
}

impl RowIndex {
    pub fn new(line: &str, base: usize, width: usize) -> Self {
        Self::every(line, base, width, 16)
    }

    fn every(line: &str, base: usize, width: usize, every: usize) -> Self {
        let mut index = Self {
            rows: 1,
            starts: vec![RowStart::first(base)],
            every,
        };
        run(line, base, width, RowStart::first(base), &mut index);
        index
    }

    /// The nearest indexed start at or before row `row`.
    pub fn before_row(&self, row: usize) -> RowStart {
        self.starts[(row / self.every).min(self.starts.len() - 1)]
    }

    /// The nearest indexed start at or before the row holding byte `offset`.
    pub fn before_offset(&self, offset: usize) -> RowStart {
        let n = self.starts.partition_point(|s| s.first <= offset);
        self.starts[n.saturating_sub(1)]
    }
}

impl<'a> Sink<'a> for RowIndex {
    const SHOWN: bool = false;

    fn glyph(&mut self, _: usize, _: &'a str, _: Option<Cow<'a, str>>, _: usize) {}

    fn row(&mut self, _: Option<usize>, start: RowStart) -> bool {
        self.rows += 1;
        if start.row.is_multiple_of(self.every) {
            self.starts.push(start);
        }
        true
    }
}

/// The screen's regions for a terminal of `area`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub article: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub banner: Rect,
    pub status: Rect,
    /// The keys of the mode, one row under the status bar; empty when hidden or too small.
    pub footer: Rect,
}

/// The fewest rows at which the footer is shown: below that, the article needs every row.
pub const FOOTER_MIN_HEIGHT: u16 = 12;

impl Panes {
    /// `banner` is the rows the banner wants; it gets them while the article keeps two.
    /// `footer` asks for the row of keys at the bottom, given if the terminal is tall enough.
    pub fn new(area: Rect, banner: u16, footer: bool) -> Self {
        let footer_h = u16::from(footer && area.height >= FOOTER_MIN_HEIGHT);
        let footer = Rect {
            y: area.bottom().saturating_sub(footer_h),
            height: footer_h,
            ..area
        };
        let area = Rect {
            height: area.height - footer_h,
            ..area
        };
        let status = Rect {
            y: area.bottom().saturating_sub(1),
            height: area.height.min(1),
            ..area
        };
        let banner_h = if area.height >= 3 {
            banner
                .min(area.height.saturating_sub(3))
                .max(u16::from(banner > 0))
        } else {
            0
        };
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
            footer,
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

    mod restarts {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]
            /// Wrapping from any indexed row gives the rows wrapping from the line's start gives,
            /// and the index counts them all.
            #[test]
            fn wrapping_from_an_indexed_row_matches_wrapping_from_the_start(
                parts in proptest::collection::vec(
                    prop_oneof![
                        "[a-z]{1,9}", Just(" ".to_owned()), Just("  ".to_owned()),
                        Just("\t".to_owned()), Just("日本".to_owned()), Just("e\u{301}".to_owned()),
                        Just("\u{1b}[1m".to_owned()), Just("👩\u{200d}💻".to_owned()),
                        Just("\u{1f1ec}\u{1f1e7}".to_owned()), Just("\r".to_owned()),
                        Just("\u{301}".to_owned()), Just("\u{feff}".to_owned()),
                    ],
                    0..60,
                ),
                width in 1usize..24,
                base in prop_oneof![Just(0usize), 1usize..1000],
            ) {
                let line = parts.concat();
                let full = wrap(&line, base, width);
                let index = RowIndex::every(&line, base, width, 1);
                prop_assert_eq!(index.rows, full.len());
                prop_assert_eq!(RowIndex::new(&line, base, width).rows, full.len());
                for row in 0..full.len() {
                    let start = index.before_row(row);
                    prop_assert_eq!(start.row, row);
                    let from = wrap_from(&line, base, width, start, Limit::default());
                    prop_assert_eq!(&from[..], &full[row..]);
                    // (The first row starts at the line's start, before any byte-order mark.)
                    if let Some(first) = full[row].start().filter(|_| row > 0) {
                        prop_assert_eq!(start.first, first);
                        prop_assert_eq!(index.before_offset(first).row, row);
                    }
                }
            }
        }

        #[test]
        fn a_long_line_is_indexed_without_laying_it_out() {
            let line = "Filler words without any attribution at all in them. ".repeat(2000);
            let index = RowIndex::new(&line, 0, 40);
            let full = wrap(&line, 0, 40);
            assert_eq!(index.rows, full.len());
            let start = index.before_row(1000);
            assert_eq!(start.row, 992);
            let rows = wrap_from(
                &line,
                0,
                40,
                start,
                Limit {
                    rows: 9,
                    offset: usize::MAX,
                },
            );
            assert_eq!(rows.len(), 9);
            assert_eq!(rows[8], full[1000]);
        }
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
            let p = Panes::new(Rect::new(0, 0, w, h), 3, true);
            let _ = p.text_size();
            assert!(p.status.bottom() <= h);
        }
        assert_eq!(texts(&wrap("abc", 0, 0)), ["a", "b", "c"]);
    }
}
