//! `/` search: incremental, smart case, and `n` / `N` from the last match.
//!
//! A search never holds up a frame on a large draft: the text is searched a step
//! ([`SEARCH_STEP`] bytes) at a time, the first step at once and the rest as the event loop
//! comes round (`Action::SearchMore`), and the matches are counted the same way after the
//! search is accepted ("match 3 of …" until the count is in).

use super::*;
use crate::tui::mode::SearchEdit;

/// Matches counted for "match 3 of 17"; past this the count says "more than".
pub const MAX_COUNTED: usize = 100_000;

/// Bytes searched per step: a few milliseconds of work.
pub const SEARCH_STEP: usize = 2 << 20;

/// A forward search still going: started at `from`, reached `at`, wrapped past the end or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hunt {
    pub from: usize,
    pub at: usize,
    pub wrapped: bool,
}

impl App {
    /// `/`: the search starts at the cursor, and Esc goes back there.
    pub(super) fn start_search(&mut self) {
        self.mode = Mode::Search(SearchEdit {
            origin: (self.top, self.selected, self.cursor),
            before: std::mem::take(&mut self.search),
        });
        self.found = None;
        self.hunt = None;
    }

    pub(super) fn accept_search(&mut self) {
        self.mode = Mode::Normal;
        // The count starts again for this search, a step at a time.
        self.matches.clear();
        self.counted = (!self.search.is_empty()).then_some(0);
        self.count_step();
        if self.hunt.is_some() {
            return;
        }
        match self.found {
            Some(_) => {
                self.select_at_match();
                self.say_match(false);
            }
            None if !self.search.is_empty() => self.say_not_found(),
            None => {}
        }
    }

    pub(super) fn cancel_search(&mut self) {
        if let Mode::Search(edit) = std::mem::replace(&mut self.mode, Mode::Normal) {
            let (top, selected, cursor) = edit.origin;
            self.top = top;
            self.selected = selected;
            self.cursor = cursor;
            // `n` goes on repeating the search that was accepted before, not this one.
            self.search = edit.before;
        }
        self.found = None;
        self.hunt = None;
    }

