//! The review screen without a terminal: key sequences applied to the app's state, and screens
//! rendered on ratatui's TestBackend.

use std::path::Path;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use whosaid::article::Article;
use whosaid::config::Config;
use whosaid::detect::Detector;
use whosaid::judgement::{Answer, CheckItem, Status};
use whosaid::review::Review;
use whosaid::review::anchoring::AnchorState;
use whosaid::sidecar::{self, OnDisk, SidecarFile};
use whosaid::tui::effect::{self, Carried};
use whosaid::tui::keymap::ModeKind as Mode;
use whosaid::tui::{Action, Effect};
use whosaid::tui::{App, Banner, draw, theme};

const DRAFT: &str = "\
Port talks stall as union objects

The sale of the harbour could be delayed, according to people familiar with the matter.
An unnamed US official said the fund had not yet filed its papers.

Transport Minister Elena Marsh said the review would be fair. Sources said the union
was not consulted, and a former Harbourline executive said the board was split.
";

fn clock() -> String {
    "2026-11-25T09:30:00Z".to_owned()
}

fn app_for(path: &Path, text: &str, size: (u16, u16)) -> App {
    let article = Article::new(path, text.to_owned());
    let findings = Detector::new(&Config::default()).detect(text);
    let loaded = sidecar::load(&sidecar::path_for(path));
    let (mut review, error) = Review::open(article, findings, loaded);
    review.seed_ids(42);
    let mut app = App::new(review, "ana".into(), clock, size);
    if let Some(e) = error {
        app.banner = Some(Banner::Error(format!("sidecar unreadable: {e}")));
    }
    app
}

/// The test draft written to a fresh folder, and the review screen opened on it.
fn on_disk() -> (tempfile::TempDir, std::path::PathBuf, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    let app = app_for(&path, DRAFT, (100, 30));
    (dir, path, app)
}

fn app(size: (u16, u16)) -> App {
    let empty = Ok((SidecarFile::empty(), OnDisk::Missing));
    let article = Article::new(Path::new("port-talks.md"), DRAFT.to_owned());
    let findings = Detector::new(&Config::default()).detect(DRAFT);
    let (mut review, _) = Review::open(article, findings, empty);
    review.seed_ids(42);
    App::new(review, "ana".into(), clock, size)
}

/// Applies an action as the event loop does: `update`, then the file effects it returns; what
/// is left is the terminal's or the workspace's.
fn act(app: &mut App, action: Action) -> Vec<Effect> {
    effect::dispatch(app, &mut whosaid::tui::Autosave::new(None), action)
}

/// The recovery file's timer, as the event loop runs it.
fn tick(autosave: &mut whosaid::tui::Autosave, app: &mut App, now: std::time::Instant) {
    if let Some(news) = autosave.tick(app, now) {
        let _ = act(app, Action::RecoveryFailing(Carried::new(news)));
    }
}

/// Brings back what the recovery file holds, as opening a draft does.
fn recover(autosave: &mut whosaid::tui::Autosave, app: &mut App) {
    let read = autosave.read();
    let effects = app.update(Action::Recovered(Carried::new(read)));
    let _ = effect::perform(app, autosave, effects);
}

/// Presses one key as the event loop does.
fn press_key(app: &mut App, event: KeyEvent) -> Vec<Effect> {
    match app.action_for(event) {
        Some(action) => act(app, action),
        None => Vec::new(),
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Presses keys written as a compact sequence: single characters, or `<Tab>`, `<S-Tab>`,
/// `<Esc>`, `<Enter>`, `<C-s>`, `<Down>`.
fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let end = rest.find('>').expect("unclosed <");
            let name = &rest[1..end];
            let event = match name {
                "Tab" => key(KeyCode::Tab),
                "S-Tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
                "Esc" => key(KeyCode::Esc),
                "Enter" => key(KeyCode::Enter),
                "Down" => key(KeyCode::Down),
                "Up" => key(KeyCode::Up),
                "PgDn" => key(KeyCode::PageDown),
                "PgUp" => key(KeyCode::PageUp),
                "C-s" => KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
                "C-c" => KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                "BS" => key(KeyCode::Backspace),
                "C-r" => KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL),
                "C-z" => KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL),
                other => panic!("unknown key <{other}>"),
            };
            let _ = press_key(app, event);
            rest = &rest[end + 1..];
        } else {
            let _ = press_key(app, key(KeyCode::Char(c)));
            rest = &rest[c.len_utf8()..];
        }
    }
}

fn render(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|f| draw::draw(f, app)).unwrap();
    terminal
}

fn texts(app: &App) -> Vec<String> {
    app.review
        .sources
        .iter()
        .map(|s| app.review.article().text()[s.start..s.end].to_owned())
        .collect()
}

#[test]
fn opens_with_the_first_source_selected() {
    let app = app((100, 30));
    assert_eq!(
        texts(&app),
        [
            "people familiar with the matter",
            "An unnamed US official",
            "Sources",
            "a former Harbourline executive"
        ]
    );
    assert_eq!(app.selected, Some(0));
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn tab_visits_every_source_and_wraps_both_ways() {
    let mut app = app((100, 30));
    let mut seen = vec![app.selected.unwrap()];
    for _ in 0..4 {
        press(&mut app, "<Tab>");
        seen.push(app.selected.unwrap());
    }
    assert_eq!(seen, [0, 1, 2, 3, 0]);
    press(&mut app, "<S-Tab>");
    assert_eq!(app.selected, Some(3));
    press(&mut app, "[[]");
    assert_eq!(app.selected, Some(2));
}

#[test]
fn digits_set_reliability_and_zero_clears_it() {
    let mut app = app((100, 30));
    press(&mut app, "2<Tab>5<Tab>3");
    assert_eq!(app.review.status(0), Status::Corroborated);
    assert_eq!(app.review.status(1), Status::Disputed);
    assert_eq!(app.review.status(2), Status::SingleSource);
    let c = app.review.counts();
    assert_eq!((c.sources, c.tagged, c.untagged, c.dismissed), (4, 3, 1, 0));
    press(&mut app, "0");
    assert_eq!(app.review.status(2), Status::Untagged);
    assert!(app.review.is_dirty());
    assert_eq!(
        app.review.annotation(0).unwrap().updated,
        "2026-11-25T09:30:00Z"
    );
    assert_eq!(app.review.annotation(0).unwrap().author, "ana");
}

#[test]
fn x_dismisses_and_x_again_restores() {
    let mut app = app((100, 30));
    press(&mut app, "4x");
    assert_eq!(app.review.status(0), Status::Dismissed);
    assert_eq!(app.review.counts().dismissed, 1);
    press(&mut app, "x");
    assert_eq!(app.review.status(0), Status::Unverified);
}

#[test]
fn a_applies_reliability_to_every_mention_of_a_source() {
    let text = "A senior official said the deal was off. Later the official said it was back on.\n\
                Sources said nothing. The official added that talks resume Monday.\n";
    let mut app = app_for(Path::new("group.md"), text, (100, 30));
    assert_eq!(
        texts(&app),
        [
            "A senior official",
            "the official",
            "Sources",
            "The official"
        ]
    );
    let groups: Vec<Option<usize>> = app.review.sources.iter().map(|s| s.group).collect();
    assert_eq!(groups[0], groups[1]);
    assert_eq!(groups[0], groups[3]);
    assert_ne!(groups[0], groups[2]);
    press(&mut app, "<Tab>3<Tab><Tab>x<Tab>a");
    assert_eq!(
        app.review.status(1),
        Status::SingleSource,
        "an untagged source wipes nothing"
    );
    assert!(
        matches!(&app.banner, Some(Banner::Info(m)) if m.starts_with("tag this mention first"))
    );
    press(&mut app, "<Tab>0<S-Tab>3a");
    assert_eq!(app.review.status(0), Status::SingleSource);
    assert_eq!(app.review.status(1), Status::SingleSource);
    assert_eq!(
        app.review.status(2),
        Status::Untagged,
        "other sources untouched"
    );
    assert_eq!(
        app.review.status(3),
        Status::Dismissed,
        "dismissed mentions stay dismissed"
    );
    assert_eq!(
        app.banner,
        Some(Banner::Info(
            "single-source set on 1 of 2 other mentions".into()
        ))
    );
    let screen = render(&app).backend().to_string();
    assert!(screen.contains("Same source line 1"), "{screen}");
    // Counts stay per finding.
    assert_eq!(app.review.counts().sources, 4);
}

#[test]
fn checklist_answers_each_item() {
    let mut app = app((100, 30));
    press(&mut app, "<Tab>cyjn<Down><Down> <Esc>");
    assert_eq!(app.mode, Mode::Normal);
    let list = app.review.annotation(1).unwrap().checklist.clone();
    assert_eq!(list.get(CheckItem::IdentityKnown), Answer::Yes);
    assert_eq!(list.get(CheckItem::ReasonStated), Answer::No);
    assert_eq!(list.get(CheckItem::Corroborated), Answer::Yes);
    assert_eq!(list.get(CheckItem::ResponseSought), Answer::Unknown);
    // Reliability is untouched by the checklist.
    assert_eq!(app.review.status(1), Status::Untagged);
}

#[test]
fn note_editor_keeps_text_on_escape_and_reopens_it() {
    let mut app = app((100, 30));
    press(&mut app, "eCalled the desk.<Enter>Named to N. Ruiz<Esc>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(
        app.review.annotation(0).unwrap().note,
        "Called the desk.\nNamed to N. Ruiz"
    );
    press(&mut app, "e!<Esc>");
    assert_eq!(
        app.review.annotation(0).unwrap().note,
        "Called the desk.\nNamed to N. Ruiz!"
    );
    // Keys that mean something in normal mode are text in the editor.
    press(&mut app, "<Tab>eq1x<Esc>");
    assert_eq!(app.review.annotation(1).unwrap().note, "q1x");
    assert!(!app.should_quit);
    assert_eq!(app.review.status(1), Status::Untagged);
}

#[test]
fn saved_work_is_there_on_reopening() {
    let (_dir, path, mut app) = on_disk();
    press(&mut app, "1<Tab>5eno second source<Esc>cy<Esc>s");
    assert_eq!(
        app.banner,
        Some(Banner::Info("saved draft.md.sources.ron".into()))
    );
    assert!(!app.review.is_dirty());
    press(&mut app, "q");
    assert!(app.should_quit);

    let again = app_for(&path, DRAFT, (100, 30));
    assert_eq!(again.review.status(0), Status::Verified);
    assert_eq!(again.review.status(1), Status::Disputed);
    let ann = again.review.annotation(1).unwrap();
    assert_eq!(ann.note, "no second source");
    assert_eq!(ann.checklist.get(CheckItem::IdentityKnown), Answer::Yes);
    assert_eq!(again.review.counts().untagged, 2);
}

#[test]
fn quit_asks_only_when_there_is_unsaved_work() {
    let mut clean = app((100, 30));
    press(&mut clean, "q");
    assert!(clean.should_quit);

    let mut dirty = app((100, 30));
    press(&mut dirty, "1q");
    assert_eq!(dirty.mode, Mode::QuitPrompt);
    assert!(!dirty.should_quit);
    press(&mut dirty, "<Esc>");
    assert_eq!(dirty.mode, Mode::Normal);
    press(&mut dirty, "<C-c>d");
    assert!(dirty.should_quit);
}

#[test]
fn save_and_quit_stays_open_when_the_save_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    std::fs::write(
        sidecar::path_for(&path),
        "(version: 1, annotations: [ (id: oops) ])",
    )
    .unwrap();
    let mut app = app_for(&path, DRAFT, (100, 30));
    assert!(
        matches!(&app.banner, Some(Banner::Error(m)) if m.contains("sidecar unreadable") && m.contains(":1:"))
    );
    press(&mut app, "2qs");
    assert!(!app.should_quit, "a failed save must not quit");
    assert!(matches!(&app.banner, Some(Banner::Error(m)) if m.starts_with("not saved")));
    assert_eq!(
        app.review.status(0),
        Status::Corroborated,
        "work stays in memory"
    );
    assert_eq!(
        std::fs::read_to_string(sidecar::path_for(&path)).unwrap(),
        "(version: 1, annotations: [ (id: oops) ])",
        "a sidecar that failed to parse is never overwritten"
    );
}

