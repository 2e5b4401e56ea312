//! `/` search: incremental, smart case, and `n` / `N` from the last match.

use super::*;

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
