//! The attributions that are not anonymous sources (named, institutional, outlets,
//! documents): shown on request, listed by the last filter, and promoted to a source to judge.

use super::*;

impl App {
    /// The attributions not under review, found on the text as it stands.
    pub(super) fn find_others(&self) -> Vec<crate::detect::Attribution> {
        let detector = self
            .detector
            .clone()
            .unwrap_or_else(|| Arc::new(Detector::new(&crate::config::Config::default())));
        let article = self.review.article();
        let taken: Vec<(usize, usize)> = self
            .review
            .sources
            .iter()
            .map(|s| (s.start, s.end))
            .collect();
        detector.attributions(article.text(), article.format(), &taken)
    }

    /// The list's filter reached the other attributions: they are shown, and the first chosen.
    pub(super) fn list_others(&mut self) {
        let others = self.others.take().unwrap_or_else(|| self.find_others());
        let n = others.len();
        self.others = Some(others);
        self.other_selected = (n > 0).then_some(0);
        let key = self.key(Action::StartSelection);
        self.banner = Some(Banner::Info(if n == 0 {
            "no other attributions in this draft".to_owned()
        } else {
            format!(
                "{n} other attributions, never judged: {key} makes the chosen one a source to judge"
            )
        }));
        self.reveal_other();
    }

    pub(super) fn step_other(&mut self, forward: bool) {
        let n = self.others.as_ref().map_or(0, Vec::len);
        if n == 0 {
            return;
        }
        self.other_selected = Some(match (self.other_selected, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(k), true) => (k + 1) % n,
            (Some(k), false) => (k + n - 1) % n,
        });
        self.reveal_other();
    }

    pub(super) fn reveal_other(&mut self) {
        if let Some(start) = self
            .other_selected
            .and_then(|k| self.others.as_ref()?.get(k))
            .map(|a| a.start)
        {
            self.reveal_offset(start);
        }
    }

    /// `v` on a chosen attribution: it becomes a source to judge, marked as an editor marks a
    /// missed phrase, and the list shows every source again with it selected.
    pub(super) fn promote_other(&mut self) {
        let Some((k, span)) = self.other_selected.and_then(|k| {
            let a = self.others.as_ref()?.get(k)?;
            Some((k, (a.start, a.end)))
        }) else {
            self.banner = Some(Banner::Info("no attribution chosen".into()));
            return;
        };
        self.mode = Mode::Select {
            anchor: span.0,
            cursor: span.1,
        };
        self.mark_source();
        if self.mode.is(ModeKind::Normal) {
            if let Some(others) = &mut self.others {
                others.remove(k);
            }
            self.other_selected = None;
            self.filter = Filter::All;
            self.banner = Some(Banner::Info(format!(
                "now a source to judge: {} tag it, {} writes a note",
                self.level_keys(),
                self.key(Action::OpenNote)
            )));
        }
    }

    /// Shows the attributions that are not under review, found now on the text as it stands, or
    /// hides them. They are never sources to judge: the list and the counts leave them out.
    pub(super) fn toggle_attributions(&mut self) {
        if self.others.take().is_some() {
            self.other_selected = None;
            if self.filter == Filter::Attributions {
                self.filter = Filter::All;
            }
            self.banner = Some(Banner::Info("other attributions hidden".into()));
            return;
        }
        let found = self.find_others();
        let mut counts: Vec<String> = Vec::new();
        for class in crate::detect::SourceClass::ALL {
            let n = found.iter().filter(|a| a.class == class).count();
            if n > 0 {
                counts.push(format!("{n} {}", class.as_str()));
            }
        }
        let key = self.key(Action::ToggleAttributions);
        self.banner = Some(Banner::Info(if found.is_empty() {
            format!("no other attributions in this draft ({key} hides this)")
        } else {
            format!(
                "showing other attributions, underlined: {} ({key} hides them)",
                counts.join(", ")
            )
        }));
        self.others = Some(found);
    }
}