#[test]
fn a_colleagues_save_meanwhile_is_merged_not_clobbered() {
    let (_dir, path, mut app) = on_disk();
    // A colleague opens the same draft, judges the second source, and saves first.
    let mut theirs = app_for(&path, DRAFT, (100, 30));
    theirs.author = "ben".into();
    press(&mut theirs, "<Tab>4s");
    press(&mut app, "3s");
    assert!(
        matches!(&app.banner, Some(Banner::Info(m)) if m.contains("merged")),
        "{:?}",
        app.banner
    );
    assert!(!app.review.is_dirty());
    let (file, _) = sidecar::load(&sidecar::path_for(&path)).unwrap();
    let statuses: Vec<(Status, &str)> = file
        .annotations
        .iter()
        .map(|a| (a.status, a.author.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [(Status::SingleSource, "ana"), (Status::Unverified, "ben")]
    );
    assert_eq!(
        app.review.status(1),
        Status::Unverified,
        "their work is shown"
    );
}

#[test]
fn a_true_conflict_keeps_both_notes_and_says_so() {
    let (_dir, path, mut app) = on_disk();
    let mut theirs = app_for(&path, DRAFT, (100, 30));
    theirs.author = "ben".into();
    press(&mut theirs, "eTheir note<Esc>s");
    press(&mut app, "eOur note<Esc>s");
    assert!(
        matches!(&app.banner, Some(Banner::Error(m)) if m.contains("both versions")),
        "{:?}",
        app.banner
    );
    let ann = app.review.annotation(0).unwrap();
    assert!(ann.note.starts_with("Our note"), "{}", ann.note);
    assert!(ann.note.ends_with("Their note"), "{}", ann.note);
    assert!(ann.conflict.is_some());
    let on_disk = std::fs::read_to_string(sidecar::path_for(&path)).unwrap();
    assert!(on_disk.contains("Our note") && on_disk.contains("Their note"));
    // Editing the note is how the editor resolves it.
    press(&mut app, "e<BS><BS><BS><BS>!<Esc>");
    assert!(app.review.annotation(0).unwrap().conflict.is_none());
}

#[test]
fn a_sidecar_replaced_by_something_unreadable_is_not_clobbered() {
    let (_dir, path, mut app) = on_disk();
    press(&mut app, "3");
    let theirs = "(version: 2, annotations: [ (id: oops) ])\n";
    std::fs::write(sidecar::path_for(&path), theirs).unwrap();
    press(&mut app, "s");
    assert!(matches!(&app.banner, Some(Banner::Error(m)) if m.contains("changed on disk")));
    assert_eq!(
        std::fs::read_to_string(sidecar::path_for(&path)).unwrap(),
        theirs
    );
    assert!(app.review.is_dirty());
}

#[test]
fn tab_scrolls_the_selection_into_view() {
    let long = format!(
        "{}Sources said the port would close.\n",
        "Filler paragraph about the weather.\n\n".repeat(200)
    );
    let mut app = app_for(Path::new("long.md"), &long, (80, 24));
    assert_eq!(app.review.sources.len(), 1);
    let screen = render(&app).backend().to_string();
    assert!(screen.contains("Sources said the port"), "{screen}");
    press(&mut app, "g");
    assert_eq!(app.top.line, 0);
    press(&mut app, "<Tab>");
    let screen = render(&app).backend().to_string();
    assert!(screen.contains("Sources said the port"), "{screen}");
    press(&mut app, "G");
    assert!(app.top.line > 300);
    press(&mut app, "<PgDn>jjk");
}

/// A line of tens of kilobytes is scrolled through its index of rows; every view must show the
/// very rows wrapping the whole line gives.
#[test]
fn scrolling_a_long_line_shows_the_rows_wrapping_gives() {
    let words: Vec<String> = (0..12_000).map(|i| format!("w{i:05}")).collect();
    let line = format!(
        "{} Sources said it would close. {}\n",
        words[..6000].join(" "),
        words[6000..].join(" ")
    );
    let mut app = app_for(Path::new("line.md"), &line, (80, 24));
    let (width, height) = app.text_size();
    let rows: Vec<String> = whosaid::tui::layout::wrap(&line[..line.len() - 1], 0, width)
        .iter()
        .map(|r| {
            r.glyphs
                .iter()
                .map(|g| g.shown.as_ref())
                .collect::<String>()
        })
        .collect();
    let check = |app: &App| {
        let screen = render(app).backend().to_string();
        let shown: Vec<&str> = screen.lines().skip(1).take(height).collect();
        for (k, expected) in rows[app.top.row..].iter().take(height).enumerate() {
            assert!(
                shown[k].contains(expected.trim_end()),
                "row {} of the view should be {expected:?}:\n{screen}",
                app.top.row + k
            );
        }
    };
    // The view opens on the source, deep in the line.
    assert!(app.top.row > 300, "{:?}", app.top);
    check(&app);
    press(&mut app, "g");
    assert_eq!((app.top.line, app.top.row), (0, 0));
    for keys in [
        "<PgDn>",
        "<PgDn>j",
        "<PgUp>",
        "k",
        "G",
        "<PgUp><PgUp>kkk",
        "<Tab>",
    ] {
        press(&mut app, keys);
        check(&app);
    }
    // The end of the line is in view.
    press(&mut app, "G");
    assert!(app.top.row < rows.len() && rows.len() - app.top.row <= height);
}

#[test]
fn main_screen() {
    let mut app = app((100, 30));
    press(&mut app, "2<Tab>5eCalled the desk.<Esc>");
    insta::assert_snapshot!(render(&app).backend());
}

#[test]
fn help_overlay() {
    let mut app = app((100, 30));
    press(&mut app, "?");
    assert_eq!(app.mode, Mode::Help);
    insta::assert_snapshot!(render(&app).backend());
    press(&mut app, "<Esc>");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn note_editor() {
    let mut app = app((100, 30));
    press(&mut app, "eThe desk knows who this is.");
    assert_eq!(app.mode, Mode::Note);
    insta::assert_snapshot!(render(&app).backend());
}

#[test]
fn checklist_popup() {
    let mut app = app((100, 30));
    press(&mut app, "cyj");
    insta::assert_snapshot!(render(&app).backend());
}

#[test]
fn status_bar_shows_counts_at_80x24() {
    let mut app = app((80, 24));
    press(&mut app, "1<Tab>x");
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let last: String = (0..80)
        .map(|x| buffer[(x, app.panes().status.y)].symbol().to_owned())
        .collect();
    assert!(
        last.contains("4 sources · 1 tagged · 2 untagged · 1 dismissed"),
        "{last}"
    );
    assert!(last.contains("unsaved"), "{last}");
}

/// What a highlight sets on a cell: colours and modifiers.
type Look = (
    Option<ratatui::style::Color>,
    Option<ratatui::style::Color>,
    ratatui::style::Modifier,
);

fn look(s: Style) -> Look {
    (s.fg, s.bg, s.add_modifier)
}

/// The look of the cells `needle` occupies on screen, on the first row where it appears inside
/// `context` (so a word that is also a pane title is found in the article).
fn cells_in(terminal: &Terminal<TestBackend>, context: &str, needle: &str) -> Vec<Look> {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    for y in 0..area.height {
        let row: Vec<String> = (0..area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        let line = row.concat();
        if let Some(byte) = line.find(context) {
            let byte = byte + context.find(needle).expect("needle inside context");
            // All cells here are single-width ASCII or box drawing, so count characters.
            let x0 = line[..byte].chars().count();
            return (x0..x0 + needle.chars().count())
                .map(|x| {
                    let cell = &buffer[(x as u16, y)];
                    (Some(cell.fg), Some(cell.bg), cell.modifier)
                })
                .collect();
        }
    }
    panic!("{needle:?} not on screen");
}

#[test]
fn highlights_carry_status_styles_and_selection_stands_out() {
    let mut app = app((100, 30));
    press(&mut app, "<Tab>5<Tab>");
    let terminal = render(&app);
    let expect = |s: Style| look(Style::reset().patch(s));
    let disputed = cells_in(
        &terminal,
        "An unnamed US official said",
        "An unnamed US official",
    );
    assert!(
        disputed
            .iter()
            .all(|c| *c == expect(theme::highlight(Status::Disputed))),
        "{disputed:?}"
    );
    let selected = cells_in(&terminal, "be fair. Sources said", "Sources");
    assert!(
        selected
            .iter()
            .all(|c| *c == expect(theme::selected(Status::Untagged))),
        "{selected:?}"
    );
    let untagged = cells_in(
        &terminal,
        "to people familiar with the matter.",
        "people familiar with the matter",
    );
    assert!(
        untagged
            .iter()
            .all(|c| *c == expect(theme::highlight(Status::Untagged))),
        "{untagged:?}"
    );
    let plain = cells_in(&terminal, "said the fund", "said the fund");
    assert!(
        plain.iter().all(|c| *c == expect(Style::new())),
        "{plain:?}"
    );
}

#[test]
fn hostile_text_never_reaches_the_screen_raw() {
    let text = "Evil \x1b]52;c;ZXZpbA==\x07 and \x1b[2J and \u{9b}31m and \u{202e}reversed.\r\nA source said\ttabs.\n";
    let app = app_for(Path::new("evil\x1b[31m.md"), text, (100, 30));
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert!(
            !cell
                .symbol()
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "raw {:?}",
            cell.symbol()
        );
    }
    let screen = terminal.backend().to_string();
    assert!(screen.contains("␛]52;c;ZXZpbA==␇"), "{screen}");
    assert!(screen.contains("evil␛[31m.md"), "{screen}");
}

#[test]
fn tiny_and_resized_terminals_do_not_panic() {
    let mut app = app((100, 30));
    for (w, h) in [
        (1, 1),
        (10, 3),
        (20, 5),
        (0, 0),
        (200, 60),
        (40, 10),
        (80, 24),
    ] {
        let _ = act(&mut app, whosaid::tui::Action::Resize(w, h));
        press(&mut app, "<Tab>jG?<Esc>c<Esc>e<Esc>");
        let mut terminal = Terminal::new(TestBackend::new(w.max(1), h.max(1))).unwrap();
        terminal.draw(|f| draw::draw(f, &app)).unwrap();
    }
}

#[test]
fn empty_draft_has_nothing_to_select() {
    let mut app = app_for(Path::new("empty.md"), "", (80, 24));
    assert_eq!(app.selected, None);
    press(&mut app, "<Tab>1xce");
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.review.annotations.is_empty());
    let screen = render(&app).backend().to_string();
    assert!(screen.contains("0 sources"), "{screen}");
}

mod recovery {
    use std::time::{Duration, Instant};

    use ratatui::crossterm::event::Event;
    use whosaid::tui::{Autosave, Open, Workspace, run_guarded};

    use super::*;

    fn key_event(c: char) -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    #[test]
    fn a_panic_keeps_unsaved_work_and_reopening_brings_it_back() {
        let (dir, path, _) = on_disk();
        let rec = dir.path().join("data").join("draft.md.recovery.ron");
        let app = app_for(&path, DRAFT, (100, 30));
        let autosave = Autosave::new(Some(rec.clone()));
        let mut ws = Workspace::new(vec![Open { app, autosave }]);
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let mut events = vec![
            key_event('2'),
            Event::Key(key(KeyCode::Tab)),
            key_event('5'),
        ]
        .into_iter();
        let err = run_guarded(&mut terminal, &mut ws, || match events.next() {
            Some(e) => Ok(Some(e)),
            None => panic!("a bug in the review screen"),
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("unsaved judgements are kept in") && err.contains("draft.md.recovery.ron"),
            "{err}"
        );
        assert!(!sidecar::path_for(&path).exists(), "nothing was saved");

        let mut again = app_for(&path, DRAFT, (100, 30));
        let mut autosave = Autosave::new(Some(rec.clone()));
        recover(&mut autosave, &mut again);
        assert!(
            matches!(&again.banner, Some(Banner::Info(m)) if m.starts_with("recovered unsaved work from"))
        );
        assert_eq!(again.review.status(0), Status::Corroborated);
        assert_eq!(again.review.status(1), Status::Disputed);
        assert!(
            again.review.is_dirty(),
            "recovered work is unsaved until the editor saves it"
        );
        press(&mut again, "s");
        tick(&mut autosave, &mut again, Instant::now());
        assert!(!rec.exists(), "saving removes the recovery file");
        assert!(sidecar::path_for(&path).exists());
    }

    #[test]
    fn unsaved_changes_are_written_every_few_seconds_and_discarding_removes_them() {
        let (dir, path, _) = on_disk();
        let rec = dir.path().join("r.ron");
        let mut app = app_for(&path, DRAFT, (100, 30));
        let mut autosave = Autosave::new(Some(rec.clone()));
        let t0 = Instant::now();
        tick(&mut autosave, &mut app, t0);
        assert!(!rec.exists(), "nothing unsaved, nothing written");
        press(&mut app, "1");
        tick(&mut autosave, &mut app, t0);
        let first = std::fs::read_to_string(&rec).unwrap();
        assert!(first.contains("status: \"verified\""));
        press(&mut app, "<Tab>4");
        tick(&mut autosave, &mut app, t0 + Duration::from_millis(500));
        assert_eq!(
            std::fs::read_to_string(&rec).unwrap(),
            first,
            "at most one write per interval"
        );
        tick(&mut autosave, &mut app, t0 + Duration::from_secs(3));
        assert!(
            std::fs::read_to_string(&rec)
                .unwrap()
                .contains("status: \"unverified\"")
        );
        press(&mut app, "qd");
        assert!(app.should_quit);
        autosave.finish();
        assert!(
            !rec.exists(),
            "discarding on quit removes the recovery file"
        );
    }

    /// A recovery file that cannot be written (the data folder is a file, a full disk) is said
    /// once in the banner, and the write is tried again at the next interval.
    #[test]
    fn a_failing_autosave_says_so_once() {
        let (dir, path, _) = on_disk();
        let blocker = dir.path().join("data");
        std::fs::write(&blocker, "not a folder").unwrap();
        let rec = blocker.join("r.ron");
        let mut app = app_for(&path, DRAFT, (100, 30));
        let mut autosave = Autosave::new(Some(rec.clone()));
        let t0 = Instant::now();
        press(&mut app, "1");
        tick(&mut autosave, &mut app, t0);
        assert!(
            matches!(&app.banner, Some(Banner::Error(m)) if m.starts_with("unsaved work cannot be kept for recovery")),
            "{:?}",
            app.banner
        );
        assert!(autosave.failing().is_some());
        app.banner = None;
        press(&mut app, "<Tab>2");
        tick(&mut autosave, &mut app, t0 + Duration::from_secs(3));
        assert!(app.banner.is_none(), "said once while it keeps failing");
        let screen = render(&app).backend().to_string();
        assert!(
            screen.contains("unsaved, not kept for recovery"),
            "the status bar keeps saying it: {screen}"
        );
        std::fs::remove_file(&blocker).unwrap();
        press(&mut app, "<Tab>3");
        tick(&mut autosave, &mut app, t0 + Duration::from_secs(6));
        assert!(rec.exists() && autosave.failing().is_none(), "it recovers");
        assert!(!app.recovery_failing);
    }

    /// An unreadable recovery file may be another session's unsaved work: it is set aside, never
    /// written over by this session's autosave.
    #[test]
    fn an_unreadable_recovery_file_is_kept_not_overwritten() {
        let (dir, path, _) = on_disk();
        let rec = dir.path().join("r.ron");
        std::fs::write(&rec, "(version: 1, article: \"half a fi").unwrap();
        let mut app = app_for(&path, DRAFT, (100, 30));
        let mut autosave = Autosave::new(Some(rec.clone()));
        recover(&mut autosave, &mut app);
        assert!(
            matches!(&app.banner, Some(Banner::Error(m)) if m.contains("recovery file unreadable") && m.contains("r.ron.kept-1")),
            "{:?}",
            app.banner
        );
        press(&mut app, "1");
        tick(&mut autosave, &mut app, Instant::now());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("r.ron.kept-1")).unwrap(),
            "(version: 1, article: \"half a fi"
        );
        assert!(std::fs::read_to_string(&rec).unwrap().contains("verified"));
    }

    #[test]
    fn recovered_work_is_never_applied_over_a_newer_sidecar() {
        let (dir, path, _) = on_disk();
        let rec = dir.path().join("r.ron");
        let mut app = app_for(&path, DRAFT, (100, 30));
        let mut autosave = Autosave::new(Some(rec.clone()));
        press(&mut app, "5");
        tick(&mut autosave, &mut app, Instant::now());
        assert!(rec.exists());
        // Meanwhile a colleague saves their own judgement.
        let mut theirs = app_for(&path, DRAFT, (100, 30));
        press(&mut theirs, "<Tab>1s");

        let mut again = app_for(&path, DRAFT, (100, 30));
        let mut autosave = Autosave::new(Some(rec.clone()));
        recover(&mut autosave, &mut again);
        assert_eq!(again.review.status(0), Status::Untagged, "not applied");
        assert_eq!(
            again.review.status(1),
            Status::Verified,
            "the colleague's work stands"
        );
        assert!(!again.review.is_dirty());
        let kept = dir.path().join("r.ron.kept-1");
        assert!(
            matches!(&again.banner, Some(Banner::Error(m)) if m.contains("r.ron.kept-1")),
            "{:?}",
            again.banner
        );
        assert!(
            std::fs::read_to_string(kept)
                .unwrap()
                .contains("status: \"disputed\""),
            "and the old work is kept"
        );
    }
}

