//! The bad-input matrix: every hostile or odd input gets correct behaviour or one clear sentence,
//! never a panic, a truncated file, or a control sequence on the terminal.
//! docs/reliability.md lists each row and the test that covers it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use whosaid::config::Config;
use whosaid::detect::Detector;
use whosaid::judgement::Status;
use whosaid::review::{Stamp, open_draft};
use whosaid::sidecar;
use whosaid::tui::{Action, App, draw};

fn clock() -> String {
    "2026-11-25T12:00:00Z".to_owned()
}

/// Loads `bytes` as a draft the way the program does and returns the review screen, or the one
/// sentence the program would print.
fn open(path: &Path, bytes: Vec<u8>) -> Result<App, String> {
    let detector = Detector::new(&Config::default());
    let (review, _) = open_draft(path, Some(bytes), Some(&detector)).map_err(|e| e.to_string())?;
    Ok(App::new(review, "ed".into(), clock, (80, 24)))
}

fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| draw::draw(f, app)).unwrap();
    let buffer = t.backend().buffer().clone();
    for cell in buffer.content() {
        assert!(
            !cell
                .symbol()
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "raw {:?} reached the screen",
            cell.symbol()
        );
    }
    t.backend().to_string()
}

fn press(app: &mut App, code: KeyCode) {
    let effects = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    let _ = whosaid::tui::effect::perform_alone(app, effects);
}

fn texts(app: &App) -> Vec<String> {
    app.review
        .sources
        .iter()
        .map(|s| app.review.article().text()[s.start..s.end].to_owned())
        .collect()
}

fn cli(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("whosaid").unwrap();
    c.current_dir(dir)
        .env_remove("WHOSAID_CONFIG")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("WHOSAID_DATA_DIR", dir.join("data"));
    c
}

fn one_sentence(out: &[u8]) -> String {
    let s = String::from_utf8_lossy(out).into_owned();
    assert_eq!(s.trim_end().lines().count(), 1, "{s:?}");
    assert!(!s.contains("panicked") && !s.contains('\u{1b}'), "{s:?}");
    s
}

// --- Drafts -------------------------------------------------------------------------------------

#[test]
fn empty_and_whitespace_only_drafts() {
    for text in ["", "   \n\n\t\n  "] {
        let app = open(Path::new("empty.md"), text.into()).unwrap();
        assert!(app.review.sources.is_empty());
        assert!(screen(&app).contains("0 sources"));
    }
}

#[test]
fn a_100_mb_draft_opens_and_finds_its_sources() {
    let para = "The council met on Tuesday. A senior official said the budget was short.\n\n";
    let text = para.repeat(100 * 1024 * 1024 / para.len());
    let mut app = open(Path::new("huge.md"), text.into_bytes()).unwrap();
    assert_eq!(app.review.sources.len(), 100 * 1024 * 1024 / para.len());
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::BackTab);
    assert!(screen(&app).contains("A senior official"));
}

#[test]
fn a_single_10_mb_line() {
    let text = "Filler words without any attribution at all in them. ".repeat(200_000)
        + "Sources said it would close.";
    assert!(text.len() > 10 << 20 && !text.contains('\n'));
    let mut app = open(Path::new("line.md"), text.into_bytes()).unwrap();
    assert_eq!(texts(&app), ["Sources"]);
    // The view starts at the source, deep inside the line, and scrolls within it.
    let s = screen(&app);
    assert!(s.contains("Sources said"), "{s}");
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!((app.top.line, app.top.row), (0, 1));
    press(&mut app, KeyCode::Tab);
    assert!(screen(&app).contains("Sources said"));
}

#[test]
fn crlf_lone_cr_and_tabs() {
    let app = open(
        Path::new("crlf.md"),
        b"Sources said\tso.\r\nA source said\rno.\r\n".to_vec(),
    )
    .unwrap();
    assert_eq!(texts(&app), ["Sources", "A source"]);
    assert_eq!(
        app.review.article().line_col(app.review.sources[1].start),
        (2, 1)
    );
    let s = screen(&app);
    assert!(
        s.contains("Sources said    so."),
        "tab to the next stop of 4: {s}"
    );
    assert!(
        s.contains("A source said␍no."),
        "a lone CR is shown, not obeyed: {s}"
    );
}