    pub(super) fn next_match(&mut self, forward: bool) {
        if self.search.is_empty() {
            self.banner = Some(Banner::Info(format!(
                "no search yet: {} starts one",
                self.key(Action::StartSearch)
            )));
            return;
        }
        if self.counted.is_none() && self.matches.is_empty() {
            self.say_not_found();
            return;
        }
        let from = match (self.found, forward) {
            (Some((_, end)), true) => end,
            (Some((start, _)), false) => start,
            (None, _) => self.cursor,
        };
        if forward {
            self.hunt = Some(Hunt {
                from,
                at: from,
                wrapped: false,
            });
            self.hunt_step();
        } else {
            self.found = self.match_before(from);
            if let Some((start, _)) = self.found {
                self.reveal_offset(start);
                self.select_at_match();
                self.say_match(start >= from);
            }
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
        self.found = None;
        self.hunt = None;
        if !self.search.is_empty() {
            self.hunt = Some(Hunt {
                from,
                at: from,
                wrapped: false,
            });
            self.hunt_step();
        }
    }

    /// The event loop came round: the search or the count goes on a step.
    pub(super) fn search_more(&mut self) {
        if self.hunt.is_some() {
            self.hunt_step();
        } else if self.counted.is_some() {
            self.count_step();
            if self.counted.is_none()
                && let Some((start, _)) = self.found
            {
                let wrapped = self
                    .banner
                    .as_ref()
                    .is_some_and(|b| b.text().ends_with("(wrapped)"));
                if self.mode.is(ModeKind::Normal) && self.matches.binary_search(&start).is_ok() {
                    self.say_match(wrapped);
                }
            }
        }
    }

    /// Whether a search or a count is still going, so the loop should come round soon.
    pub fn searching(&self) -> bool {
        self.hunt.is_some() || self.counted.is_some()
    }

    /// Searches a step's worth forward from where the hunt is, wrapping at the end of the
    /// draft once, and shows the match when there is one.
    fn hunt_step(&mut self) {
        let Some(mut hunt) = self.hunt else { return };
        let Some(re) = search_regex(&self.search) else {
            self.hunt = None;
            return;
        };
        let text = self.review.article().text();
        let len = text.len();
        let reach = self.search.len() * 4;
        let mut budget = SEARCH_STEP;
        loop {
            // Where this part stops: the start, once wrapped, or the end of the budget.
            let limit = if hunt.wrapped {
                hunt.from.min(len)
            } else {
                len
            };
            let end = floor_boundary(text, (hunt.at + budget).min(limit));
            // A match may run past the part's end: it only has to start before it.
            let window_end = floor_boundary(text, (end + reach).min(len));
            let found = re
                .find_at(&text[..window_end], hunt.at.min(window_end))
                .filter(|m| m.start() < end.max(hunt.at + 1))
                .map(|m| (m.start(), m.end()));
            if let Some((start, end)) = found {
                self.hunt = None;
                self.found = Some((start, end));
                self.reveal_offset(start);
                if self.mode.is(ModeKind::Normal) {
                    self.select_at_match();
                    self.say_match(hunt.wrapped);
                }
                return;
            }
            budget = budget.saturating_sub(end - hunt.at);
            hunt.at = end;
            if hunt.at >= len && !hunt.wrapped {
                hunt.at = 0;
                hunt.wrapped = true;
            }
            if hunt.wrapped && hunt.at >= hunt.from.min(len) {
                self.hunt = None;
                self.say_not_found();
                return;
            }
            if budget == 0 {
                self.hunt = Some(hunt);
                return;
            }
        }
    }

    /// Counts one more step of the accepted search's matches, up to [`MAX_COUNTED`].
    fn count_step(&mut self) {
        let Some(at) = self.counted else { return };
        let Some(re) = search_regex(&self.search) else {
            self.counted = None;
            return;
        };
        let text = self.review.article().text();
        let end = floor_boundary(text, (at + SEARCH_STEP).min(text.len()));
        let window_end = floor_boundary(text, (end + self.search.len() * 4).min(text.len()));
        let mut next = end;
        for m in re.find_iter(&text[at..window_end]) {
            let start = at + m.start();
            if start >= end {
                break;
            }
            self.matches.push(start);
            // The next step starts after this match, so none is counted twice.
            next = next.max(at + m.end());
        }
        self.counted = (end < text.len() && self.matches.len() <= MAX_COUNTED).then_some(next);
    }

    /// The last match that starts before `from`, searching back a step at a time; the last one
    /// in the draft if none does.
    fn match_before(&self, from: usize) -> Option<(usize, usize)> {
        let re = search_regex(&self.search)?;
        let text = self.review.article().text();
        let last_in = |a: usize, b: usize, before: usize| {
            let window_end = floor_boundary(text, (b + self.search.len() * 4).min(text.len()));
            re.find_iter(&text[a..window_end])
                .map(|m| (a + m.start(), a + m.end()))
                .take_while(|&(s, _)| s < before)
                .last()
        };
        let mut end = from.min(text.len());
        while end > 0 {
            let start = ceil_boundary(text, end.saturating_sub(SEARCH_STEP));
            if let Some(m) = last_in(start, end, from) {
                return Some(m);
            }
            end = start;
        }
        // Wrapped: the last match of the draft.
        let mut end = text.len();
        while end > from {
            let start = ceil_boundary(text, end.saturating_sub(SEARCH_STEP).max(from));
            if let Some(m) = last_in(start, end, end) {
                return Some(m);
            }
            end = start;
        }
        None
    }

    fn say_not_found(&mut self) {
        self.banner = Some(Banner::Info(format!(
            "not found: {}",
            for_terminal(&self.search)
        )));
    }

    /// Says which match the view is on, of how many (`…` while they are being counted), and
    /// whether the search wrapped.
    pub(super) fn say_match(&mut self, wrapped: bool) {
        let Some((start, _)) = self.found else { return };
        let of = if self.matches.len() > MAX_COUNTED {
            format!("more than {MAX_COUNTED}")
        } else if self.counted.is_some() {
            "…".to_owned()
        } else {
            self.matches.len().to_string()
        };
        let at = self.matches.partition_point(|&m| m < start) + 1;
        let counted_past = self.counted.is_none_or(|c| c > start);
        let wrap = if wrapped { " (wrapped)" } else { "" };
        let at = if at > MAX_COUNTED || !counted_past {
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
        let start = floor_boundary(text, from.saturating_sub(self.search.len()));
        let to = to.min(text.len());
        // Only the view and a match's length past it: a search with no match further on must
        // not read the rest of a large draft at every frame.
        let end = floor_boundary(text, to + self.search.len() * 4 + 4);
        re.find_iter(&text[start..end])
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

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
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