#[test]
fn a_hostile_note_is_shown_safely_in_the_editor_and_kept_unless_edited() {
    let (_dir, path, mut app) = on_disk();
    press(&mut app, "1s");
    let side = sidecar::path_for(&path);
    let text = std::fs::read_to_string(&side).unwrap().replace(
        "note: \"\"",
        "note: \"clip \\u{1b}]52;c;ZXZpbA==\\u{7} end\"",
    );
    std::fs::write(&side, text).unwrap();

    let mut app = app_for(&path, DRAFT, (100, 30));
    press(&mut app, "e");
    let terminal = render(&app);
    for cell in terminal.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "raw {:?} on screen",
            cell.symbol()
        );
    }
    let screen = terminal.backend().to_string();
    let editor_line = screen
        .lines()
        .find(|l| l.contains("│clip"))
        .unwrap_or_default();
    assert!(
        editor_line.contains("│clip ␛]52;c;ZXZpbA==␇ end"),
        "{screen}"
    );
    press(&mut app, "<Esc>");
    assert!(
        !app.review.is_dirty(),
        "opening and closing the editor changes nothing"
    );
    assert_eq!(
        app.review.annotation(0).unwrap().note,
        "clip \u{1b}]52;c;ZXZpbA==\u{7} end"
    );
}

#[test]
fn a_note_being_typed_is_part_of_the_unsaved_work_before_the_editor_closes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    let rec = dir.path().join("r.ron");
    let mut app = app_for(&path, DRAFT, (100, 30));
    let mut autosave = whosaid::tui::Autosave::new(Some(rec.clone()));
    press(&mut app, "eHalf a sentence");
    assert_eq!(app.mode, Mode::Note);
    tick(&mut autosave, &mut app, std::time::Instant::now());
    assert!(
        std::fs::read_to_string(&rec)
            .unwrap()
            .contains("note: \"Half a sentence\"")
    );
}

#[test]
fn a_background_scan_shows_at_once_and_fills_in_the_sources() {
    let (_dir, path, mut app) = on_disk();
    press(&mut app, "<Tab>5s");
    // Reopen the way a large draft opens: no findings yet, the scan on another thread.
    let article = Article::load(&path).unwrap();
    let (review, _) = Review::load(article, vec![]);
    let mut app = App::new(review, "ana".into(), clock, (100, 30));
    let (tx, rx) = std::sync::mpsc::channel();
    app.scan = Some(rx);
    let screen = render(&app).backend().to_string();
    assert!(screen.contains("scanning 0.0 MB for sources…"), "{screen}");
    // The earlier judgement is visible while the scan runs.
    assert_eq!(texts(&app), ["An unnamed US official"]);
    assert_eq!(app.review.status(0), Status::Disputed);
    assert!(!app.poll_scan());

    let shared = app.review.shared_article();
    std::thread::spawn(move || {
        tx.send(Detector::new(&Config::default()).detect(shared.text()))
            .unwrap()
    })
    .join()
    .unwrap();
    assert!(app.poll_scan());
    assert!(app.scan.is_none());
    assert_eq!(app.review.sources.len(), 4);
    assert_eq!(
        app.review.status(1),
        Status::Disputed,
        "the judgement attaches to its finding"
    );
    assert!(!app.review.is_dirty());
    let screen = render(&app).backend().to_string();
    assert!(
        screen.contains("4 sources · 1 tagged · 3 untagged · 0 dismissed"),
        "{screen}"
    );
}

/// Judges every source of DRAFT on disk, then rewrites the draft as `edited`.
fn judged_then_edited(edited: &str) -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path, mut app) = on_disk();
    press(&mut app, "2<Tab>3<Tab>4<Tab>5");
    press(&mut app, "eChecked with the desk.<Esc>s");
    std::fs::write(&path, edited).unwrap();
    let app = app_for(&path, edited, (100, 30));
    (dir, path, app)
}