#[test]
fn wide_joined_combining_and_right_to_left_text() {
    let text = "記者によると、Sources said 東京で会議が開かれた。\n\
                👩\u{200d}💻 coders and e\u{301}\u{302} marks.\n\
                قال مصدر مطلع إن المحادثات توقفت. A source said so.\n";
    let mut app = open(Path::new("intl.md"), text.into()).unwrap();
    assert_eq!(texts(&app), ["Sources", "A source"]);
    for (w, h) in [(80, 24), (13, 6), (3, 3)] {
        let effects = app.update(Action::Resize(w, h));
        let _ = whosaid::tui::effect::perform_alone(&mut app, effects);
        screen(&app);
    }
}

#[test]
fn bidi_overrides_and_zero_width_characters_are_visible() {
    let app = open(
        Path::new("bidi.md"),
        "Sources said \u{202e}dias\u{202c} it was\u{200b}over.\n".into(),
    )
    .unwrap();
    let s = screen(&app);
    assert!(s.contains("⇄dias⇄ it was¦over."), "{s}");
}

#[test]
fn escape_sequences_in_the_article() {
    let text = "Sources said \x1b]52;c;ZXZpbA==\x07 and \x1b]0;title\x07 and \x1b[2J and \u{9b}31m done.\n";
    let mut app = open(Path::new("esc.md"), text.into()).unwrap();
    let effects = app.update(Action::Resize(160, 24));
    let _ = whosaid::tui::effect::perform_alone(&mut app, effects);
    let s = screen(&app);
    assert!(
        s.contains("␛]52;c;ZXZpbA==␇ and ␛]0;title␇ and ␛[2J and �31m done."),
        "{s}"
    );
}

#[test]
fn escape_sequences_in_a_config_value() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.md"), "Sources said so.\n").unwrap();
    std::fs::write(
        dir.path().join("c.ron"),
        "(author: \"ed\\u{1b}]0;pwned\\u{7}\")",
    )
    .unwrap();
    let out = cli(dir.path())
        .env("WHOSAID_CONFIG", dir.path().join("c.ron"))
        .arg("config")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    // An author name with escapes is shown as stand-ins in the detail pane.
    let mut app = open(Path::new("d.md"), b"Sources said so.\n".to_vec()).unwrap();
    app.author = "ed\u{1b}]0;pwned\u{7}".into();
    let effects = app.update(Action::SetLevel(1));
    let _ = whosaid::tui::effect::perform_alone(&mut app, effects);
    let effects = app.update(Action::Resize(120, 30));
    let _ = whosaid::tui::effect::perform_alone(&mut app, effects);
    let s = screen(&app);
    assert!(s.contains("ed␛]0;pwned␇ · 2026-11-25"), "{s}");
}

