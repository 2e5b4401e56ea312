//! The one table from keys to actions, per mode. The help overlay and docs/keys.md are drawn from
//! it, so what the help says is always what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
pub use super::mode::ModeKind;

mod tables;
pub use tables::*;

/// The action bound to a key press in a mode, in the built-in keymap.
pub fn lookup(mode: ModeKind, event: KeyEvent) -> Option<Action> {
    find(table(mode), event)
}

/// Shift is ignored where the key itself already says it (`G`, `?`, Shift-Tab), since terminals
/// disagree about reporting it.
fn find(bindings: &[Binding], event: KeyEvent) -> Option<Action> {
    let mut mods = event.modifiers;
    if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
        mods.remove(KeyModifiers::SHIFT);
    }
    bindings
        .iter()
        .find(|b| b.code == event.code && b.mods == mods)
        .map(|b| b.action.clone())
}

/// The keymap in use: the built-in tables with the config's overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    tables: Vec<(ModeKind, Vec<Binding>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            tables: ModeKind::all().map(|m| (m, table(m).to_vec())).collect(),
        }
    }
}

/// A problem with the config's `keys` section. Each names the text to look for in the config, so
/// the caller can say which line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeysError {
    #[error("keys: no mode called \"{0}\" (modes: {modes})", modes = mode_names())]
    UnknownMode(String),
    #[error("keys.{mode}: no action called \"{action}\" in this mode (see docs/keys.md)")]
    UnknownAction { mode: String, action: String },
    #[error(
        "keys.{mode}: \"{key}\" is not a key (write e.g. \"x\", \"ctrl-n\", \"enter\", \"f2\")"
    )]
    BadKey { mode: String, key: String },
    #[error("keys.{mode}: \"{key}\" is bound to both {first} and {second}")]
    Clash {
        mode: String,
        key: String,
        first: String,
        second: String,
    },
}

impl KeysError {
    /// The word in the config this error is about.
    pub fn needle(&self) -> &str {
        match self {
            KeysError::UnknownMode(m) => m,
            KeysError::UnknownAction { action, .. } => action,
            KeysError::BadKey { key, .. } | KeysError::Clash { key, .. } => key,
        }
    }
}