#[test]
fn a_moved_note_is_marked_until_m_confirms_its_new_place() {
    let edited = DRAFT.replace(
        "a former Harbourline executive",
        "a former Harbor Line executive",
    );
    let (_dir, path, mut app) = judged_then_edited(&edited);
    let i = texts(&app)
        .iter()
        .position(|t| t == "a former Harbor Line executive")
        .unwrap();
    assert_eq!(app.review.anchor_state(i), AnchorState::Moved);
    assert_eq!(
        app.review.status(i),
        Status::Disputed,
        "the judgement came along"
    );
    app.selected = Some(i);
    app.reveal_selected();
    let screen = format!("{:?}", render(&app).backend());
    assert!(
        screen.contains("Moved the text changed; the note was on"),
        "{screen}"
    );
    assert!(screen.contains("1 moved"), "{screen}");
    press(&mut app, "m");
    assert_eq!(app.review.anchor_state(i), AnchorState::Anchored);
    press(&mut app, "s");
    let (file, _) = sidecar::load(&sidecar::path_for(&path)).unwrap();
    let ann = file
        .annotations
        .iter()
        .find(|a| a.status == Status::Disputed)
        .unwrap();
    assert_eq!(ann.anchor.quote, "a former Harbor Line executive");
    assert!(ann.history.last().unwrap().what.starts_with("moved to"));
}

#[test]
fn orphans_view_lists_reattaches_and_deletes_only_after_asking() {
    // Two judged sources are rewritten: one as other unnamed people, one as a named person.
    let edited = DRAFT
        .replace("Sources said the union", "Officials said the union")
        .replace(
            "a former Harbourline executive",
            "Bo Lind, the board's chair,",
        );
    let (_dir, _path, mut app) = judged_then_edited(&edited);
    assert_eq!(app.review.orphans().len(), 2);
    let officials = texts(&app).iter().position(|t| t == "Officials").unwrap();
    assert!(app.review.annotation(officials).is_none());
    press(&mut app, "o");
    assert_eq!(app.mode, Mode::Orphans);
    insta::assert_snapshot!("orphans_view", render(&app).backend());
    // The selected source already has a judgement: attaching there is refused.
    press(&mut app, "<Enter>");
    assert!(matches!(&app.banner, Some(Banner::Error(m)) if m.contains("already has a judgement")));
    // Attach the first orphan ("Sources", unverified) to "Officials".
    press(&mut app, "<Esc>");
    app.selected = Some(officials);
    press(&mut app, "o<Enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.review.status(officials), Status::Unverified);
    assert_eq!(app.review.orphans().len(), 1);
    // Delete asks; n keeps it, y deletes it.
    press(&mut app, "oDn");
    assert_eq!(app.mode, Mode::Orphans);
    assert_eq!(app.review.orphans().len(), 1);
    press(&mut app, "Dy");
    assert!(app.review.orphans().is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.review.annotations.len(), 3);
    press(&mut app, "o");
    assert!(matches!(&app.banner, Some(Banner::Info(m)) if m.contains("no orphaned notes")));
}

#[test]
fn v_selects_words_and_enter_marks_a_source_the_detector_missed() {
    let (_dir, path, mut app) = on_disk();
    let before = app.review.sources.len();
    // Start on "An unnamed US official" (source 2), then go back to the line start and take
    // "Transport Minister" instead, as an editor checking a named source might.
    press(&mut app, "<Tab>v");
    assert_eq!(app.mode, Mode::Select);
    press(&mut app, "jj0 ww");
    let terminal = render(&app);
    insta::assert_snapshot!("selecting_text", terminal.backend());
    let selected = cells_in(&terminal, "Transport Minister Elena", "Transport Minister");
    let expect = look(Style::reset().patch(theme::SELECTION));
    assert!(selected.iter().all(|c| *c == expect), "{selected:?}");
    let after = cells_in(&terminal, "Transport Minister Elena", " Elena");
    assert_eq!(
        after[0], expect,
        "the cursor cell shows where the selection ends"
    );
    assert_ne!(after[1], expect);
    press(&mut app, "<Enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.review.sources.len(), before + 1);
    let i = app.selected.unwrap();
    assert_eq!(texts(&app)[i], "Transport Minister");
    assert_eq!(app.review.sources[i].rule, "manual");
    press(&mut app, "3s");
    // Reopened, the manual source is still there with its judgement.
    let app = app_for(&path, DRAFT, (100, 30));
    let i = texts(&app)
        .iter()
        .position(|t| t == "Transport Minister")
        .unwrap();
    assert_eq!(app.review.status(i), Status::SingleSource);
    // Esc cancels a selection without marking anything.
    let mut app = app;
    press(&mut app, "vww<Esc>");
    assert_eq!(app.review.sources.len(), before + 1);
    assert_eq!(app.selection(), None);
}

#[test]
fn sign_off_asks_first_when_sources_are_untagged() {
    let (_dir, path, mut app) = on_disk();
    press(&mut app, "2S");
    assert_eq!(app.mode, Mode::SignOffPrompt);
    insta::assert_snapshot!("sign_off_prompt", render(&app).backend());
    press(&mut app, "n");
    assert!(app.review.sign_off().is_none());
    press(&mut app, "Sys");
    let (file, _) = sidecar::load(&sidecar::path_for(&path)).unwrap();
    let s = file.sign_off.unwrap();
    assert_eq!((s.who.as_str(), s.sources, s.untagged), ("ana", 4, 3));
    // With nothing untagged, S signs off at once.
    press(&mut app, "<Tab>1<Tab>1<Tab>xS");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.review.sign_off().unwrap().untagged, 0);
}

#[test]
fn a_second_session_is_read_only_until_it_takes_over() {
    let (_dir, path, mut first) = on_disk();
    whosaid::tui::take_lock(&mut first, &path);
    assert!(first.lock.is_some());
    let mut second = app_for(&path, DRAFT, (100, 30));
    second.author = "ben".into();
    whosaid::tui::take_lock(&mut second, &path);
    assert!(second.read_only.is_some());
    assert!(
        matches!(&second.banner, Some(Banner::Error(m)) if m.contains("read-only: the draft is open in ana (process"))
    );
    press(&mut second, "2");
    assert_eq!(second.review.status(0), Status::Untagged, "changes refused");
    assert!(matches!(&second.banner, Some(Banner::Error(m)) if m.starts_with("read-only")));
    // The first session looks alive (it is this process): one T only warns...
    press(&mut second, "T");
    assert!(second.read_only.is_some());
    assert!(matches!(&second.banner, Some(Banner::Error(m)) if m.contains("T again takes over")));
    // ...and a T after anything else warns again; T twice in a row takes over.
    press(&mut second, "jT");
    assert!(second.read_only.is_some());
    let t = key(KeyCode::Char('T'));
    let effects = second.update(second.action_for(t).unwrap());
    assert_eq!(
        effects,
        [Effect::TakeOver { force: true }],
        "the second T forces it"
    );
    // Taking the lock over asks for a crashed session's unsaved work to be looked for.
    let left = effect::perform_alone(&mut second, effects);
    assert!(left.is_empty());
    press(&mut second, "2");
    assert!(second.read_only.is_none());
    assert_eq!(second.review.status(0), Status::Corroborated);
    // The first session's lock was taken over: quitting it leaves the second one's lock.
    drop(first);
    assert!(whosaid::sidecar::lock::path_for(&path).exists());
}

#[test]
fn a_lock_left_by_a_session_that_stopped_is_taken_over_at_once() {
    let (_dir, path, mut app) = on_disk();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    let dead = whosaid::sidecar::lock::Holder {
        pid,
        ..whosaid::sidecar::lock::Holder::this_process("ben", "2026-11-25T08:00:00Z")
    };
    std::fs::write(
        whosaid::sidecar::lock::path_for(&path),
        ron::to_string(&dead).unwrap(),
    )
    .unwrap();
    whosaid::tui::take_lock(&mut app, &path);
    assert!(app.read_only.is_none());
    assert!(app.lock.is_some());
    assert!(
        matches!(&app.banner, Some(Banner::Info(m)) if m.contains("session of ben that stopped"))
    );
}

#[test]
fn the_draft_changing_on_disk_shows_a_banner_and_r_reloads_and_reanchors() {
    let (_dir, path, mut app) = on_disk();
    press(&mut app, "<Tab>4s");
    let stamp = || Action::DiskStamp(whosaid::tui::app::disk::file_stamp(&path));
    let _ = act(&mut app, stamp());
    assert!(!app.article_changed);
    let edited = format!("Updated 10:00\n\n{DRAFT}");
    std::fs::write(&path, &edited).unwrap();
    let _ = act(&mut app, stamp());
    assert!(app.article_changed);
    assert!(matches!(&app.banner, Some(Banner::Info(m)) if m.contains("R reloads")));
    press(&mut app, "R");
    assert!(!app.article_changed);
    assert_eq!(app.review.article().text(), edited);
    let i = texts(&app)
        .iter()
        .position(|t| t == "An unnamed US official")
        .unwrap();
    assert_eq!(app.review.status(i), Status::Unverified);
    assert_eq!(app.review.anchor_state(i), AnchorState::Anchored);
    assert!(matches!(&app.banner, Some(Banner::Info(m)) if m.starts_with("reloaded")));
}

#[test]
fn u_undoes_every_kind_of_change_and_ctrl_r_redoes() {
    let mut app = app((100, 30));
    // A reliability, a checklist answer, a whole note (one undo, however many keystrokes),
    // a dismissal, and a reliability given to every mention.
    press(&mut app, "2cy<Esc>eCalled the desk.<Esc><Tab>x");
    assert_eq!(app.review.status(1), Status::Dismissed);
    press(&mut app, "u");
    assert_eq!(app.review.status(1), Status::Untagged);
    assert_eq!(app.selected, Some(1), "undo shows what it changed");
    press(&mut app, "u");
    assert_eq!(app.review.annotation(0).unwrap().note, "");
    assert_eq!(
        app.review
            .annotation(0)
            .unwrap()
            .checklist
            .get(CheckItem::IdentityKnown),
        Answer::Yes
    );
    press(&mut app, "uu");
    assert!(app.review.annotation(0).is_none(), "back to untouched");
    press(&mut app, "u");
    assert!(matches!(&app.banner, Some(Banner::Info(m)) if m == "nothing to undo"));
    press(&mut app, "<C-r><C-r><C-r>");
    assert_eq!(app.review.annotation(0).unwrap().note, "Called the desk.");
    assert_eq!(app.review.status(0), Status::Corroborated);
    // A new change clears what could be redone.
    press(&mut app, "5<C-r>");
    assert!(matches!(&app.banner, Some(Banner::Info(m)) if m == "nothing to redo"));
}

#[test]
fn undo_takes_back_a_manual_source_a_deletion_and_a_sign_off() {
    let edited = DRAFT.replace("Sources said the union", "Officials said the union");
    let (_dir, _path, mut app) = judged_then_edited(&edited);
    let before = app.review.sources.len();
    press(&mut app, "oDy");
    assert!(app.review.orphans().is_empty());
    press(&mut app, "u");
    assert_eq!(app.review.orphans().len(), 1, "the deleted orphan is back");
    press(&mut app, "v$<Enter>");
    assert_eq!(app.review.sources.len(), before + 1);
    press(&mut app, "u");
    assert_eq!(app.review.sources.len(), before);
    press(&mut app, "Sy");
    assert!(app.review.sign_off().is_some());
    press(&mut app, "u");
    assert!(app.review.sign_off().is_none());
}

#[test]
fn slash_searches_as_you_type_with_smart_case_and_n_goes_on() {
    let mut app = app((100, 30));
    press(&mut app, "/said");
    assert_eq!(app.mode, Mode::Search);
    let first = app.found.unwrap();
    assert_eq!(&DRAFT[first.0..first.1], "said");
    insta::assert_snapshot!("search_prompt", render(&app).backend());
    press(&mut app, "<Enter>n");
    let second = app.found.unwrap();
    assert!(second.0 > first.0);
    press(&mut app, "N");
    assert_eq!(app.found, Some(first));
    // Lower case ignores case; a capital makes it exact.
    press(&mut app, "/sources<Enter>");
    assert_eq!(
        &DRAFT[app.found.unwrap().0..app.found.unwrap().1],
        "Sources"
    );
    assert_eq!(
        texts(&app)[app.selected.unwrap()],
        "Sources",
        "the match's source is selected"
    );
    press(&mut app, "/SOURCES<Enter>");
    assert_eq!(app.found, None);
    assert!(matches!(&app.banner, Some(Banner::Info(m)) if m.contains("not found")));
    // Esc goes back to where the search began.
    let (top, selected) = (app.top, app.selected);
    press(&mut app, "/Harbourline<Esc>");
    assert_eq!((app.top, app.selected, app.found), (top, selected, None));
}

#[test]
fn filters_narrow_the_list_and_tab_but_not_the_counts() {
    let mut app = app((100, 30));
    press(&mut app, "2<Tab>5");
    press(&mut app, "f");
    assert_eq!(app.filter.label(), "untagged");
    assert_eq!(app.shown(), [2, 3]);
    assert_eq!(
        app.selected,
        Some(2),
        "the selection moves to a shown source"
    );
    press(&mut app, "<Tab>");
    assert_eq!(app.selected, Some(3));
    press(&mut app, "<Tab>");
    assert_eq!(app.selected, Some(2), "Tab wraps among shown sources");
    let screen = format!("{:?}", render(&app).backend());
    assert!(screen.contains("Sources (2 of 4, untagged)"), "{screen}");
    assert!(
        screen.contains("4 sources · 2 tagged · 2 untagged"),
        "counts are the whole article"
    );
    press(&mut app, "f");
    assert_eq!(app.filter.label(), "needs review");
    assert_eq!(app.shown(), [1, 2, 3], "disputed needs review too");
    press(&mut app, "FF");
    assert_eq!(app.filter.label(), "all");
}

#[test]
fn t_jumps_to_the_next_untagged_source() {
    let mut app = app((100, 30));
    press(&mut app, "1<Tab>1<Tab><Tab>t");
    assert_eq!(app.selected, Some(2));
    press(&mut app, "1t");
    assert_eq!(app.selected, Some(3));
    press(&mut app, "1t");
    assert!(matches!(&app.banner, Some(Banner::Info(m)) if m.contains("no untagged")));
}

#[test]
fn colon_and_a_line_number_scroll_there() {
    let mut app = app((100, 30));
    press(&mut app, ":6<Enter>");
    assert_eq!(app.top.line, 5);
    press(&mut app, ":999<Enter>");
    assert_eq!(
        app.top.line,
        app.review.article().line_count() - 1,
        "past the end goes to the last line"
    );
    press(&mut app, ":2<Esc>");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn e_in_capitals_hands_the_note_to_the_external_editor() {
    let mut app = app((100, 30));
    press(&mut app, "eFirst draft.<Esc>");
    assert_eq!(
        press_key(&mut app, key(KeyCode::Char('E'))),
        [Effect::EditNote("First draft.".into())],
        "the event loop is asked to run the editor on the note"
    );
    let edited = |r: Result<&str, &str>| {
        Action::NoteEdited(Carried::new(r.map(str::to_owned).map_err(str::to_owned)))
    };
    let _ = act(&mut app, edited(Ok("Rewritten in vim.\nTwo lines.")));
    assert_eq!(
        app.review.annotation(0).unwrap().note,
        "Rewritten in vim.\nTwo lines."
    );
    let _ = act(&mut app, edited(Err("vi exited with 1")));
    assert_eq!(
        app.review.annotation(0).unwrap().note,
        "Rewritten in vim.\nTwo lines."
    );
    assert!(matches!(&app.banner, Some(Banner::Error(m)) if m.contains("not changed")));
    press(&mut app, "u");
    assert_eq!(app.review.annotation(0).unwrap().note, "First draft.");
}

#[test]
fn times_are_stored_in_utc_and_shown_in_local_time() {
    let mut app = app((100, 30));
    press(&mut app, "2");
    assert_eq!(
        app.review.annotation(0).unwrap().updated,
        "2026-11-25T09:30:00Z"
    );
    assert_eq!(
        app.local_time("2026-11-25T09:30:00Z"),
        "2026-11-25 09:30 UTC"
    );
    // A fixed offset, so the test does not depend on the machine's time zone database.
    app.tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(-5));
    let shown = app.local_time("2026-11-25T09:30:00Z");
    assert!(shown.starts_with("2026-11-25 04:30 "), "{shown}");
    let screen = format!("{:?}", render(&app).backend());
    assert!(screen.contains(&format!("ana · {shown}")), "{screen}");
    assert_eq!(app.local_time("not a time"), "not a time");
}

#[test]
fn mono_and_high_contrast_themes_keep_every_highlight_visible() {
    use ratatui::style::{Color, Modifier};
    let mut app = app((100, 30));
    press(&mut app, "2<Tab>");
    app.theme = theme::Theme::resolve(theme::Theme::Default, true);
    assert_eq!(
        app.theme,
        theme::Theme::Mono,
        "NO_COLOR wins over the config"
    );
    let terminal = render(&app);
    let cells = &terminal.backend().buffer().content;
    assert!(
        cells
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    let judged = cells_in(&terminal, "to people familiar", "people familiar");
    assert!(
        judged.iter().all(|c| c.2.contains(Modifier::REVERSED)),
        "{judged:?}"
    );
    let plain = cells_in(&terminal, "said the fund", "said the fund");
    assert!(plain.iter().all(|c| !c.2.contains(Modifier::REVERSED)));
    // The selected source ("An unnamed US official", after Tab) differs from the others by more
    // than bold and underline: it is the one highlight not in reverse video.
    let selected = cells_in(&terminal, "An unnamed US official", "unnamed US");
    assert!(
        selected.iter().all(|c| !c.2.contains(Modifier::REVERSED)
            && c.2.contains(Modifier::BOLD | Modifier::UNDERLINED)),
        "{selected:?}"
    );

    app.theme = theme::Theme::HighContrast;
    let terminal = render(&app);
    let cells = &terminal.backend().buffer().content;
    assert!(
        cells
            .iter()
            .all(|c| c.fg != Color::DarkGray && c.bg != Color::DarkGray)
    );
}

/// The screen cell where `needle` (inside `context`) starts.
fn position_of(terminal: &Terminal<TestBackend>, context: &str, needle: &str) -> (u16, u16) {
    let buffer = terminal.backend().buffer();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        if let Some(byte) = line.find(context) {
            let byte = byte + context.find(needle).unwrap();
            return (line[..byte].chars().count() as u16, y);
        }
    }
    panic!("{context:?} not on screen");
}

fn click(app: &mut App, (column, row): (u16, u16)) {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let _ = app.handle_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    });
}

