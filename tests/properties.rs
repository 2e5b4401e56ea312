//! Property tests standing in for fuzzing (cargo-fuzz needs a nightly toolchain): random input
//! for the sidecar loader, the sanitiser and the review screen's key handling. The detector's
//! property test lives with its unit tests. Case counts are in docs/reliability.md.

use std::path::Path;

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use whosaid::config::Config;
use whosaid::detect::Detector;
use whosaid::sanitize::{escape_line, for_terminal};
use whosaid::sidecar;
use whosaid::tui::keymap::ModeKind;
use whosaid::tui::mode::Mode;
use whosaid::tui::{Action, App, Autosave, Open, Workspace, draw};

const DRAFT: &str = "Sources said the port would close.\n\nAn unnamed official said the fund had not filed. \
                     The official added that talks would resume, according to people familiar with the matter.\n\
                     日本語 \u{202e}text\u{202c} and \x1b[2J escapes. A Western diplomat said so.\n";

const VALID: &str = r#"(
    version: 1,
    annotations: [
        (
            id: "0123456789ab",
            anchor: (start: 0, end: 7, quote: "Sources", prefix: "", suffix: " said the port would close"),
            origin: "anon.impersonal",
            severity: "high",
            status: "dismissed",
            before_dismissal: Some("verified"),
            checklist: {"identity-known": "yes", "corroborated": "no"},
            note: "two\nlines",
            author: "ed",
            created: "2026-11-25T10:00:00Z",
            updated: "2026-11-25T10:00:00Z",
        ),
    ],
)
"#;

fn clock() -> String {
    "2026-11-25T12:00:00Z".to_owned()
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_sidecar_loader_never_panics_on_any_text(text in "\\PC*|[\\x00-\\x7f]{0,200}") {
        let _ = sidecar::parse(Path::new("x.sources.ron"), &text);
    }

    #[test]
    fn the_sidecar_loader_never_panics_on_damaged_sidecars(cut in 0..VALID.len(), at in 0..VALID.len(), with in any::<char>()) {
        let cut = (0..=cut).rev().find(|&i| VALID.is_char_boundary(i)).unwrap_or(0);
        let _ = sidecar::parse(Path::new("x"), &VALID[..cut]);
        let at = (0..=at).rev().find(|&i| VALID.is_char_boundary(i)).unwrap_or(0);
        let mut damaged = VALID.to_owned();
        let next = damaged[at..].chars().next().map_or(0, char::len_utf8);
        damaged.replace_range(at..at + next, &with.to_string());
        let _ = sidecar::parse(Path::new("x"), &damaged);
    }

    #[test]
    fn sanitised_text_never_carries_a_control_character(text in any::<String>()) {
        let shown = for_terminal(&text);
        prop_assert!(!shown.chars().any(is_unsafe), "{shown:?}");
        let line = escape_line(&text);
        prop_assert!(!line.chars().any(is_unsafe) && !line.contains('\n'), "{line:?}");
    }
}

fn key_strategy() -> impl Strategy<Value = KeyEvent> {
    let named = prop_oneof![
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Esc),
        Just(KeyCode::Enter),
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::PageUp),
        Just(KeyCode::PageDown),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        Just(KeyCode::Backspace),
    ];
    // Mostly the keys that mean something, sometimes any character (text in the note editor).
    let chars = prop_oneof![
        4 => proptest::sample::select("jkgGxcesqad0123456789?[]yn uvwbhlmoSDRT$:/ftFNE<>".chars().collect::<Vec<_>>()),
        1 => any::<char>(),
    ];
    prop_oneof![
        2 => named.prop_map(|c| KeyEvent::new(c, KeyModifiers::NONE)),
        6 => chars.prop_map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        1 => Just(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        1 => Just(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_key_sequences_keep_the_review_consistent_and_saves_round_trip(
        keys in proptest::collection::vec(key_strategy(), 0..120),
        sizes in proptest::collection::vec((0u16..140, 0u16..50), 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draft.md");
        std::fs::write(&path, DRAFT).unwrap();
        let detector = Detector::new(&Config::default());
        let (mut review, _) = whosaid::review::open_draft(&path, None, Some(&detector)).unwrap();
        review.seed_ids(1);
        let app = App::new(review, "ed".into(), clock, (100, 30));
        let n = app.review.sources.len();
        // Through the one dispatcher the event loop uses, so saves and reloads really happen.
        let mut ws = Workspace::new(vec![Open { app, autosave: Autosave::new(None) }]);
        for (k, key) in keys.iter().enumerate() {
            if k % 40 == 0 {
                let (w, h) = sizes[(k / 40) % sizes.len()];
                ws.resize(w, h);
            }
            // Suspending and the external editor are the terminal's; nothing else is left over.
            for effect in ws.handle_key(*key) {
                prop_assert!(matches!(effect, whosaid::tui::Effect::Suspend | whosaid::tui::Effect::EditNote(_)), "{effect:?}");
            }
            if ws.should_quit {
                break;
            }
            let app = ws.app();
            // Invariants after every key. A note exists only in the note editor, a selection
            // only while selecting, a checklist cursor only in the checklist: by their types.
            // Sources are only ever added (marked by hand), never lost.
            let now = app.review.sources.len();
            prop_assert!(now >= n);
            prop_assert!(app.selected.is_some_and(|s| s < now));
            let text = app.review.article().text();
            prop_assert!(app.cursor <= text.len() && text.is_char_boundary(app.cursor));
            if let Mode::Select { anchor, cursor } = app.mode {
                prop_assert!(text.is_char_boundary(anchor) && text.is_char_boundary(cursor));
            }
            let c = app.review.counts();
            prop_assert_eq!(c.tagged + c.untagged + c.dismissed, c.sources);
        }
        let app = ws.app();
        let (w, h) = app.size;
        let mut terminal = Terminal::new(TestBackend::new(w.max(1), h.max(1))).unwrap();
        terminal.draw(|f| draw::draw(f, app)).unwrap();

        // Whatever was done, a save followed by a load gives back the same judgements.
        if app.mode == ModeKind::Note {
            let _ = ws.dispatch(Action::CloseNote);
        }
        let _ = ws.dispatch(Action::Save);
        let app = ws.app();
        prop_assert!(!app.review.is_dirty(), "{:?}", app.banner);
        let (file, _) = sidecar::load(&sidecar::path_for(&path)).unwrap();
        prop_assert_eq!(file, app.review.to_sidecar());
    }
}