fn mode_names() -> String {
    ModeKind::all()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Keymap {
    /// The built-in keymap with `overrides` (mode → action → keys) applied: each action named
    /// gets exactly the keys given, in place of its built-in ones. Unknown modes, actions and
    /// keys, and a key left bound to two actions, are errors.
    pub fn with_overrides(
        overrides: &std::collections::BTreeMap<
            String,
            std::collections::BTreeMap<String, Vec<String>>,
        >,
    ) -> Result<Self, KeysError> {
        let mut map = Self::default();
        for (mode_name, actions) in overrides {
            let mode = ModeKind::all()
                .find(|m| m.name() == *mode_name)
                .ok_or_else(|| KeysError::UnknownMode(mode_name.clone()))?;
            let table = &mut map
                .tables
                .iter_mut()
                .find(|(m, _)| *m == mode)
                .expect("every mode has a table")
                .1;
            for (action_name, keys) in actions {
                let action = table
                    .iter()
                    .map(|b| b.action.clone())
                    .find(|a| a.name() == *action_name)
                    .ok_or_else(|| KeysError::UnknownAction {
                        mode: mode_name.clone(),
                        action: action_name.clone(),
                    })?;
                let at = table.iter().position(|b| b.action == action).unwrap_or(0);
                // The footer keeps its place for the action, on its first new key.
                let footer = table
                    .iter()
                    .find_map(|b| (b.action == action).then_some(b.footer))
                    .flatten();
                table.retain(|b| b.action != action);
                for (n, k) in keys.iter().enumerate() {
                    let (code, mods) = parse_key(k).ok_or_else(|| KeysError::BadKey {
                        mode: mode_name.clone(),
                        key: k.clone(),
                    })?;
                    let binding = Binding {
                        code,
                        mods,
                        action: action.clone(),
                        footer: if n == 0 { footer } else { None },
                    };
                    table.insert((at + n).min(table.len()), binding);
                }
            }
            for (i, a) in table.iter().enumerate() {
                if let Some(b) = table[i + 1..]
                    .iter()
                    .find(|b| b.code == a.code && b.mods == a.mods && b.action != a.action)
                {
                    let key = overrides[mode_name]
                        .values()
                        .flatten()
                        .find(|k| parse_key(k) == Some((a.code, a.mods)))
                        .cloned()
                        .unwrap_or_else(|| label(a));
                    return Err(KeysError::Clash {
                        mode: mode_name.clone(),
                        key,
                        first: a.action.name(),
                        second: b.action.name(),
                    });
                }
            }
        }
        Ok(map)
    }

    pub fn lookup(&self, mode: ModeKind, event: KeyEvent) -> Option<Action> {
        find(self.bindings(mode), event)
    }

    pub fn bindings(&self, mode: ModeKind) -> &[Binding] {
        self.tables
            .iter()
            .find(|(m, _)| *m == mode)
            .map_or(&[], |(_, t)| t.as_slice())
    }

    /// The first key bound to `action` in `mode`, as the help writes it: for hints in banners
    /// that stay true after a remap.
    pub fn key_for(&self, mode: ModeKind, action: &Action) -> Option<String> {
        self.bindings(mode)
            .iter()
            .find(|b| b.action == *action)
            .map(label)
    }

    /// The key for `action` in `mode` as a hint in a banner, title, prompt or the footer; the
    /// action's name in brackets if a remap left it without a key.
    pub fn hint(&self, mode: ModeKind, action: &Action) -> String {
        self.key_for(mode, action)
            .unwrap_or_else(|| format!("({})", action.name()))
    }

    /// Whether a mode has any key in the footer, without building the footer.
    pub fn has_footer(&self, mode: ModeKind) -> bool {
        self.bindings(mode).iter().any(|b| b.footer.is_some())
    }

    /// The footer of a mode: its ranked bindings in rank order, as `(action, key, word)`.
    pub fn footer(&self, mode: ModeKind) -> Vec<(Action, String, &'static str)> {
        let mut ranked: Vec<(u8, Action, String, &'static str)> = self
            .bindings(mode)
            .iter()
            .filter_map(|b| {
                b.footer
                    .map(|(rank, word)| (rank, b.action.clone(), label(b), word))
            })
            .collect();
        ranked.sort_by_key(|e| e.0);
        ranked.into_iter().map(|(_, a, k, w)| (a, k, w)).collect()
    }

    /// Bindings of a mode grouped by action, in table order: `(["Tab", "]"], "next source")`.
    pub fn grouped(&self, mode: ModeKind) -> Vec<(Vec<String>, &'static str)> {
        grouped_in(self.bindings(mode))
    }

    /// As [`Keymap::grouped`], with the actions, for descriptions that depend on settings.
    pub fn grouped_actions(&self, mode: ModeKind) -> Vec<(Vec<String>, Action)> {
        let mut out: Vec<(Vec<String>, Action)> = Vec::new();
        for b in self.bindings(mode) {
            match out.iter_mut().find(|(_, a)| *a == b.action) {
                Some(entry) => entry.0.push(label(b)),
                None => out.push((vec![label(b)], b.action.clone())),
            }
        }
        out
    }
}

/// One row of the help screen, as data: the screen styles it, and the app counts the rows to
/// keep its scrolling in bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    Blank,
    Title(&'static str),
    /// Keys (or a symbol) and what they do (or mean).
    Entry(String, String),
}

/// The help screen: every mode's keys from the keymap in use, what the status symbols and
/// marks mean, and the mouse.
pub fn help_rows(keymap: &Keymap, scale: &crate::judgement::Scale) -> Vec<HelpRow> {
    let mut rows = Vec::new();
    for mode in ModeKind::all() {
        if !rows.is_empty() {
            rows.push(HelpRow::Blank);
        }
        rows.push(HelpRow::Title(mode.title()));
        for (keys, action) in keymap.grouped_actions(mode) {
            // Digits past the end of the scale in use do nothing; the help does not list them.
            if let Action::SetLevel(n) = action
                && n > 0
                && scale.level(usize::from(n)).is_none()
            {
                continue;
            }
            rows.push(HelpRow::Entry(keys.join(" "), action.describe_with(scale)));
        }
        if let Some(what) = mode.other_keys() {
            rows.push(HelpRow::Entry("other keys".into(), what.into()));
        }
    }
    rows.push(HelpRow::Blank);
    rows.push(HelpRow::Title("Symbols in the list and the gutter"));
    for status in scale.statuses() {
        rows.push(HelpRow::Entry(
            super::theme::status_symbol(status).into(),
            status.to_string(),
        ));
    }
    rows.push(HelpRow::Entry(
        super::theme::attention_mark(true, false).into(),
        "moved by an edit: confirm its place".into(),
    ));
    rows.push(HelpRow::Entry(
        super::theme::attention_mark(false, true).into(),
        "two editors' changes clash".into(),
    ));
    rows.push(HelpRow::Blank);
    rows.push(HelpRow::Title("Mouse"));
    rows.push(HelpRow::Entry(
        "click / wheel".into(),
        "select a highlight or row / scroll".into(),
    ));
    rows
}

/// Parses a key as written in the config: `x`, `G`, `?`, `ctrl-s`, `enter`, `shift-tab`, `f2`.
pub fn parse_key(s: &str) -> Option<(KeyCode, KeyModifiers)> {
    let lower = s.to_lowercase();
    if let Some(rest) = lower.strip_prefix("ctrl-") {
        let mut chars = rest.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) => Some((KeyCode::Char(c), KeyModifiers::CONTROL)),
            _ => None,
        };
    }
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some((KeyCode::Char(c), KeyModifiers::NONE));
    }
    let code = match lower.as_str() {
        "space" => KeyCode::Char(' '),
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" => KeyCode::BackTab,
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        f if f.starts_with('f') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
        }
        _ => return None,
    };
    Some((code, KeyModifiers::NONE))
}