#[test]
fn clicking_a_highlight_or_a_list_row_selects_it_and_the_wheel_scrolls() {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let mut app = app((100, 30));
    let terminal = render(&app);
    click(
        &mut app,
        position_of(&terminal, "be fair. Sources said", "Sources"),
    );
    assert_eq!(app.selected, Some(2));
    // A click on plain text changes nothing.
    click(&mut app, position_of(&terminal, "said the fund", "fund"));
    assert_eq!(app.selected, Some(2));
    let terminal = render(&app);
    click(
        &mut app,
        position_of(&terminal, "untagged      a former", "a former"),
    );
    assert_eq!(app.selected, Some(3));
    // The gutter and the borders are not text.
    click(&mut app, (0, 5));
    click(&mut app, (1, 5));
    assert_eq!(app.selected, Some(3));
    let top = app.top;
    let _ = app.handle_mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    });
    assert!(app.top > top);
}

fn press_ws(ws: &mut whosaid::tui::Workspace, keys: &str) {
    for c in keys.chars() {
        let event = match c {
            '\n' => key(KeyCode::Enter),
            '\u{1b}' => key(KeyCode::Esc),
            c => key(KeyCode::Char(c)),
        };
        let _ = ws.handle_key(event);
    }
}

#[test]
fn several_drafts_keep_their_own_work_and_quitting_saves_them_all() {
    use whosaid::tui::{Autosave, Open, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.md");
    let b = dir.path().join("b.md");
    std::fs::write(&a, DRAFT).unwrap();
    let other = "Officials said the vote was rigged. A party source agreed.\n";
    std::fs::write(&b, other).unwrap();
    let open = |p: &Path, text: &str| Open {
        app: app_for(p, text, (100, 30)),
        autosave: Autosave::new(None),
    };
    let mut ws = Workspace::new(vec![open(&a, DRAFT), open(&b, other)]);
    press_ws(&mut ws, "1>");
    assert_eq!(ws.current, 1);
    press_ws(&mut ws, "5");
    assert_eq!(ws.app().review.status(0), Status::Disputed);
    let screen = format!("{:?}", {
        let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
        t.draw(|f| ws.draw(f)).unwrap();
        t.backend().clone()
    });
    assert!(screen.contains("b.md [2/2]"), "{screen}");
    press_ws(&mut ws, "<");
    assert_eq!(ws.current, 0);
    assert_eq!(
        ws.app().review.status(0),
        Status::Verified,
        "each draft keeps its own"
    );
    // The switcher lists both, and Enter opens the chosen one.
    press_ws(&mut ws, "b");
    assert_eq!(ws.app().mode, Mode::Files);
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| ws.draw(f)).unwrap();
    insta::assert_snapshot!("file_switcher", t.backend());
    press_ws(&mut ws, "j\n");
    assert_eq!(ws.current, 1);
    // Quitting asks, because both are unsaved; s saves both.
    press_ws(&mut ws, "q");
    assert_eq!(ws.app().mode, Mode::QuitPrompt);
    assert!(!ws.should_quit);
    press_ws(&mut ws, "s");
    assert!(ws.should_quit);
    assert!(sidecar::path_for(&a).exists() && sidecar::path_for(&b).exists());
}

