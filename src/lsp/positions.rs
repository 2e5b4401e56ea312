//! Byte offsets to LSP positions and back. LSP counts characters in UTF-16 code units unless the
//! client offers UTF-8 (LSP 3.17 `positionEncodings`); lines end at "\n", and a "\r" before it
//! belongs to no line's characters.

use lsp_types::Position;

/// How a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
        }
    }
}

/// Where each line of a text starts.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
    encoding: Encoding,
}

impl Lines {
    pub fn new(text: &str, encoding: Encoding) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { starts, encoding }
    }

    /// The line holding byte `offset`, and where it starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        (line, self.starts[line])
    }

    /// The end of line `line`'s characters: before its "\n" (and a "\r" before that).
    fn line_end(&self, text: &str, line: usize) -> usize {
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&next| next - 1);
        if end > self.starts[line] && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }

    /// The position of byte `offset` (a char boundary; clamped to the text).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset);
        let (line, start) = self.line_of(offset);
        let end = offset.min(self.line_end(text, line));
        let character = text[start..end.max(start)]
            .chars()
            .map(|c| self.encoding.units(c))
            .sum();
        Position::new(line as u32, character)
    }

    /// The positions of `offsets`, which must not decrease: one walk over the text, however
    /// long its lines.
    pub fn positions(&self, text: &str, offsets: impl IntoIterator<Item = usize>) -> Vec<Position> {
        let mut out = Vec::new();
        // Where the walk is: a byte offset on `line`, and the units before it on that line.
        let (mut line, mut at, mut units) = (usize::MAX, 0usize, 0u32);
        for offset in offsets {
            let offset = floor_boundary(text, offset);
            let (l, start) = self.line_of(offset);
            if l != line || offset < at {
                (line, at, units) = (l, start, 0);
            }
            let end = offset.min(self.line_end(text, line)).max(at);
            units += text[at..end]
                .chars()
                .map(|c| self.encoding.units(c))
                .sum::<u32>();
            at = end;
            out.push(Position::new(line as u32, units));
        }
        out
    }

    /// The byte offset of `pos`: past the end of its line is the line's end, past the last line
    /// the text's end, and inside a character its start.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.line_end(text, line);
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            let next = units + self.encoding.units(c);
            if next > pos.character {
                return start + i;
            }
            units = next;
        }
        end
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_positions_land_exactly_around_non_ascii_and_crlf() {
        // Curly quotes (3 bytes, 1 unit), an emoji (4 bytes, 2 units), CJK (3 bytes, 1 unit).
        let text = "\u{201c}Hi\u{201d} \u{1f600} \u{4e2d}\u{6587} sources said\r\nnext line\n";
        let at = text.find("sources").unwrap();
        let utf16 = Lines::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(text, at), Position::new(0, 11));
        assert_eq!(utf16.offset(text, Position::new(0, 11)), at);
        let utf8 = Lines::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(text, at), Position::new(0, at as u32));
        assert_eq!(utf8.offset(text, Position::new(0, at as u32)), at);
        // The line break is no character: the end of line 0 is before "\r\n".
        let eol = text.find('\r').unwrap();
        assert_eq!(utf16.position(text, eol + 1), utf16.position(text, eol));
        assert_eq!(utf16.offset(text, Position::new(0, 999)), eol);
        let next = text.find("next").unwrap();
        assert_eq!(utf16.position(text, next), Position::new(1, 0));
        assert_eq!(utf16.offset(text, Position::new(9, 0)), text.len());
        // Walking many offsets at once gives what one at a time gives.
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let one_by_one: Vec<Position> = offsets.iter().map(|&o| utf16.position(text, o)).collect();
        assert_eq!(utf16.positions(text, offsets.iter().copied()), one_by_one);
        // Inside the emoji's surrogate pair: its start.
        let emoji = text.find('\u{1f600}').unwrap();
        assert_eq!(utf16.offset(text, Position::new(0, 6)), emoji);
    }
}
