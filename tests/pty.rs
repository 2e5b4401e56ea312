//! End to end: the real binary in a pseudo-terminal, driven by key presses, its screen read back
//! through a terminal emulator. Slow compared with the state tests, so only the journeys that
//! matter most live here.

#![cfg(unix)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;
const PATIENCE: Duration = Duration::from_secs(20);

struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    fn start(dir: &Path, args: &[&str]) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_whosaid"));
        for a in args {
            cmd.arg(a);
        }
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        // No user config and no WHOSAID_CONFIG: a newsroom's .whosaid.ron is found by walking up.
        cmd.env_remove("WHOSAID_CONFIG");
        cmd.env("HOME", dir);
        cmd.env("XDG_CONFIG_HOME", dir);
        cmd.env("WHOSAID_DATA_DIR", dir.join("data"));
        cmd.env("USER", "pty-tester");
        let child = pair.slave.spawn_command(cmd).expect("spawn whosaid");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero size");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(size(ROWS), size(COLS), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (Arc::clone(&screen), Arc::clone(&raw));
        std::thread::spawn(move || {
            // Keep the master open for as long as the reader runs.
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Self {
            child,
            writer,
            screen,
            raw,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.contents().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("{needle:?} never appeared; screen:\n{}", self.contents());
    }

    /// Sends bytes as typed keys, pausing so a lone Esc is read as the Esc key.
    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(120));
    }

    fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = self.child.kill();
        panic!("whosaid did not exit; screen:\n{}", self.contents());
    }
}

const DRAFT: &str = "\
Port sale nears as regulators weigh objections

The sale could be agreed this week, according to people familiar with the matter.
An unnamed US official said the fund had not yet filed its papers.
Sources said the union was not consulted.
";

#[test]
fn tag_note_save_quit_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();

    let mut s = Session::start(dir.path(), &["--author", "ana", "draft.md"]);
    s.wait_for("3 sources · 0 tagged · 3 untagged · 0 dismissed");
    s.keys("2");
    s.keys("\t");
    s.keys("5");
    s.keys("e");
    s.keys("Named to the desk");
    s.keys("\x1b");
    s.wait_for("2 tagged · 1 untagged");
    s.keys("s");
    s.wait_for("saved draft.md.sources.ron");
    s.keys("q");
    assert!(s.wait_exit(), "clean exit");
    // The terminal is given back: the alternate screen is left on the way out.
    assert!(
        s.raw
            .lock()
            .unwrap()
            .windows(8)
            .any(|w| w == b"\x1b[?1049l")
    );

    let sidecar = std::fs::read_to_string(dir.path().join("draft.md.sources.ron")).unwrap();
    assert!(sidecar.contains("status: \"corroborated\""), "{sidecar}");
    assert!(sidecar.contains("status: \"disputed\""), "{sidecar}");
    assert!(sidecar.contains("note: \"Named to the desk\""), "{sidecar}");
    assert!(sidecar.contains("author: \"ana\""), "{sidecar}");

    let mut again = Session::start(dir.path(), &["draft.md"]);
    again.wait_for("3 sources · 2 tagged · 1 untagged · 0 dismissed");
    again.keys("\t");
    again.wait_for("Named to the desk");
    again.keys("q");
    assert!(again.wait_exit());
}

#[test]
fn quitting_with_unsaved_work_asks_and_discard_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scan"), DRAFT).unwrap();
    // `./scan` is the file called scan, not the subcommand.
    let mut s = Session::start(dir.path(), &["./scan"]);
    s.wait_for("3 sources");
    s.keys("1");
    s.keys("q");
    s.wait_for("Quit without saving?");
    s.keys("\x1b");
    s.keys("q");
    s.wait_for("Quit without saving?");
    s.keys("d");
    assert!(s.wait_exit());
    assert!(!dir.path().join("scan.sources.ron").exists());
}