#[test]
fn byte_order_marks_and_legacy_encodings() {
    let app = open(
        Path::new("bom.md"),
        b"\xef\xbb\xbfSources said so.\n".to_vec(),
    )
    .unwrap();
    assert_eq!(texts(&app), ["Sources"]);
    let s = screen(&app);
    assert!(
        s.contains("│▶○Sources said so.") && !s.contains('¦'),
        "the BOM is accepted and not drawn: {s}"
    );

    let dir = tempfile::tempdir().unwrap();
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("Sources said so.".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(dir.path().join("u16.txt"), utf16).unwrap();
    std::fs::write(
        dir.path().join("cp1252.txt"),
        b"\x93Sources said so,\x94 he wrote \x96 twice.",
    )
    .unwrap();
    for (file, says) in [
        (
            "u16.txt",
            "is UTF-16LE text; convert it with `iconv -f UTF-16LE -t UTF-8",
        ),
        (
            "cp1252.txt",
            "looks like WINDOWS-1252: convert it with `iconv -f WINDOWS-1252",
        ),
    ] {
        let out = cli(dir.path())
            .args(["scan", file])
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        assert!(one_sentence(&out).contains(says));
        assert!(!dir.path().join(format!("{file}.sources.ron")).exists());
    }
}

// --- Sidecars -----------------------------------------------------------------------------------

/// A draft with one saved judgement, and its sidecar's text.
fn saved_draft(dir: &Path) -> (PathBuf, String) {
    let path = dir.join("draft.md");
    std::fs::write(
        &path,
        "Sources said the port would close. A senior official said no.\n",
    )
    .unwrap();
    let detector = Detector::new(&Config::default());
    let (mut review, _) = open_draft(&path, None, Some(&detector)).unwrap();
    review.set_status(
        0,
        Status::Verified,
        &Stamp {
            author: "ed".into(),
            now: clock(),
        },
    );
    review.save().unwrap();
    let text = std::fs::read_to_string(sidecar::path_for(&path)).unwrap();
    (path, text)
}

enum Bad<'a> {
    Bytes(&'a [u8]),
    Directory,
}

/// Replaces a saved sidecar with something bad, opens the draft, and checks that the problem is
/// reported, the sidecar is never overwritten, and the editor's work is kept in memory.
fn refuses(bad: Bad, says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = saved_draft(dir.path());
    let side = sidecar::path_for(&path);
    match bad {
        Bad::Bytes(bytes) => std::fs::write(&side, bytes).unwrap(),
        Bad::Directory => {
            std::fs::remove_file(&side).unwrap();
            std::fs::create_dir(&side).unwrap();
        }
    }
    let before = std::fs::read(&side).ok();
    let detector = Detector::new(&Config::default());
    let (mut review, err) = open_draft(&path, None, Some(&detector)).unwrap();
    let err = err.expect("the sidecar problem is reported").to_string();
    assert!(err.contains(says), "{err}");
    review.set_status(
        1,
        Status::Disputed,
        &Stamp {
            author: "ed".into(),
            now: clock(),
        },
    );
    let refused = review.save().unwrap_err().to_string();
    assert!(refused.starts_with("not saved"), "{refused}");
    assert!(review.is_dirty());
    assert_eq!(std::fs::read(&side).ok(), before, "never overwritten");
}

/// A well-formed sidecar's text, to corrupt.
fn good_sidecar() -> String {
    let dir = tempfile::tempdir().unwrap();
    saved_draft(dir.path()).1
}

#[test]
fn truncated_sidecar() {
    let good = good_sidecar();
    refuses(
        Bad::Bytes(&good.as_bytes()[..good.len() / 2]),
        "draft.md.sources.ron:",
    );
}

#[test]
fn sidecar_with_wrong_types_or_unknown_fields() {
    let good = good_sidecar();
    refuses(
        Bad::Bytes(good.replacen("start: 0", "start: \"zero\"", 1).as_bytes()),
        "draft.md.sources.ron:",
    );
    refuses(
        Bad::Bytes(
            good.replacen("note: \"\"", "note: \"\", mood: \"calm\"", 1)
                .as_bytes(),
        ),
        "mood",
    );
    refuses(
        Bad::Bytes(
            good.replacen("\"verified\"", "\"pretty sure\"", 1)
                .as_bytes(),
        ),
        "unknown status",
    );
}

#[test]
fn sidecar_from_a_newer_version() {
    refuses(
        Bad::Bytes(b"(version: 3, annotations: [], shiny: true)"),
        "version 3",
    );
}

#[test]
fn sidecar_that_is_not_ron_or_not_text() {
    refuses(
        Bad::Bytes(b"{\"version\": 1, \"annotations\": []}"),
        "draft.md.sources.ron:1:",
    );
    refuses(Bad::Bytes(b"\x00\x01\x02\xff binary"), "not UTF-8");
}

#[test]
fn deeply_nested_sidecar() {
    let deep = format!(
        "(version: 1, annotations: [], extra: {}",
        "[".repeat(100_000)
    );
    refuses(Bad::Bytes(deep.as_bytes()), "draft.md.sources.ron:");
}

#[test]
fn a_sidecar_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = saved_draft(dir.path());
    let side = sidecar::path_for(&path);
    let f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&side)
        .unwrap();
    // Sparse: no disk and no memory, and refused by its size before a byte is read.
    f.set_len(sidecar::MAX_BYTES + 1).unwrap();
    drop(f);
    let (_, err) = open_draft(&path, None, None).unwrap();
    let err = err.unwrap().to_string();
    assert!(
        err.contains("larger than 1 GiB") && err.contains("it was not read"),
        "{err}"
    );
    assert_eq!(
        std::fs::metadata(&side).unwrap().len(),
        sidecar::MAX_BYTES + 1
    );
}

