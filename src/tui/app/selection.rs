//! Selecting text with the motion keys to mark a source the detector missed.

use super::*;

impl App {
    /// `v`: selecting starts at the cursor.
    pub(super) fn start_selection(&mut self) {
        let article = self.review.article();
        let at = self.cursor.min(article.text().len());
        // Start on a word, not on the space before it.
        let text = article.text();
        let skip = text[at..]
            .char_indices()
            .find(|&(_, c)| !c.is_whitespace())
            .map_or(0, |(i, _)| i);
        let at = at + skip.min(text.len() - at);
        self.mode = Mode::Select {
            anchor: at,
            cursor: at,
        };
        let key = |action| self.key_in(ModeKind::Select, action);
        self.banner = Some(Banner::Info(format!(
            "select: {}/{} words, {}/{} characters, {}/{} lines, {} starts again here · {} marks it · {} cancels",
            key(Action::SelectWordForward),
            key(Action::SelectWordBack),
            key(Action::SelectLeft),
            key(Action::SelectRight),
            key(Action::SelectDown),
            key(Action::SelectUp),
            key(Action::RestartSelection),
            key(Action::MarkSource),
            key(Action::CancelSelection),
        )));
    }

    pub(super) fn restart_selection(&mut self) {
        if let Mode::Select { anchor, cursor } = &mut self.mode {
            *anchor = *cursor;
        }
    }

    pub(super) fn swap_selection_ends(&mut self) {
        if let Mode::Select { anchor, cursor } = &mut self.mode {
            std::mem::swap(anchor, cursor);
            let at = *cursor;
            self.cursor = at;
            self.reveal_offset(at);
        }
    }

    /// Puts the selection's moving end at `offset`, as a drag of the mouse does.
    pub(super) fn extend_selection_to(&mut self, offset: usize) {
        if let Mode::Select { cursor, .. } = &mut self.mode {
            *cursor = offset;
            self.cursor = offset;
        }
    }

    pub(super) fn move_selection(&mut self, action: &Action) {
        let Mode::Select { anchor, cursor } = self.mode else {
            return;
        };
        let article = self.review.article();
        let text = article.text();
        let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
        let cursor = match action {
            Action::SelectRight => {
                use unicode_segmentation::UnicodeSegmentation;
                cursor + text[cursor..].graphemes(true).next().map_or(0, str::len)
            }
            Action::SelectLeft => {
                use unicode_segmentation::UnicodeSegmentation;
                cursor
                    - text[..cursor]
                        .graphemes(true)
                        .next_back()
                        .map_or(0, str::len)
            }
            Action::SelectWordForward => {
                let rest = &text[cursor..];
                let word_start = rest.find(is_word).unwrap_or(rest.len());
                let after = &rest[word_start..];
                let word_len = after.find(|c: char| !is_word(c)).unwrap_or(after.len());
                cursor + word_start + word_len
            }
            Action::SelectWordBack => {
                let before = &text[..cursor];
                let word_end = before.rfind(is_word).map_or(0, |i| {
                    i + before[i..].chars().next().map_or(0, char::len_utf8)
                });
                let head = &before[..word_end];
                head.rfind(|c: char| !is_word(c)).map_or(0, |i| {
                    i + head[i..].chars().next().map_or(0, char::len_utf8)
                })
            }
            Action::SelectDown | Action::SelectUp => {
                let line = article.line_of(cursor);
                let column = text[article.line_range(line).start..cursor].chars().count();
                let target = if *action == Action::SelectDown {
                    (line + 1).min(article.line_count() - 1)
                } else {
                    line.saturating_sub(1)
                };
                let range = article.line_range(target);
                let line_text = &text[range.clone()];
                range.start
                    + line_text
                        .char_indices()
                        .nth(column)
                        .map_or(line_text.len(), |(i, _)| i)
            }
            Action::SelectLineStart => article.line_range(article.line_of(cursor)).start,
            Action::SelectLineEnd => article.line_range(article.line_of(cursor)).end,
            _ => cursor,
        };
        self.mode = Mode::Select { anchor, cursor };
        self.cursor = cursor;
        self.reveal_offset(cursor);
    }

    pub(super) fn mark_source(&mut self) {
        let Some((a, b)) = self.selection() else {
            return;
        };
        let stamp = self.stamp();
        match self.review.add_manual(a.min(b), a.max(b), &stamp) {
            Ok(i) => {
                self.mode = Mode::Normal;
                self.select(i);
                self.reveal_selected();
                self.banner = Some(Banner::Info(format!(
                    "marked as an anonymous source: {} tag it, {} writes a note",
                    self.level_keys(),
                    self.key(Action::OpenNote)
                )));
            }
            Err(e) => self.banner = Some(Banner::Error(e.to_string())),
        }
    }
}