#[test]
fn every_new_key_is_safe_on_an_empty_draft() {
    for text in ["", "\n", "no sources here at all"] {
        let article = Article::new(Path::new("empty.md"), text.to_owned());
        let (review, _) =
            Review::open(article, vec![], Ok((SidecarFile::empty(), OnDisk::Missing)));
        let mut app = App::new(review, "ana".into(), clock, (100, 30));
        press(
            &mut app,
            ":5<Enter>:<Enter>/x<Enter>nN/<BS><Esc>ftFomSyRTu<C-r>v<Enter>vwwbb$0jk<Enter><Esc>E",
        );
        let _ = render(&app);
        let _ = act(&mut app, whosaid::tui::Action::Resize(3, 2));
        let _ = render(&app);
    }
}

#[test]
fn a_newsrooms_own_checklist_is_asked_and_answered() {
    use whosaid::judgement::{CheckItem, Questions};
    let mut app = app((100, 30));
    app.questions = Questions::new(&[
        ("legal-reviewed".into(), "Legal has read the claim".into()),
        (
            "two-sources".into(),
            "Two sources, independent of each other".into(),
        ),
    ])
    .unwrap();
    press(&mut app, "cjy");
    let screen = format!("{:?}", render(&app).backend());
    assert!(screen.contains("Legal has read the claim"), "{screen}");
    assert!(!screen.contains("An editor knows who the source is"));
    press(&mut app, "j");
    assert!(
        matches!(app.mode, whosaid::tui::mode::Mode::Checklist { cursor: 0 }),
        "the cursor wraps over the newsroom's two questions"
    );
    let list = &app.review.annotation(0).unwrap().checklist;
    assert_eq!(
        list.get(CheckItem::parse("two-sources").unwrap()),
        Answer::Yes
    );
    assert_eq!(list.get(CheckItem::IdentityKnown), Answer::Unknown);
    assert!(
        sidecar::to_text(&app.review.to_sidecar()).contains("\"two-sources\": \"yes\""),
        "written under its own key"
    );
}

#[test]
fn a_newsrooms_own_reliability_scale_drives_the_digits_filters_and_help() {
    use whosaid::judgement::Scale;
    let mut app = app((100, 30));
    app.scale = Scale::new(&["confirmed".into(), "probable".into(), "doubtful".into()]).unwrap();
    press(&mut app, "2");
    assert_eq!(app.review.status(0).as_str(), "probable");
    assert!(app.review.status(0).is_tagged());
    press(&mut app, "<Tab>5");
    assert_eq!(app.review.status(1), Status::Untagged);
    assert!(matches!(&app.banner, Some(Banner::Info(m)) if m.contains("has 3 levels")));
    let screen = format!("{:?}", render(&app).backend());
    assert!(
        screen.contains("P    3 probable"),
        "the list spells the level out: {screen}"
    );
    // The filters step through the newsroom's levels.
    press(&mut app, "fff");
    assert_eq!(app.filter.label(), "confirmed");
    press(&mut app, "f");
    assert_eq!(app.filter.label(), "probable");
    assert_eq!(app.shown(), [0]);
    press(&mut app, "FFFF?");
    let help = format!("{:?}", render(&app).backend());
    assert!(help.contains("reliability: doubtful"), "{help}");
    assert!(!help.contains("reliability: verified"));
}

/// A status outside the scale in force is kept, shown as such in the status bar, and never
/// counted as tagged.
#[test]
fn a_status_outside_the_scale_is_counted_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    let mut first = app_for(&path, DRAFT, (100, 30));
    press(&mut first, "1<C-s>");
    let side = sidecar::path_for(&path);
    let text = std::fs::read_to_string(&side)
        .unwrap()
        .replace("status: \"verified\"", "status: \"verifed\"");
    std::fs::write(&side, text).unwrap();
    let app = app_for(&path, DRAFT, (100, 30));
    let c = app.review.counts();
    assert_eq!((c.tagged, c.out_of_scale, c.untagged), (0, 1, 3));
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let last: String = (0..100)
        .map(|x| buffer[(x, app.panes().status.y)].symbol().to_owned())
        .collect();
    assert!(
        last.contains("0 tagged · 3 untagged · 0 dismissed · 1 outside the scale"),
        "{last}"
    );
}