#[test]
fn work_survives_the_process_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();
    let mut s = Session::start(dir.path(), &["draft.md"]);
    s.wait_for("3 sources · 0 tagged");
    s.keys("4");
    s.keys("\t");
    s.keys("x");
    s.wait_for("1 tagged · 1 untagged · 1 dismissed");
    // Longer than the autosave interval, then no chance to clean up.
    std::thread::sleep(std::time::Duration::from_millis(3000));
    s.child.kill().unwrap();
    let _ = s.child.wait();
    assert!(!dir.path().join("draft.md.sources.ron").exists());

    let mut again = Session::start(dir.path(), &["draft.md"]);
    again.wait_for("recovered unsaved work from");
    again.wait_for("3 sources · 1 tagged · 1 untagged · 1 dismissed");
    again.wait_for("unsaved");
    again.keys("s");
    again.wait_for("saved draft.md.sources.ron");
    again.keys("q");
    assert!(again.wait_exit());
    let sidecar = std::fs::read_to_string(dir.path().join("draft.md.sources.ron")).unwrap();
    assert!(
        sidecar.contains("status: \"unverified\"") && sidecar.contains("status: \"dismissed\""),
        "{sidecar}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("data"))
        .unwrap()
        .collect();
    assert!(
        leftovers.is_empty(),
        "the recovery file is removed once saved"
    );
}

/// Two editors open one draft: the second is read-only and says who has it; when the first saves
/// and quits, the second takes over, and its save merges with the first's.
#[test]
fn a_second_session_waits_its_turn_and_its_save_merges() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();
    let mut first = Session::start(dir.path(), &["--author", "ana", "draft.md"]);
    first.wait_for("3 sources · 0 tagged");
    let mut second = Session::start(dir.path(), &["--author", "ben", "draft.md"]);
    second.wait_for("read-only: the draft is open in ana");
    second.wait_for("read-only");
    second.keys("2");
    second.wait_for("read-only: the draft is open in ana");
    first.keys("1s");
    first.wait_for("saved draft.md.sources.ron");
    first.keys("q");
    assert!(first.wait_exit());
    // ana's session is gone: one T takes over.
    second.keys("T");
    second.wait_for("took over");
    second.keys("\t3s");
    second.wait_for("merged with changes saved meanwhile");
    second.wait_for("2 tagged");
    second.keys("q");
    assert!(second.wait_exit());
    let sidecar = std::fs::read_to_string(dir.path().join("draft.md.sources.ron")).unwrap();
    assert!(
        sidecar.contains("status: \"verified\"") && sidecar.contains("status: \"single-source\""),
        "{sidecar}"
    );
    assert!(!dir.path().join(".draft.md.sources.lock").exists());
}

/// `whosaid draft.md`, a bare name run from the draft's folder, reviews under the `.whosaid.ron`
/// there: its scale on screen and in the sidecar, its author on the annotations.
#[test]
fn a_bare_file_name_is_reviewed_under_the_working_folders_newsroom_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();
    std::fs::write(
        dir.path().join(".whosaid.ron"),
        "(scale: [\"confirmed\", \"probable\", \"doubtful\"], author: \"desk\")",
    )
    .unwrap();
    let mut s = Session::start(dir.path(), &["draft.md"]);
    s.wait_for("3 sources · 0 tagged");
    s.keys("3");
    s.wait_for("doubtful");
    s.keys("s");
    s.wait_for("saved draft.md.sources.ron");
    s.keys("q");
    assert!(s.wait_exit());
    let sidecar = std::fs::read_to_string(dir.path().join("draft.md.sources.ron")).unwrap();
    assert!(sidecar.contains("status: \"doubtful\""), "{sidecar}");
    assert!(sidecar.contains("author: \"desk\""), "{sidecar}");
}

/// A sidecar that was broken when the draft was opened is saved to once it is fixed: the save
/// reads it again and merges, in the same session, without reopening.
#[test]
fn a_sidecar_fixed_during_the_session_is_saved_to() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();
    let side = dir.path().join("draft.md.sources.ron");
    std::fs::write(&side, "(version: 2, annotations: [").unwrap();
    let mut s = Session::start(dir.path(), &["draft.md"]);
    s.wait_for("sidecar unreadable");
    s.keys("1");
    s.keys("s");
    s.wait_for("not saved");
    std::fs::remove_file(&side).unwrap();
    s.keys("s");
    s.wait_for("saved draft.md.sources.ron");
    s.keys("q");
    assert!(s.wait_exit());
    let text = std::fs::read_to_string(&side).unwrap();
    assert!(text.contains("status: \"verified\""), "{text}");
}

