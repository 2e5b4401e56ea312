//! `/` search: incremental, smart case, and `n` / `N` from the last match.

use super::*;
use crate::tui::mode::SearchEdit;

/// Matches counted for "match 3 of 17"; past this the count says "more than".
pub const MAX_COUNTED: usize = 100_000;

impl App {
    pub(super) fn start_search(&mut self) {
        let from = self.selected.map_or_else(
            || self.review.article().line_range(self.top.line).start,
            |i| self.review.sources[i].start,
        );
        self.mode = Mode::Search(SearchEdit {
            origin: (self.top, self.selected, from),
            before: std::mem::take(&mut self.search),
        });
        self.found = None;
    }

    pub(super) fn accept_search(&mut self) {
        self.mode = Mode::Normal;
        self.count_matches();
        match self.found {
            Some(_) => {
                self.select_at_match();
                self.say_match(false);
            }
            None if !self.search.is_empty() => {
                self.banner = Some(Banner::Info(format!(
                    "not found: {}",
                    for_terminal(&self.search)
                )))
            }
            None => {}
        }
    }

    pub(super) fn cancel_search(&mut self) {
        if let Mode::Search(edit) = std::mem::replace(&mut self.mode, Mode::Normal) {
            let (top, selected, _) = edit.origin;
            self.top = top;
            self.selected = selected;
            // `n` goes on repeating the search that was accepted before, not this one.
            self.search = edit.before;
        }
        self.found = None;
    }

    pub(super) fn next_match(&mut self, forward: bool) {
        if self.search.is_empty() {
            self.banner = Some(Banner::Info(format!(
                "no search yet: {} starts one",
                self.key(Action::StartSearch)
            )));
            return;
        }
        let from = match (self.found, forward) {
            (Some((_, end)), true) => end,
            (Some((start, _)), false) => start,
            (None, _) => self.cursor,
        };
        self.go_to_match(from, forward);
        if let Some((start, _)) = self.found {
            self.select_at_match();
            let wrapped = if forward { start < from } else { start >= from };
            self.say_match(wrapped);
        }
    }

    pub(super) fn type_search(&mut self, key: KeyEvent) {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.search.push(c)
            }
            KeyCode::Backspace => {
                self.search.pop();
            }
            _ => return,
        }
        let from = match &self.mode {
            Mode::Search(edit) => edit.origin.2,
            _ => 0,
        };
        if self.search.is_empty() {
            self.found = None;
        } else {
            self.go_to_match(from, true);
        }
    }

    /// Finds the search from `from`, wrapping at the end of the draft, and shows the match.
    pub(super) fn go_to_match(&mut self, from: usize, forward: bool) {
        let Some(re) = search_regex(&self.search) else {
            return;
        };
        let text = self.review.article().text();
        let found = if forward {
            re.find_at(text, from.min(text.len()))
                .or_else(|| re.find(text))
                .map(|m| (m.start(), m.end()))
        } else {
            let mut last_before = None;
            let mut last = None;
            for m in re.find_iter(text) {
                if m.start() < from {
                    last_before = Some((m.start(), m.end()));
                }
                last = Some((m.start(), m.end()));
            }
            last_before.or(last)
        };
        self.found = found;
        match found {
            Some((start, _)) => self.reveal_offset(start),
            None => {
                self.banner = Some(Banner::Info(format!(
                    "not found: {}",
                    for_terminal(&self.search)
                )))
            }
        }
    }

    /// Counts the accepted search's matches, up to [`MAX_COUNTED`], for "match 3 of 17".
    pub(super) fn count_matches(&mut self) {
        self.matches = match search_regex(&self.search) {
            Some(re) => re
                .find_iter(self.review.article().text())
                .take(MAX_COUNTED + 1)
                .map(|m| m.start())
                .collect(),
            None => Vec::new(),
        };
    }

    /// Says which match the view is on, of how many, and whether the search wrapped.
    pub(super) fn say_match(&mut self, wrapped: bool) {
        let Some((start, _)) = self.found else { return };
        let of = if self.matches.len() > MAX_COUNTED {
            format!("more than {MAX_COUNTED}")
        } else {
            self.matches.len().to_string()
        };
        let at = self.matches.partition_point(|&m| m < start) + 1;
        let wrap = if wrapped { " (wrapped)" } else { "" };
        let at = if at > MAX_COUNTED {
            "?".to_owned()
        } else {
            at.to_string()
        };
        self.banner = Some(Banner::Info(format!(
            "/{}: match {at} of {of}{wrap}",
            for_terminal(&self.search)
        )));
    }

    /// The matches of the search being typed or accepted that overlap `from..to`, for drawing
    /// every match in view.
    pub fn matches_in(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let Some(re) = search_regex(&self.search) else {
            return Vec::new();
        };
        let text = self.review.article().text();
        // A match may start before the view: look a little earlier, on a char boundary.
        let mut start = from.saturating_sub(self.search.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let to = to.min(text.len());
        re.find_iter(&text[start..])
            .map(|m| (start + m.start(), start + m.end()))
            .take_while(|&(a, _)| a <= to)
            .filter(|&(_, b)| b > from)
            .collect()
    }

    /// Puts the cursor on the current match, and selects the source it is in, if any.
    pub(super) fn select_at_match(&mut self) {
        if let Some((start, end)) = self.found {
            self.cursor_to(start, end);
        }
    }
}

/// The search as a pattern: literal text, ignoring case unless it has a capital letter (smart
/// case, as in vim and ripgrep).
fn search_regex(query: &str) -> Option<regex::Regex> {
    if query.is_empty() {
        return None;
    }
    let ignore_case = !query.chars().any(char::is_uppercase);
    regex::RegexBuilder::new(&regex::escape(query))
        .case_insensitive(ignore_case)
        .build()
        .ok()
}