/// Whatever whosaid writes it reads back: a draft of the largest size it opens can hold a source
/// every kilobyte, each annotation about a kilobyte, so a sidecar of tens of MiB is an ordinary
/// one. (The limit was 64 MiB, under the 96 MiB sidecar of a fully judged 100 MB draft, which
/// whosaid wrote and then refused to open.)
#[test]
fn a_sidecar_of_more_than_64_mib_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = saved_draft(dir.path());
    let side = sidecar::path_for(&path);
    let mut text = std::fs::read_to_string(&side).unwrap();
    // RON allows any amount of trailing whitespace: the size of a large sidecar, cheaply.
    text.push_str(&" ".repeat(65 << 20));
    std::fs::write(&side, text).unwrap();
    let (review, err) = open_draft(&path, None, None).unwrap();
    assert!(err.is_none(), "{err:?}");
    assert!(!review.annotations.is_empty());
}

#[test]
fn sidecar_that_is_a_directory() {
    refuses(Bad::Directory, "is a folder, not a sidecar file");
}

#[cfg(unix)]
#[test]
fn unreadable_sidecar() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = saved_draft(dir.path());
    let side = sidecar::path_for(&path);
    std::fs::set_permissions(&side, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&side).is_ok() {
        // Running as root: permissions do not stop reads, so there is nothing to test here.
        eprintln!("skipped: permissions do not apply to this user");
        return;
    }
    let (_, err) = open_draft(&path, None, None).unwrap();
    assert!(err.unwrap().to_string().contains("cannot read"));
}

#[test]
fn save_fails_when_the_folder_is_gone_and_the_work_stays() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("story");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("draft.md");
    std::fs::write(&path, "Sources said so.\n").unwrap();
    let mut app = open(&path, std::fs::read(&path).unwrap()).unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    let effects = app.update(Action::SetLevel(2));
    let _ = whosaid::tui::effect::perform_alone(&mut app, effects);
    let effects = app.update(Action::Save);
    let _ = whosaid::tui::effect::perform_alone(&mut app, effects);
    assert!(
        matches!(&app.banner, Some(whosaid::tui::Banner::Error(m)) if m.starts_with("not saved: cannot write")),
        "{:?}",
        app.banner
    );
    assert!(app.review.is_dirty() && !app.should_quit);
    assert_eq!(app.review.status(0), Status::Corroborated);
}

// --- What reaches the terminal, byte by byte ------------------------------------------------------

/// Collects what the backend writes.
#[derive(Clone, Default)]
struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn frames_written_to_a_real_terminal_backend_carry_no_sequence_from_the_input() {
    let text = "Sources said \x1b]52;c;ZXZpbA==\x07 \x1b]0;title\x07 \x1b[2J \x1bP+q\x1b\\ \u{9b}31m \u{9d}8;;x\u{9c} \u{202e}x.\n";
    let mut app = open(Path::new("evil\x1b]0;t\x07.md"), text.into()).unwrap();
    let effects = app.update(Action::OpenNote);
    let _ = whosaid::tui::effect::perform_alone(&mut app, effects);
    let sink = Sink::default();
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(sink.clone()),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    terminal.draw(|f| draw::draw(f, &app)).unwrap();
    let out = String::from_utf8(sink.0.borrow().clone()).expect("frames are UTF-8");
    // The backend's own sequences are CSI cursor moves and colours; nothing else may appear.
    let mut rest = out.as_str();
    while let Some(i) = rest.find('\u{1b}') {
        let seq = &rest[i..];
        assert!(
            seq.starts_with("\u{1b}["),
            "non-CSI escape {:?}",
            &seq[..seq.len().min(12)]
        );
        let end = seq[2..]
            .find(|c: char| c.is_ascii_alphabetic())
            .expect("CSI final byte")
            + 2;
        assert!(
            matches!(&seq[end..=end], "H" | "m" | "J" | "K" | "h" | "l"),
            "unexpected CSI {:?}",
            &seq[..=end]
        );
        assert!(
            !seq[..=end].contains("2J"),
            "a clear-screen reached the terminal"
        );
        rest = &seq[end + 1..];
    }
    assert!(!out.contains('\u{7}') && !out.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)));
    assert!(out.contains("␛]52;c;ZXZpbA==␇"));
}