/// How a key is written in the help and the docs.
pub fn label(b: &Binding) -> String {
    let base = match b.code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::BackTab => "Shift-Tab".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::Up => "↑".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::Home => "Home".to_owned(),
        KeyCode::End => "End".to_owned(),
        KeyCode::Esc => "Esc".to_owned(),
        KeyCode::Enter => "Enter".to_owned(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        other => format!("{other:?}"),
    };
    if b.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// Bindings of a built-in mode grouped by action, in table order.
pub fn grouped(mode: ModeKind) -> Vec<(Vec<String>, &'static str)> {
    grouped_in(table(mode))
}

fn grouped_in(bindings: &[Binding]) -> Vec<(Vec<String>, &'static str)> {
    let mut out: Vec<(Vec<String>, &'static str, Action)> = Vec::new();
    for b in bindings {
        match out.iter_mut().find(|(_, _, a)| *a == b.action) {
            Some(entry) => entry.0.push(label(b)),
            None => out.push((vec![label(b)], b.action.describe(), b.action.clone())),
        }
    }
    out.into_iter()
        .map(|(keys, what, _)| (keys, what))
        .collect()
}

/// The key reference as Markdown: docs/keys.md is this text, checked by a test.
pub fn markdown() -> String {
    let mut md = String::from(
        "# Keys\n\nGenerated from the keymap table in `src/tui/keymap.rs` (a test keeps this file in step).\n\
         Digits are reliability levels, never counts. Only key presses are handled, not releases.\n\
         With the mouse, a click on a highlight or a row of the sources list selects that source, and\n\
         the wheel scrolls the draft.\n\n\
         ## Changing keys\n\n\
         The config's `keys` section gives an action, by mode and by name (the `name` columns below),\n\
         the keys it should have instead of its own:\n\n\
         ```ron\n\
         keys: {\n\
         \x20   \"normal\": {\n\
         \x20       \"next-source\": [\"ctrl-n\", \"tab\"],\n\
         \x20       \"set-level-1\": [\"v\"],\n\
         \x20       \"start-selection\": [\"V\"],\n\
         \x20   },\n\
         },\n\
         ```\n\n\
         Keys are written `x`, `G`, `?`, `ctrl-s`, `space`, `tab`, `shift-tab`, `enter`, `esc`, `backspace`,\n\
         `up`, `down`, `left`, `right`, `home`, `end`, `pgup`, `pgdn` or `f1`…`f12`. An unknown mode, action or\n\
         key, or a key left bound to two actions in one mode (as `v` above would be, had `start-selection`\n\
         kept it), stops whosaid at start-up with the config line named. The help screen (`?`) shows the keys\n\
         in use.\n",
    );
    for mode in ModeKind::all() {
        md.push_str(&format!(
            "\n## {} (`{}`)\n\n| keys | action | name |\n|---|---|---|\n",
            mode.title(),
            mode.name()
        ));
        let mut seen: Vec<Action> = Vec::new();
        for b in table(mode) {
            if seen.contains(&b.action) {
                continue;
            }
            seen.push(b.action.clone());
            let keys: Vec<String> = table(mode)
                .iter()
                .filter(|o| o.action == b.action)
                .map(|o| format!("`{}`", label(o).replace('|', "\\|")))
                .collect();
            md.push_str(&format!(
                "| {} | {} | `{}` |\n",
                keys.join(" "),
                b.action.describe(),
                b.action.name()
            ));
        }
        if let Some(what) = mode.other_keys() {
            md.push_str(&format!("| any other key | {what} | |\n"));
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judgement::Answer;

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for mode in ModeKind::all() {
            let t = table(mode);
            for (i, a) in t.iter().enumerate() {
                for b in &t[i + 1..] {
                    assert!(
                        !(a.code == b.code && a.mods == b.mods),
                        "{mode:?}: {} bound twice",
                        label(a)
                    );
                }
            }
        }
    }

    #[test]
    fn n_and_shift_n_search() {
        assert_eq!(
            lookup(
                ModeKind::Normal,
                KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE)
            ),
            Some(Action::NextMatch)
        );
        assert_eq!(
            lookup(
                ModeKind::Normal,
                KeyEvent::new(KeyCode::Char('N'), KeyModifiers::SHIFT)
            ),
            Some(Action::PrevMatch)
        );
    }

    #[test]
    fn shifted_letters_and_backtab_match() {
        assert_eq!(
            lookup(
                ModeKind::Normal,
                KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            lookup(
                ModeKind::Normal,
                KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
            ),
            Some(Action::PrevSource)
        );
        assert_eq!(
            lookup(
                ModeKind::Normal,
                KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            Some(Action::Save)
        );
    }

    fn overrides(
        entries: &[(&str, &str, &[&str])],
    ) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>> {
        let mut map: std::collections::BTreeMap<_, std::collections::BTreeMap<_, _>> =
            Default::default();
        for (mode, action, keys) in entries {
            map.entry(mode.to_string()).or_default().insert(
                action.to_string(),
                keys.iter().map(|k| k.to_string()).collect(),
            );
        }
        map
    }

    fn press(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn an_override_replaces_an_actions_keys_and_frees_the_old_ones() {
        let map = Keymap::with_overrides(&overrides(&[
            ("normal", "next-source", &["ctrl-n", "tab"]),
            ("normal", "set-level-1", &["V"]),
        ]))
        .unwrap();
        let n = |c, m| map.lookup(ModeKind::Normal, press(c, m));
        assert_eq!(
            n(KeyCode::Char('n'), KeyModifiers::CONTROL),
            Some(Action::NextSource)
        );
        assert_eq!(
            n(KeyCode::Tab, KeyModifiers::NONE),
            Some(Action::NextSource)
        );
        assert_eq!(
            n(KeyCode::Char(']'), KeyModifiers::NONE),
            None,
            "old key freed"
        );
        assert_eq!(
            n(KeyCode::Char('V'), KeyModifiers::SHIFT),
            Some(Action::SetLevel(1))
        );
        assert_eq!(n(KeyCode::Char('1'), KeyModifiers::NONE), None);
        // The help lists what is in use.
        let help = map.grouped(ModeKind::Normal);
        assert!(help.contains(&(vec!["Ctrl-N".to_owned(), "Tab".to_owned()], "next source")));
    }

    #[test]
    fn unknown_names_bad_keys_and_clashes_are_errors() {
        let err = |o| Keymap::with_overrides(&o).unwrap_err();
        assert_eq!(
            err(overrides(&[("normal", "fly", &["x"])])),
            KeysError::UnknownAction {
                mode: "normal".into(),
                action: "fly".into()
            }
        );
        assert!(
            matches!(err(overrides(&[("nrmal", "undo", &["x"])])), KeysError::UnknownMode(m) if m == "nrmal")
        );
        assert!(
            matches!(err(overrides(&[("normal", "undo", &["ctrl-"])])), KeysError::BadKey { key, .. } if key == "ctrl-")
        );
        let clash = err(overrides(&[("normal", "undo", &["x"])]));
        assert_eq!(
            clash.to_string(),
            "keys.normal: \"x\" is bound to both toggle-dismiss and undo"
        );
        assert_eq!(clash.needle(), "x");
    }

    #[test]
    fn every_action_has_a_distinct_name_per_mode() {
        for mode in ModeKind::all() {
            let mut names: Vec<String> = table(mode).iter().map(|b| b.action.name()).collect();
            names.sort();
            names.dedup();
            let mut actions: Vec<Action> = Vec::new();
            for b in table(mode) {
                if !actions.contains(&b.action) {
                    actions.push(b.action.clone());
                }
            }
            assert_eq!(names.len(), actions.len(), "{mode:?}");
        }
        assert_eq!(Action::NextSource.name(), "next-source");
        assert_eq!(Action::SetLevel(3).name(), "set-level-3");
        assert_eq!(Action::SetLevel(0).name(), "clear-status");
        assert_eq!(Action::Answer(Answer::Yes).name(), "answer-yes");
    }

    /// The help box is 64 columns: 2 of border, 24 of keys, so a description has 38.
    #[test]
    fn every_description_fits_the_help_box() {
        for mode in ModeKind::all() {
            for (_, what) in grouped(mode) {
                assert!(what.chars().count() <= 38, "{mode:?}: {what:?}");
            }
            if let Some(what) = mode.other_keys() {
                assert!(what.chars().count() <= 38, "{mode:?}: {what:?}");
            }
        }
    }

    #[test]
    fn docs_keys_md_matches_the_keymap() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md");
        let expected = markdown();
        if std::env::var_os("WHOSAID_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(
            actual, expected,
            "docs/keys.md is out of date: run `WHOSAID_BLESS=1 cargo test docs_keys_md`"
        );
    }
}