/// A long banner (a kept file's path and what to do with it) wraps onto more rows instead of
/// being cut off at the edge.
#[test]
fn a_long_banner_wraps_and_is_read_whole() {
    let mut app = app((80, 24));
    let message = "unsaved work from 10:00 was found, but the sidecar has changed since; it is kept in /home/editor/.local/share/whosaid/recovery/draft.md.8f51ae3d4aba0ab4.recovery.ron.kept-1: `whosaid recover draft.md` applies it";
    app.banner = Some(Banner::Error(message.into()));
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let screen: String = (0..24)
        .map(|y| {
            (0..80)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(screen.contains("unsaved work from 10:00"), "{screen}");
    assert!(screen.contains("applies it"), "{screen}");
    assert!(
        screen.contains("sources ·"),
        "the status bar stays: {screen}"
    );
}

/// `M` refuses the place re-anchoring found for a moved note: the note joins the orphans, stays
/// there after a save and a reopen, and comes back only when the editor re-attaches it.
#[test]
fn shift_m_sets_a_moved_note_aside_until_it_is_reattached() {
    let edited = DRAFT.replace(
        "a former Harbourline executive",
        "a former Harbor Line executive",
    );
    let (_dir, path, mut app) = judged_then_edited(&edited);
    let i = texts(&app)
        .iter()
        .position(|t| t == "a former Harbor Line executive")
        .unwrap();
    assert_eq!(app.review.anchor_state(i), AnchorState::Moved);
    app.selected = Some(i);
    press(&mut app, "M");
    assert_eq!(app.review.orphans().len(), 1);
    assert!(
        app.review.annotation(i).is_none(),
        "the source is untagged again"
    );
    press(&mut app, "s");
    let mut again = app_for(&path, &edited, (100, 30));
    assert_eq!(
        again.review.orphans().len(),
        1,
        "still set aside after a reopen"
    );
    assert_eq!(again.review.moved(), 0);
    let i = texts(&again)
        .iter()
        .position(|t| t == "a former Harbor Line executive")
        .unwrap();
    again.selected = Some(i);
    press(&mut again, "o<Enter>");
    assert_eq!(again.review.status(i), Status::Disputed, "re-attached");
    press(&mut again, "<Esc>s");
    let back = app_for(&path, &edited, (100, 30));
    assert_eq!(back.review.orphans().len(), 0);
    assert_eq!(back.review.status(i), Status::Disputed);
}

/// Editing a note edits what the editor wrote: a zero-width non-joiner (needed in Persian and
/// Urdu) and direction marks survive an edit, while the screen shows their stand-ins.
#[test]
fn editing_a_note_keeps_invisible_characters_the_editor_wrote() {
    let (_dir, path, mut app) = on_disk();
    press(&mut app, "1s");
    let side = sidecar::path_for(&path);
    let text = std::fs::read_to_string(&side)
        .unwrap()
        .replace("note: \"\"", "note: \"می\\u{200c}خواهم \\u{200e}ok\"");
    std::fs::write(&side, text).unwrap();
    let mut app = app_for(&path, DRAFT, (100, 30));
    press(&mut app, "e");
    let screen = render(&app).backend().to_string();
    assert!(screen.contains("¦") && screen.contains("⇄"), "{screen}");
    assert!(!screen.contains('\u{200c}') && !screen.contains('\u{200e}'));
    press(&mut app, "!<Esc>");
    assert_eq!(
        app.review.annotation(0).unwrap().note,
        "می\u{200c}خواهم \u{200e}ok!"
    );
}

/// A session whose lock was taken over (T in another) notices at its next change or save: it
/// says who has the draft, refuses to change or save, keeps its unsaved work, and T takes the
/// lock back.
#[test]
fn a_session_that_lost_its_lock_stops_saving_until_it_takes_it_back() {
    let (_dir, path, mut first) = on_disk();
    whosaid::tui::take_lock(&mut first, &path);
    press(&mut first, "1");
    let mut second = app_for(&path, DRAFT, (100, 30));
    second.author = "ben".into();
    whosaid::tui::take_lock(&mut second, &path);
    press(&mut second, "TT");
    assert!(second.read_only.is_none() && second.lock.is_some());

    press(&mut first, "<Tab>2");
    assert_eq!(
        first.review.status(1),
        Status::Untagged,
        "the change is refused"
    );
    assert!(
        matches!(&first.banner, Some(Banner::Error(m)) if m.contains("ben (process") && m.contains("took the draft over")),
        "{:?}",
        first.banner
    );
    press(&mut first, "s");
    assert!(!sidecar::path_for(&path).exists(), "nothing saved");
    assert!(first.review.is_dirty(), "the unsaved judgement is kept");
    assert_eq!(first.review.status(0), Status::Verified);
    // The lock is ben's still: his session keeps it.
    assert!(second.lock.as_ref().unwrap().still_held());

    press(&mut first, "TT");
    assert!(first.read_only.is_none());
    press(&mut first, "s");
    assert!(sidecar::path_for(&path).exists());
}

/// Undoing back to what was last saved leaves nothing unsaved.
#[test]
fn undoing_back_to_the_saved_state_is_saved() {
    let (_dir, _path, mut app) = on_disk();
    press(&mut app, "1s");
    assert!(!app.review.is_dirty());
    press(&mut app, "<Tab>2");
    assert!(app.review.is_dirty());
    press(&mut app, "u");
    assert!(!app.review.is_dirty(), "back to what is on disk");
    let screen = render(&app).backend().to_string();
    assert!(
        screen.contains(" saved ") && !screen.contains("unsaved"),
        "{screen}"
    );
    press(&mut app, "u");
    assert!(app.review.is_dirty(), "before the save is unsaved again");
}

/// `a` gives the other mentions of a source its reliability, but one an editor judged
/// differently keeps its own until a second `a` says to overwrite it.
#[test]
fn applying_to_a_group_asks_before_overwriting_a_different_judgement() {
    let text = "Port talks stall\n\nA senior official said the fund had not filed. The official said talks would resume. Later the official said more.\n";
    let mut app = app_for(Path::new("group.md"), text, (100, 30));
    let mates = app.review.group_mates(0);
    assert_eq!(mates.len(), 2, "{:?}", texts(&app));
    app.selected = Some(mates[0]);
    press(&mut app, "5");
    app.selected = Some(0);
    press(&mut app, "1a");
    assert_eq!(app.review.status(mates[0]), Status::Disputed, "kept");
    assert_eq!(
        app.review.status(mates[1]),
        Status::Verified,
        "untagged took it"
    );
    assert!(
        matches!(&app.banner, Some(Banner::Error(m)) if m.contains("1 judged differently kept theirs: a again overwrites them")),
        "{:?}",
        app.banner
    );
    press(&mut app, "a");
    assert_eq!(
        app.review.status(mates[0]),
        Status::Verified,
        "overwritten when asked twice"
    );
}

/// Cycling an answer in the checklist records one history entry, the final answer, when the
/// checklist closes; a sign-off followed by a change says it is out of date.
#[test]
fn the_checklist_records_its_final_answers_and_a_later_change_makes_a_sign_off_stale() {
    let mut app = app((100, 30));
    press(&mut app, "c    ");
    let history = |app: &App| app.review.annotation(0).map_or(0, |a| a.history.len());
    assert_eq!(
        history(&app),
        0,
        "nothing recorded while the checklist is open"
    );
    press(&mut app, "<Esc>");
    let ann = app.review.annotation(0).unwrap();
    assert_eq!(ann.history.len(), 1, "{:?}", ann.history);
    assert_eq!(ann.history[0].what, "checklist identity-known: yes");

    press(&mut app, "Sy");
    let screen = render(&app).backend().to_string();
    assert!(
        screen.contains("signed off by ana ") && !screen.contains("changed since"),
        "{screen}"
    );
    // The clock is fixed; a later change is one made after the sign-off's time.
    let mut later = app;
    later.review.set_status(
        1,
        Status::Verified,
        &whosaid::review::Stamp {
            author: "ben".into(),
            now: "2026-11-25T10:30:00Z".into(),
        },
    );
    assert!(later.review.sign_off_stale());
    let screen = render(&later).backend().to_string();
    assert!(
        screen.contains("signed off by ana (changed since)"),
        "{screen}"
    );
}

/// vi's `:w`, `:q`, `:wq` and `:q!` do what a vi user's fingers expect; anything else after `:`
/// that is not a line number says so.
#[test]
fn colon_commands_save_and_quit_as_in_vi() {
    let (_dir, path, mut app) = on_disk();
    press(&mut app, "1:w<Enter>");
    assert!(sidecar::path_for(&path).exists() && !app.review.is_dirty());
    press(&mut app, "<Tab>2:q<Enter>");
    assert_eq!(
        app.mode,
        Mode::QuitPrompt,
        ":q asks while something is unsaved"
    );
    press(&mut app, "<Esc>:wq<Enter>");
    assert!(app.should_quit && !app.review.is_dirty());

    let (_dir, path, mut app) = on_disk();
    press(&mut app, "3:q!<Enter>");
    assert!(app.should_quit);
    assert!(!sidecar::path_for(&path).exists(), ":q! discards");

    let mut other = app_for(&path, DRAFT, (100, 30));
    press(&mut other, ":xq<Enter>");
    assert!(!other.should_quit);
    assert!(
        matches!(&other.banner, Some(Banner::Info(m)) if m.contains("is not a line number")),
        "{:?}",
        other.banner
    );
}

/// `A` shows the named and institutional attributions underlined and subdued, never as sources
/// to judge; `A` again hides them.
#[test]
fn a_shows_other_attributions_without_counting_them() {
    let mut app = app((100, 30));
    let sources = app.review.sources.len();
    press(&mut app, "A");
    let others: Vec<(String, &str)> = app
        .others
        .as_ref()
        .expect("shown")
        .iter()
        .map(|a| {
            (
                app.review.article().text()[a.start..a.end].to_owned(),
                a.class.as_str(),
            )
        })
        .collect();
    assert_eq!(
        others,
        [("Transport Minister Elena Marsh".to_owned(), "named")]
    );
    assert_eq!(app.review.sources.len(), sources, "never a source to judge");
    let Some(Banner::Info(text)) = &app.banner else {
        panic!("a banner says what is shown: {:?}", app.banner)
    };
    assert!(
        text.contains("1 named") && text.contains("A hides them"),
        "{text}"
    );
    let terminal = render(&app);
    let expect = look(Style::reset().patch(theme::OTHER_ATTRIBUTION));
    let cells = cells_in(&terminal, "Minister Elena Marsh said", "Elena");
    assert!(cells.iter().all(|c| *c == expect), "{cells:?}");
    press(&mut app, "A");
    assert!(app.others.is_none());
    let terminal = render(&app);
    let cells = cells_in(&terminal, "Minister Elena Marsh said", "Elena");
    assert!(cells.iter().all(|c| *c != expect), "hidden again");
}

/// The list's last filter shows the other attributions; Tab walks them; `v` makes the chosen one
/// a source to judge, which the list then shows selected among the others.
#[test]
fn the_attributions_filter_lists_them_and_v_promotes_one() {
    let mut app = app((100, 30));
    let before = app.review.sources.len();
    press(&mut app, "F");
    assert_eq!(app.filter.label(), "other attributions");
    assert_eq!(app.other_selected, Some(0));
    let screen: String = render(&app)
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        screen.contains("Other attributions (1), never judged"),
        "{screen}"
    );
    assert!(screen.contains("Attribution: named"), "{screen}");
    press(&mut app, "<Tab>");
    assert_eq!(
        app.other_selected,
        Some(0),
        "one attribution: Tab wraps to it"
    );
    press(&mut app, "v");
    assert_eq!(app.review.sources.len(), before + 1);
    assert_eq!(app.filter.label(), "all");
    let i = app.selected.expect("the new source is selected");
    let s = &app.review.sources[i];
    assert_eq!(
        &app.review.article().text()[s.start..s.end],
        "Transport Minister Elena Marsh"
    );
    assert_eq!(s.rule, "manual");
    assert!(app.others.as_ref().is_some_and(Vec::is_empty));
    press(&mut app, "3");
    assert_eq!(app.review.status(i), Status::SingleSource);
}

/// At 60 columns or less the status bar still says whether the work is saved and how to get
/// help, before the counts.
#[test]
fn a_narrow_status_bar_shows_unsaved_and_help_first() {
    for width in [60, 50, 40, 30] {
        let mut app = app((width, 20));
        press(&mut app, "1");
        let terminal = render(&app);
        let buffer = terminal.backend().buffer();
        let last: String = (0..width)
            .map(|x| buffer[(x, app.panes().status.y)].symbol().to_owned())
            .collect();
        assert!(last.starts_with(" unsaved  ? help "), "{width}: {last:?}");
    }
}

/// The help scrolls by page and to either end, never past its last row, and explains the status
/// symbols.
#[test]
fn help_pages_to_its_end_and_has_a_legend() {
    let mut app = app((80, 20));
    let screen = |app: &App| -> String {
        let terminal = render(app);
        let buffer = terminal.backend().buffer();
        (0..20)
            .map(|y| (0..80).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n")
            .collect()
    };
    press(&mut app, "?");
    assert!(!screen(&app).contains("select a highlight or row / scroll"));
    press(&mut app, "G");
    let bottom = screen(&app);
    assert!(
        bottom.contains("select a highlight or row / scroll"),
        "{bottom}"
    );
    assert!(bottom.contains("two editors' changes clash"), "{bottom}");
    let help_scroll = |app: &App| match app.mode {
        whosaid::tui::mode::Mode::Help { scroll } => scroll,
        _ => panic!("the help is closed"),
    };
    let at_end = help_scroll(&app);
    press(&mut app, "jjj");
    assert_eq!(help_scroll(&app), at_end, "never past the end");
    press(&mut app, "g");
    assert_eq!(help_scroll(&app), 0);
    press(&mut app, "<PgDn>");
    assert_eq!(help_scroll(&app), 16);
    press(&mut app, "<PgUp>");
    assert_eq!(help_scroll(&app), 0);
    // The legend: each status's symbol.
    press(&mut app, "G");
    let bottom = screen(&app);
    assert!(
        bottom.contains("✔") && bottom.contains("verified"),
        "{bottom}"
    );
}

/// Esc clears the list's filter, as in gitui and lazygit; a second Esc clears the message.
#[test]
fn esc_clears_the_filter_then_the_message() {
    let mut app = app((100, 30));
    press(&mut app, "f");
    assert_eq!(app.filter.label(), "untagged");
    press(&mut app, "<Esc>");
    assert_eq!(app.filter.label(), "all");
    assert!(app.banner.is_some());
    press(&mut app, "<Esc>");
    assert!(app.banner.is_none());
}

/// A search says which match of how many, says when it wraps, draws every match in view, and
/// one cancelled with Esc is not the one `n` repeats.
#[test]
fn search_counts_wraps_highlights_and_forgets_a_cancelled_one() {
    let mut app = app((100, 30));
    let total = DRAFT.matches("said").count();
    assert_eq!(total, 4);
    press(&mut app, "/said<Enter>");
    let banner = |app: &App| match &app.banner {
        Some(Banner::Info(t)) => t.clone(),
        other => panic!("{other:?}"),
    };
    assert!(banner(&app).contains("match 1 of 4"), "{}", banner(&app));
    let terminal = render(&app);
    // The third "said" is not the current match, and is drawn as a match.
    let cells = cells_in(&terminal, "Marsh said the review", "said");
    let expect = look(Style::reset().patch(theme::SEARCH_MATCH));
    assert!(cells.iter().all(|c| *c == expect), "{cells:?}");
    press(&mut app, "nnn");
    assert!(banner(&app).contains("match 4 of 4"), "{}", banner(&app));
    press(&mut app, "n");
    assert!(
        banner(&app).contains("match 1 of 4 (wrapped)"),
        "{}",
        banner(&app)
    );
    // Esc puts the view back where it was (on the first source) and `n` goes on with "said".
    press(&mut app, "/union<Esc>");
    press(&mut app, "n");
    assert!(
        banner(&app).starts_with("/said: match 1 of 4"),
        "{}",
        banner(&app)
    );
}

/// Ctrl-Z asks the loop to hand the terminal back to the shell, and changes nothing else.
#[test]
fn ctrl_z_asks_to_suspend_and_keeps_the_work() {
    let mut app = app((100, 30));
    press(&mut app, "1");
    let ctrl_z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(
        press_key(&mut app, ctrl_z),
        [Effect::Suspend],
        "the loop is asked to suspend"
    );
    assert!(app.review.is_dirty(), "unsaved work is kept");
    assert!(!app.should_quit);
}

/// The selection follows the view: scrolled off screen, it moves to the nearest source in view;
/// with none in view, a judgement key is refused instead of judging a source nobody can see.
#[test]
fn judgements_act_only_on_a_source_in_view() {
    let mut text = String::from("Officials said the port would close.\n\n");
    for n in 0..60 {
        text.push_str(&format!("Line {n} of plain copy with nothing to flag.\n"));
    }
    text.push_str("\nSources said the sale was off.\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.md");
    std::fs::write(&path, &text).unwrap();
    let mut app = app_for(&path, &text, (80, 20));
    assert_eq!(app.selected, Some(0));
    // Like `whosaid +30`: the first source is off screen and none is in view.
    app.go_to_line(30);
    assert!(!app.in_view(0));
    press(&mut app, "1");
    assert_eq!(
        app.review.status(0),
        Status::Untagged,
        "nothing judged unseen"
    );
    assert!(
        matches!(&app.banner, Some(Banner::Info(t)) if t.contains("no source selected on screen")),
        "{:?}",
        app.banner
    );
    // Scrolling to the end brings the last source into view: it is selected, and judged.
    press(&mut app, "G");
    assert_eq!(app.selected, Some(1));
    press(&mut app, "1");
    assert_eq!(app.review.status(1), Status::Verified);
    assert_eq!(app.review.status(0), Status::Untagged);
}

/// Hints name the keys of the keymap in force and the levels of the scale in force: after a
/// newsroom remaps `e` and uses three levels, the detail pane and banners say so.
#[test]
fn hints_follow_a_remapped_keymap_and_a_three_level_scale() {
    use std::collections::BTreeMap;
    use whosaid::judgement::Scale;
    let mut app = app((100, 30));
    app.scale = Scale::new(&["confirmed".into(), "probable".into(), "doubtful".into()]).unwrap();
    let mut normal = BTreeMap::new();
    normal.insert("open-note".to_owned(), vec!["ctrl-e".to_owned()]);
    normal.insert("next-filter".to_owned(), vec!["ctrl-f".to_owned()]);
    let mut overrides = BTreeMap::new();
    overrides.insert("normal".to_owned(), normal);
    app.keymap = whosaid::tui::keymap::Keymap::with_overrides(&overrides).unwrap();
    let screen = format!("{:?}", render(&app).backend());
    // The detail pane wraps the hint after "checklist,".
    assert!(
        screen.contains("Not judged yet: 1-3 tag, c checklist,") && screen.contains("Ctrl-E note"),
        "{screen}"
    );
    let _ = act(&mut app, whosaid::tui::Action::NextFilter);
    assert!(
        matches!(&app.banner, Some(Banner::Info(m)) if m.contains("(Ctrl-F / F change the filter)")),
        "{:?}",
        app.banner
    );
}

/// The prompts of the other modes name their keys from the keymap too.
#[test]
fn mode_prompts_follow_a_remapped_keymap() {
    use std::collections::BTreeMap;
    let mut app = app((100, 30));
    let mut checklist = BTreeMap::new();
    checklist.insert("answer-yes".to_owned(), vec!["Y".to_owned()]);
    let mut overrides = BTreeMap::new();
    overrides.insert("checklist".to_owned(), checklist);
    app.keymap = whosaid::tui::keymap::Keymap::with_overrides(&overrides).unwrap();
    press(&mut app, "c");
    let screen = format!("{:?}", render(&app).backend());
    assert!(
        screen.contains(" Y yes · n no · u unknown · Space cycle"),
        "{screen}"
    );
}

/// `:N` puts the cursor at the start of line N and selects the source on it; a line without one
/// keeps the selection if it is in view.
#[test]
fn goto_line_puts_the_cursor_there_and_selects_the_source_on_it() {
    let mut app = app((100, 30));
    let article = app.review.article();
    let last = app.review.sources.len() - 1;
    let (line, _) = article.line_col(app.review.sources[last].start);
    let start = article.line_range(line - 1).start;
    press(&mut app, &format!(":{line}<Enter>"));
    assert_eq!(app.cursor, start);
    let first_on_line = (0..=last)
        .find(|&i| app.review.article().line_col(app.review.sources[i].start).0 == line)
        .unwrap();
    assert_eq!(app.selected, Some(first_on_line));
}

/// `whosaid +N draft.md` opens with the cursor on line N, as `:N` would put it.
#[test]
fn plus_n_opens_with_the_cursor_on_that_line() {
    let article = Article::new(Path::new("port-talks.md"), DRAFT.to_owned());
    let findings = Detector::new(&Config::default()).detect(DRAFT);
    let empty = Ok((SidecarFile::empty(), OnDisk::Missing));
    let (review, _) = Review::open(article, findings, empty);
    let mut setup = whosaid::tui::app::Setup::new("ana".into(), clock, (100, 30));
    setup.line = Some(5);
    let app = App::with(review, setup);
    assert_eq!(app.cursor, app.review.article().line_range(4).start);
    assert_eq!(app.top.line, 4);
}

/// A search match puts the cursor on it, and `v` starts selecting there, not at the source
/// selected before.
#[test]
fn v_starts_selecting_at_the_cursor_a_search_put_there() {
    let mut app = app((100, 30));
    press(&mut app, "/the board<Enter>");
    let at = DRAFT.find("the board").unwrap();
    assert_eq!(app.cursor, at);
    press(&mut app, "v");
    assert_eq!(app.selection(), Some((at, at)));
    press(&mut app, "ww<Enter>");
    let i = texts(&app).iter().position(|t| t == "the board").unwrap();
    assert_eq!(app.selected, Some(i), "the marked text is selected");
}

/// A click puts the cursor on the character under it (selecting the source there); a drag from
/// there selects text, as `v` would, and Enter marks it.
#[test]
fn a_click_moves_the_cursor_and_a_drag_selects_text() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app((100, 30));
    let terminal = render(&app);
    let from = position_of(&terminal, "the board was", "board");
    let to = position_of(&terminal, "the board was", "was");
    click(&mut app, from);
    let board = DRAFT.find("board was").unwrap();
    assert_eq!(app.cursor, board);
    let _ = app.handle_mouse(MouseEvent {
        kind: MouseEventKind::Drag(MouseButton::Left),
        column: to.0 - 2,
        row: to.1,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(app.selection(), Some((board, board + "board".len())));
    press(&mut app, "<Enter>");
    assert!(
        texts(&app).contains(&"board".to_owned()),
        "{:?}",
        texts(&app)
    );
}

/// `J` and `K` scroll the detail pane when the source's details do not fit, never past the end.
#[test]
fn the_detail_pane_scrolls_and_stops_at_its_end() {
    let mut app = app((100, 16));
    press(&mut app, "e");
    press(&mut app, &"A long note line. ".repeat(30));
    press(&mut app, "<Esc>");
    let top_line = |app: &App| {
        let terminal = render(app);
        let buffer = terminal.backend().buffer();
        let d = app.panes().detail;
        (d.x + 1..d.x + d.width - 1)
            .map(|x| buffer[(x, d.y + 1)].symbol().to_owned())
            .collect::<String>()
    };
    let before = top_line(&app);
    press(&mut app, "J");
    assert_eq!(app.detail_scroll, 1);
    assert_ne!(top_line(&app), before, "the pane's text moved up a row");
    press(&mut app, &"J".repeat(200));
    let end = app.detail_scroll;
    assert!(end > 1 && end < 200, "{end}");
    press(&mut app, "K");
    assert_eq!(app.detail_scroll, end - 1);
    press(&mut app, "<Tab>");
    assert_eq!(
        app.detail_scroll, 0,
        "each source's details start at the top"
    );
}

/// The footer lists the mode's main keys from the keymap, as remapped, with the levels of the
/// scale in use; `footer: false` in the config hides it and gives its row to the article.
#[test]
fn the_footer_follows_the_keymap_and_the_scale_and_can_be_hidden() {
    use std::collections::BTreeMap;
    use whosaid::judgement::Scale;
    let footer_row = |app: &App| {
        let terminal = render(app);
        let buffer = terminal.backend().buffer();
        let y = app.panes().footer.y;
        (0..app.size.0)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect::<String>()
    };
    let mut app = app((100, 30));
    assert!(footer_row(&app).starts_with(" Tab next  1-5 tag  e note"));
    app.scale = Scale::new(&["confirmed".into(), "probable".into(), "doubtful".into()]).unwrap();
    let mut normal = BTreeMap::new();
    normal.insert("next-source".to_owned(), vec!["ctrl-n".to_owned()]);
    let mut overrides = BTreeMap::new();
    overrides.insert("normal".to_owned(), normal);
    app.keymap = whosaid::tui::keymap::Keymap::with_overrides(&overrides).unwrap();
    assert!(
        footer_row(&app).starts_with(" Ctrl-N next  1-3 tag"),
        "{}",
        footer_row(&app)
    );
    press(&mut app, "e");
    assert!(footer_row(&app).starts_with(" Esc close  Ctrl-S save"));
    press(&mut app, "<Esc>");
    let with = app.text_size().1;
    app.footer = false;
    assert_eq!(app.panes().footer.height, 0);
    assert_eq!(app.text_size().1, with + 1);
    let config = Config::parse("(footer: false)").unwrap();
    assert!(!config.footer && Config::default().footer);
}

/// The help's title, the drafts popup and the selection's opening banner name the keys of the
/// keymap in force.
#[test]
fn titles_and_the_selection_banner_follow_a_remapped_keymap() {
    use std::collections::BTreeMap;
    let mut app = app((100, 30));
    let mut overrides = BTreeMap::new();
    let one = |action: &str, key: &str| {
        let mut m = BTreeMap::new();
        m.insert(action.to_owned(), vec![key.to_owned()]);
        m
    };
    overrides.insert("select".to_owned(), one("mark-source", "m"));
    overrides.insert("help".to_owned(), one("toggle-help", "h"));
    app.keymap = whosaid::tui::keymap::Keymap::with_overrides(&overrides).unwrap();
    press(&mut app, "v");
    assert!(
        matches!(&app.banner, Some(Banner::Info(m)) if m.contains("· m marks it ·")),
        "{:?}",
        app.banner
    );
    press(&mut app, "<Esc>?");
    let screen = format!("{:?}", render(&app).backend());
    assert!(screen.contains("scroll · h close"), "{screen}");
}

/// What the loop reports between two presses of T (the workspace labelling its drafts, the
/// disk check) does not disarm the second T.
#[test]
fn reports_from_the_loop_between_two_takeover_keys_do_not_disarm_the_second() {
    let (_dir, path, mut first) = on_disk();
    whosaid::tui::take_lock(&mut first, &path);
    let mut second = app_for(&path, DRAFT, (100, 30));
    whosaid::tui::take_lock(&mut second, &path);
    press(&mut second, "T");
    let placed = Action::Placed {
        position: None,
        unsaved_elsewhere: 0,
    };
    let _ = act(&mut second, placed);
    let _ = act(&mut second, Action::DiskStamp(None));
    press(&mut second, "T");
    assert!(second.read_only.is_none(), "{:?}", second.banner);
    drop(first);
}

/// On a large draft a search never holds up a frame: each key searches a step of the text, the
/// loop's `SearchMore` goes on from there, and the count arrives after the match ("of …").
#[test]
fn a_search_on_a_large_draft_goes_on_a_step_at_a_time() {
    use whosaid::tui::app::search::SEARCH_STEP;
    let filler = "The council met on Tuesday to discuss the budget for next year.\n";
    let mut text = filler.repeat(3 * SEARCH_STEP / filler.len());
    let at = text.len();
    text.push_str("A zebra escaped from the zoo.\n");
    text.push_str(&filler.repeat(SEARCH_STEP / filler.len()));
    let mut app = app_for(Path::new("big.md"), &text, (100, 30));
    press(&mut app, "/zebra");
    assert_eq!(app.found, None, "not found in the first step");
    assert!(app.searching());
    let mut steps = 0;
    while app.searching() {
        let _ = act(&mut app, Action::SearchMore);
        steps += 1;
        assert!(steps < 20);
    }
    assert!(steps >= 2, "{steps}");
    assert_eq!(app.found, Some((at + 2, at + 7)));
    press(&mut app, "<Enter>");
    assert!(
        matches!(&app.banner, Some(Banner::Info(m)) if m == "/zebra: match ? of …"),
        "{:?}",
        app.banner
    );
    while app.searching() {
        let _ = act(&mut app, Action::SearchMore);
    }
    assert!(
        matches!(&app.banner, Some(Banner::Info(m)) if m == "/zebra: match 1 of 1"),
        "{:?}",
        app.banner
    );
    // A search with no match says so once it has been round the whole draft.
    press(&mut app, "/okapi");
    while app.searching() {
        let _ = act(&mut app, Action::SearchMore);
    }
    assert!(matches!(&app.banner, Some(Banner::Info(m)) if m == "not found: okapi"));
}