/// A draft or sidecar that is not a regular file — a committed symlink to `/dev/zero`, a named
/// pipe — is refused unread with one sentence, never read without end or waited on.
#[cfg(unix)]
#[test]
fn devices_and_pipes_are_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.md")).unwrap();
    let fifo = dir.path().join("pipe.md");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (file, says) in [
        ("zero.md", "zero.md is a device, not a text file"),
        ("pipe.md", "pipe.md is a named pipe, not a text file"),
    ] {
        let out = cli(dir.path())
            .args(["scan", file])
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        assert!(
            one_sentence(&out).contains(says),
            "{}",
            String::from_utf8_lossy(&out)
        );
    }
    std::fs::write(dir.path().join("d.md"), "Sources said so.\n").unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("d.md.sources.ron")).unwrap();
    let out = cli(dir.path())
        .args(["check", "d.md"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        one_sentence(&out).contains("d.md.sources.ron is a device, not a sidecar file"),
        "{}",
        String::from_utf8_lossy(&out)
    );
}

/// A draft over the size limit is refused by name of the limit, unread (a sparse file, so the
/// test writes nothing).
#[test]
fn a_draft_over_the_limit_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(dir.path().join("huge.md")).unwrap();
    f.set_len(whosaid::article::MAX_BYTES + 1).unwrap();
    let out = cli(dir.path())
        .args(["scan", "huge.md"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        one_sentence(&out).contains("huge.md is larger than 1 GiB, the most a draft may be"),
        "{}",
        String::from_utf8_lossy(&out)
    );
}

/// A sidecar that was unreadable when the draft was opened is read again at every save: once it
/// is fixed the save goes through, merged with what it holds; once it is moved away, the save
/// writes a new one. While it is still broken, it is refused and left alone.
#[test]
fn a_fixed_or_removed_sidecar_is_saved_to_at_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let (path, good) = saved_draft(dir.path());
    let side = sidecar::path_for(&path);
    std::fs::write(&side, &good[..good.len() / 2]).unwrap();
    let detector = Detector::new(&Config::default());
    let (mut review, err) = open_draft(&path, None, Some(&detector)).unwrap();
    assert!(err.is_some());
    let stamp = Stamp {
        author: "ed".into(),
        now: clock(),
    };
    review.set_status(1, Status::Disputed, &stamp);
    assert!(review.save().is_err(), "still broken: refused");
    assert_eq!(
        std::fs::read_to_string(&side).unwrap(),
        good[..good.len() / 2]
    );
    // Fixed by a colleague: the save merges with it.
    std::fs::write(&side, &good).unwrap();
    review.save().unwrap();
    let text = std::fs::read_to_string(&side).unwrap();
    assert!(
        text.contains("status: \"verified\"") && text.contains("status: \"disputed\""),
        "{text}"
    );
    // Moved away: the next change is saved to a new file.
    std::fs::rename(&side, dir.path().join("moved.ron")).unwrap();
    let (mut review, err) = {
        std::fs::write(&side, "(broken").unwrap();
        open_draft(&path, None, Some(&detector)).unwrap()
    };
    assert!(err.is_some());
    std::fs::remove_file(&side).unwrap();
    review.set_status(0, Status::Unverified, &stamp);
    review.save().unwrap();
    assert!(
        std::fs::read_to_string(&side)
            .unwrap()
            .contains("status: \"unverified\"")
    );
}
