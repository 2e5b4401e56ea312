//! `/` search: incremental, smart case, and `n` / `N` from the last match.

use super::*;

/// Matches counted for "match 3 of 17"; past this the count says "more than".
pub const MAX_COUNTED: usize = 100_000;

impl App {
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
        let from = self.search_origin.map_or(0, |(_, _, from)| from);
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

    /// Selects the source the current match is in, if it is in one.
    pub(super) fn select_at_match(&mut self) {
        if let Some((start, end)) = self.found
            && let Some(i) = self
                .review
                .sources
                .iter()
                .position(|s| s.start < end && start < s.end)
        {
            self.selected = Some(i);
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