/// A note holding a zero-width non-joiner and a direction mark keeps them through an edit in
/// the real program, while the screen shows only their stand-ins.
#[test]
fn editing_a_note_keeps_the_characters_the_editor_wrote() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();
    let mut s = Session::start(dir.path(), &["draft.md"]);
    s.wait_for("3 sources");
    s.keys("e");
    s.keys("ab\u{200c}c \u{200e}d");
    s.keys("\x1b");
    s.keys("e");
    s.wait_for("ab¦c ⇄d");
    s.keys("!");
    s.keys("\x1b");
    s.keys("s");
    s.wait_for("saved draft.md.sources.ron");
    s.keys("q");
    assert!(s.wait_exit());
    let text = std::fs::read_to_string(dir.path().join("draft.md.sources.ron")).unwrap();
    assert!(
        // RON writes invisible characters as escapes; what matters is that they are there.
        text.contains(r#"note: "ab\u{200c}c \u{200e}d!""#),
        "{text}"
    );
}

/// After a second session takes the draft over (T twice), the first notices at its next change,
/// says so and saves nothing; the second's save stands.
#[test]
fn a_session_whose_lock_was_taken_over_stops_saving() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), DRAFT).unwrap();
    let mut first = Session::start(dir.path(), &["--author", "ana", "draft.md"]);
    first.wait_for("3 sources · 0 tagged");
    let mut second = Session::start(dir.path(), &["--author", "ben", "draft.md"]);
    second.wait_for("read-only: the draft is open in ana");
    second.keys("T");
    second.keys("T");
    second.wait_for("took over");
    first.keys("1");
    first.wait_for("ben (process");
    first.wait_for("took the draft over");
    first.keys("s");
    second.keys("5s");
    second.wait_for("saved draft.md.sources.ron");
    second.keys("q");
    assert!(second.wait_exit());
    first.keys("q");
    first.keys("d");
    assert!(first.wait_exit());
    let text = std::fs::read_to_string(dir.path().join("draft.md.sources.ron")).unwrap();
    assert!(
        text.contains("status: \"disputed\"") && !text.contains("status: \"verified\""),
        "{text}"
    );
}

/// An argument holding an escape sequence (a file name picked up by a glob) is never echoed raw
/// in clap's error on a terminal.
#[test]
fn an_escape_sequence_in_an_argument_never_reaches_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start(dir.path(), &["scan", "--format=\x1b]0;pwned\x07x.md"]);
    let _ = s.wait_exit();
    // The child can exit before the reader thread has drained the terminal: wait for the error.
    let start = Instant::now();
    while start.elapsed() < PATIENCE
        && !String::from_utf8_lossy(&s.raw.lock().unwrap()).contains("invalid value")
    {
        std::thread::sleep(Duration::from_millis(25));
    }
    let raw = s.raw.lock().unwrap().clone();
    assert!(
        !raw.windows(4).any(|w| w == b"\x1b]0;"),
        "{:?}",
        String::from_utf8_lossy(&raw)
    );
    assert!(String::from_utf8_lossy(&raw).contains("invalid value"));
}

/// A note on "the source" whose paragraph was deleted is reopened as an orphan in the real
/// program, not as a judgement of "the source familiar with the matter" further down.
#[test]
fn a_deleted_paragraphs_note_reopens_as_an_orphan() {
    use whosaid::review::Stamp;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    let first = "The board moved to protect its adviser, the source, who told reporters the deal was off.\n\n";
    let rest = "The sale could be delayed, the source familiar with the matter said on Monday.\n";
    std::fs::write(&path, format!("Port talks stall\n\n{first}{rest}")).unwrap();
    let detector = whosaid::detect::Detector::new(&whosaid::config::Config::default());
    let (mut review, _) = whosaid::review::open_draft(&path, None, Some(&detector)).unwrap();
    let text = review.article().text().to_owned();
    let at = text.find("the source,").unwrap();
    let stamp = Stamp {
        author: "ana".into(),
        now: "2026-11-25T10:00:00Z".into(),
    };
    let i = review
        .add_manual(at, at + "the source".len(), &stamp)
        .unwrap();
    review.set_note(i, "The adviser, named to the desk.", &stamp);
    review.save().unwrap();
    std::fs::write(&path, format!("Port talks stall\n\n{rest}")).unwrap();

    let mut s = Session::start(dir.path(), &["draft.md"]);
    s.wait_for("1 sources · 0 tagged · 1 untagged");
    s.wait_for("1 orphaned");
    s.keys("q");
    assert!(s.wait_exit());
}
