//! Whole-program benchmarks for the figures in docs/performance.md: `cargo bench --bench bench`.
//!
//! Each figure times real work on generated news prose (benches/support/generate.rs) and prints a
//! Markdown table. Medians of several runs; the machine and the command are in the doc.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/lsp_client.rs"]
mod lsp_client;

use std::path::Path;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use whosaid::article::Article;
use whosaid::config::Config;
use whosaid::detect::{Detector, Format};
use whosaid::judgement::Status;
use whosaid::review::{Review, Stamp};
use whosaid::sidecar::{self, OnDisk};
use whosaid::tui::{App, draw};

const MB: usize = 1 << 20;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// Peak resident memory of this process so far, from /proc (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn clock() -> String {
    "2026-01-01T00:00:00Z".to_owned()
}

/// Opens a draft in the review screen as the binary does (read, detect, merge, first frame).
fn open_app(path: &Path) -> (App, Terminal<TestBackend>) {
    let detector = Detector::new(&Config::default());
    let (review, _) =
        whosaid::review::open_draft(path, None, Some(&detector)).expect("draft loads");
    let app = App::new(review, "bench".into(), clock, (120, 40));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    terminal.draw(|f| draw::draw(f, &app)).expect("draw");
    (app, terminal)
}

/// Opens a draft the way the binary opens a large one: first frame at once, scan on a thread.
/// Returns the time to the first frame and to the frame with the counts.
fn open_in_background(path: &Path) -> (Duration, Duration) {
    let start = Instant::now();
    let (review, _) = whosaid::review::open_draft(path, None, None).expect("draft loads");
    let mut app = App::new(review, "bench".into(), clock, (120, 40));
    let (tx, rx) = std::sync::mpsc::channel();
    let shared = app.review.shared_article();
    std::thread::spawn(move || {
        let detector = Detector::new(&Config::default());
        let _ = tx.send(detector.detect_as(shared.text(), shared.format()));
    });
    app.scan = Some(rx);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    terminal.draw(|f| draw::draw(f, &app)).expect("draw");
    let first = start.elapsed();
    while !app.poll_scan() {
        std::thread::sleep(Duration::from_millis(1));
    }
    terminal.draw(|f| draw::draw(f, &app)).expect("draw");
    (first, start.elapsed())
}

fn main() {
    // Run as a child to measure one open's peak memory on its own.
    if let Ok(path) = std::env::var("WHOSAID_BENCH_MEMORY") {
        let before = peak_rss_kib().unwrap_or(0);
        let _kept = open_app(Path::new(&path));
        println!("{} {}", before, peak_rss_kib().unwrap_or(0));
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let detector = Detector::new(&Config::default());
    // `WHOSAID_BENCH_ONLY=sidecars` runs only the sidecar, re-anchoring and merge sections, on the
    // same 10 MB draft, and `WHOSAID_BENCH_ONLY=archive` only the archive scan, for quick work on
    // those.
    if std::env::var("WHOSAID_BENCH_ONLY").as_deref() == Ok("archive") {
        archive(&dir);
        return;
    }
    // `WHOSAID_BENCH_ONLY=draft WHOSAID_BENCH_OUT=FILE` writes the generated 2 MB draft, the input
    // of the instruction counts in docs/performance.md, and stops.
    if std::env::var("WHOSAID_BENCH_ONLY").as_deref() == Ok("draft") {
        let out = std::env::var("WHOSAID_BENCH_OUT").expect("WHOSAID_BENCH_OUT names the file");
        std::fs::write(&out, generate::draft(2 * MB, 100, 7)).expect("write draft");
        return;
    }
    if std::env::var("WHOSAID_BENCH_ONLY").as_deref() == Ok("lsp") {
        language_server(&dir);
        return;
    }
    if std::env::var("WHOSAID_BENCH_ONLY").as_deref() == Ok("sidecars") {
        let path = dir.path().join("draft-10mb.md");
        std::fs::write(&path, generate::draft(10 * MB, 100, 7)).expect("write draft");
        sidecars(&dir, &path, &detector);
        return;
    }
    let path = detector_throughput(&dir, &detector);
    review_screen(&dir, &path);
    archive(&dir);
    sidecars(&dir, &path, &detector);
}

/// The detector alone on 1, 10 and 100 MB, and ripgrep on the same files; returns the 10 MB
/// draft's path.
fn detector_throughput(dir: &tempfile::TempDir, detector: &Detector) -> std::path::PathBuf {
    println!("## Detector throughput (single thread)\n");
    println!("| draft | findings | median time | throughput |");
    println!("|---|---|---|---|");
    let mut ten_mb_path = None;
    // Many runs of the small draft: each is a few milliseconds, which one slow spell can double.
    for (size, runs) in [(MB, 51), (10 * MB, 9), (100 * MB, 3)] {
        let text = generate::draft(size, 100, 7);
        let path = dir.path().join(format!("draft-{}mb.md", size / MB));
        std::fs::write(&path, &text).expect("write draft");
        if size == 10 * MB {
            ten_mb_path = Some(path.clone());
        }
        let mut times = Vec::new();
        // One run first, untimed, so the caches and the allocator are warm for the timed ones.
        let mut n = detector.detect(&text).len();
        for _ in 0..runs {
            let (t, found) = time(|| detector.detect(&text));
            n = found.len();
            times.push(t);
        }
        let t = median(times);
        println!(
            "| {} MB, {} lines | {n} | {} | {:.1} MB/s |",
            size / MB,
            text.lines().count(),
            ms(t),
            text.len() as f64 / t.as_secs_f64() / 1e6
        );
        if let Some(rg) = which("rg") {
            let words = descriptor_alternation();
            let mut rg_times = Vec::new();
            for _ in 0..runs {
                let (t, _) = time(|| {
                    std::process::Command::new(&rg)
                        .args(["-c", "-i", "-w", "-j1", &words])
                        .arg(&path)
                        .output()
                        .expect("rg runs")
                });
                rg_times.push(t);
            }
            let r = median(rg_times);
            println!(
                "| ↳ ripgrep, same file, descriptor words | | {} | {:.1} MB/s (whosaid takes {:.1}×) |",
                ms(r),
                text.len() as f64 / r.as_secs_f64() / 1e6,
                t.as_secs_f64() / r.as_secs_f64()
            );
        }
    }
    // The same draft as the review screen reads a `.md` file.
    let ten =
        std::fs::read_to_string(ten_mb_path.as_ref().expect("10 MB draft written")).expect("draft");
    let mut md = Vec::new();
    for _ in 0..9 {
        let (t, _) = time(|| detector.detect_as(&ten, Format::Markdown));
        md.push(t);
    }
    let t = median(md);
    println!(
        "| 10 MB read as Markdown (code, HTML and front matter skipped) | | {} | {:.1} MB/s |",
        ms(t),
        ten.len() as f64 / t.as_secs_f64() / 1e6
    );
    drop(ten);
    if which("rg").is_none() {
        println!("\n(ripgrep not found: `cargo install ripgrep` to compare)");
    }

    ten_mb_path.expect("10 MB draft written")
}

/// Opening the 10 MB draft, key presses on it, a one-line draft, and the memory of an open.
fn review_screen(dir: &tempfile::TempDir, path: &Path) {
    println!("\n## Review screen on the 10 MB draft (120x40, TestBackend)\n");
    let (mut firsts, mut counted) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let (first, done) = open_in_background(path);
        firsts.push(first);
        counted.push(done);
    }
    println!(
        "- open to first frame, as the binary opens a draft over 1 MiB (read, merge, draw; the scan on another thread): median {}",
        ms(median(firsts))
    );
    println!(
        "- open to the frame with the counts (the scan finished): median {}",
        ms(median(counted))
    );
    let mut opens = Vec::new();
    for _ in 0..5 {
        let (t, _) = time(|| open_app(path));
        opens.push(t);
    }
    println!(
        "- open with the scan before the first frame (as for drafts up to 1 MiB): median {}",
        ms(median(opens))
    );
    let (mut app, mut terminal) = open_app(path);
    key_presses(
        &mut app,
        &mut terminal,
        &[
            ("Tab (next source)", KeyCode::Tab),
            ("j (scroll)", KeyCode::Char('j')),
            ("PgDn", KeyCode::PageDown),
            ("G / g (ends)", KeyCode::Char('G')),
        ],
        400,
    );
    long_line(dir);

    let child = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env("WHOSAID_BENCH_MEMORY", path)
        .output()
        .expect("child runs");
    let out = String::from_utf8_lossy(&child.stdout);
    let mut parts = out.split_whitespace().filter_map(|p| p.parse::<u64>().ok());
    if let (Some(_), Some(peak)) = (parts.next(), parts.next()) {
        let size = std::fs::metadata(path).expect("draft").len();
        println!(
            "- peak memory of a process that opened it: {:.1} MiB for a {:.1} MiB draft ({:.2}× the file)",
            peak as f64 / 1024.0,
            size as f64 / MB as f64,
            peak as f64 * 1024.0 / size as f64
        );
    }
}

/// `whosaid scan` over an archive of small drafts, on one core and on two.
fn archive(dir: &tempfile::TempDir) {
    println!("\n## Archive scan: 10,000 drafts of about 5 KB, `whosaid scan` (release binary)\n");
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).expect("archive folder");
    let mut names = Vec::new();
    for i in 0..10_000 {
        let name = archive.join(format!("story-{i:05}.md"));
        std::fs::write(&name, generate::draft(5_000, 100, i)).expect("write draft");
        names.push(name);
    }
    let total: u64 = names
        .iter()
        .map(|n| std::fs::metadata(n).expect("draft").len())
        .sum();
    let run = |threads: &str| {
        let (t, out) = time(|| {
            std::process::Command::new(env!("CARGO_BIN_EXE_whosaid"))
                .arg("scan")
                .args(&names)
                .env("RAYON_NUM_THREADS", threads)
                .env_remove("WHOSAID_CONFIG")
                .env("XDG_CONFIG_HOME", dir.path())
                .output()
                .expect("whosaid runs")
        });
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        t
    };
    // One and two threads take turns, so a slow spell on this shared machine falls on both.
    let (mut one, mut two) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        one.push(run("1"));
        two.push(run("2"));
    }
    let mut rates = Vec::new();
    for (threads, times) in [("1", one), ("2", two)] {
        let t = median(times);
        let rate = total as f64 / t.as_secs_f64() / 1e6;
        rates.push(rate);
        println!(
            "- {threads} thread(s): median {} for {:.1} MB, {rate:.1} MB/s",
            ms(t),
            total as f64 / 1e6
        );
    }
    println!("- speed-up on 2 cores: {:.2}×", rates[1] / rates[0]);
}

/// Times `presses` of each key, from the press to the finished frame; `G` alternates with `g`.
fn key_presses(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    keys: &[(&str, KeyCode)],
    presses: usize,
) {
    for &(name, code) in keys {
        let mut times = Vec::new();
        for k in 0..presses {
            let code = if code == KeyCode::Char('G') && k % 2 == 1 {
                KeyCode::Char('g')
            } else {
                code
            };
            let (t, _) = time(|| {
                let _ = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
                terminal.draw(|f| draw::draw(f, app)).expect("draw");
            });
            times.push(t);
        }
        let max = *times.iter().max().expect("times");
        println!(
            "- key to finished frame, {name}: median {}, max {}",
            ms(median(times)),
            ms(max)
        );
    }
}

/// A draft that is one line of 10 MB (an export with its line breaks lost): opening it, and a
/// key press deep inside it.
fn long_line(dir: &tempfile::TempDir) {
    let text = generate::draft(10 * MB, 100, 7).replace('\n', " ");
    let path = dir.path().join("one-line.md");
    std::fs::write(&path, &text).expect("write draft");
    println!("\n## Review screen on a 10 MB draft that is one line (120x40, TestBackend)\n");
    let mut opens = Vec::new();
    for _ in 0..3 {
        let (t, _) = time(|| open_app(&path));
        opens.push(t);
    }
    println!(
        "- open with the scan before the first frame: median {}",
        ms(median(opens))
    );
    let (mut app, mut terminal) = open_app(&path);
    // From the end of the line: every row above would once have been wrapped again per key.
    let _ = app.handle_key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::NONE));
    key_presses(
        &mut app,
        &mut terminal,
        &[
            ("Tab (next source)", KeyCode::Tab),
            ("j (scroll)", KeyCode::Char('j')),
            ("PgDn", KeyCode::PageDown),
            ("PgUp", KeyCode::PageUp),
            ("G / g (ends)", KeyCode::Char('G')),
        ],
        200,
    );
}

fn sidecars(dir: &tempfile::TempDir, path: &Path, detector: &Detector) {
    println!("\n## Sidecars\n");
    for wanted in [100, 1_000, 10_000] {
        let article = Article::load(path).expect("draft");
        let findings = detector.detect(article.text());
        let (mut review, _) = Review::load(article, findings);
        let stamp = Stamp {
            author: "bench".into(),
            now: clock(),
        };
        let n = review.sources.len().min(wanted);
        for i in 0..n {
            review.set_status(i, Status::LEVELS[i % 5], &stamp);
            review.set_note(i, "Checked with the desk; second source pending.", &stamp);
        }
        let file = review.to_sidecar();
        let side = dir.path().join(format!("big-{n}.sources.ron"));
        let mut saves = Vec::new();
        let mut loads = Vec::new();
        let mut serialising = Vec::new();
        let mut parsing = Vec::new();
        let mut on_disk = OnDisk::Missing;
        for _ in 0..7 {
            let (t, d) = time(|| sidecar::save(&side, &file, &on_disk).expect("save"));
            on_disk = d;
            saves.push(t);
            let (t, _) = time(|| sidecar::load(&side).expect("load"));
            loads.push(t);
            let (t, text) = time(|| sidecar::to_text(&file));
            serialising.push(t);
            let (t, _) = time(|| sidecar::parse(&side, &text).expect("parse"));
            parsing.push(t);
        }
        let bytes = std::fs::metadata(&side).expect("sidecar").len();
        println!(
            "- {n} annotations, {:.2} MiB: save (serialise, write, fsync, rename) median {} (serialising alone {}), load (read, parse) median {} (parsing alone {})",
            bytes as f64 / MB as f64,
            ms(median(saves)),
            ms(median(serialising)),
            ms(median(loads)),
            ms(median(parsing))
        );
        if n >= 10_000 {
            reanchoring(path, &file, detector);
        }
    }
}

/// Opening a draft whose 10,000 annotations must find their text again, after the kinds of
/// edit drafts get; and merging two editors' versions of that sidecar.
fn reanchoring(path: &Path, file: &whosaid::sidecar::SidecarFile, detector: &Detector) {
    let text = std::fs::read_to_string(path).expect("draft");
    let n = file.annotations.len();
    println!("\n## Re-anchoring {n} annotations\n");
    println!(
        "| the draft since the sidecar was written | median open | anchored | moved | orphaned |"
    );
    println!("|---|---|---|---|---|");
    // Every hundredth quote gets a letter changed: the fuzzy path.
    let mut edited_quotes = text.clone();
    for a in file.annotations.iter().step_by(100).rev() {
        let at = a.anchor.start + a.anchor.quote.len() / 2;
        if edited_quotes.is_char_boundary(at) && edited_quotes.is_char_boundary(at + 1) {
            edited_quotes.replace_range(at..at + 1, "#");
        }
    }
    let cases = [
        ("unchanged", text.clone()),
        (
            "a paragraph added at the top",
            format!("A new first paragraph.\n\n{text}"),
        ),
        ("1% of the quotes edited", edited_quotes),
    ];
    for (what, draft) in cases {
        let findings = detector.detect(&draft);
        let mut times = Vec::new();
        let mut review = None;
        for _ in 0..5 {
            let article = Article::new(Path::new("draft.md"), draft.clone());
            let (t, (r, _)) = time(|| {
                Review::open(
                    article,
                    findings.clone(),
                    Ok((file.clone(), OnDisk::Missing)),
                )
            });
            times.push(t);
            review = Some(r);
        }
        let r = review.expect("ran");
        let orphaned = r.orphans().len();
        let moved = r.moved();
        println!(
            "| {what} | {} | {} | {moved} | {orphaned} |",
            ms(median(times)),
            n - moved - orphaned
        );
    }
    // Two editors each change a different tenth of the annotations.
    let mut ours = file.clone();
    let mut theirs = file.clone();
    for (i, a) in ours
        .annotations
        .iter_mut()
        .enumerate()
        .filter(|(i, _)| i % 10 == 0)
    {
        a.note = format!("ours {i}");
    }
    for (_, a) in theirs
        .annotations
        .iter_mut()
        .enumerate()
        .filter(|(i, _)| i % 10 == 5)
    {
        a.status = Status::Disputed;
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        let (t, m) = time(|| whosaid::sidecar::merge::merge(file, &ours, &theirs));
        assert!(m.conflicts.is_empty());
        times.push(t);
    }
    println!(
        "\nMerging two versions of the {n}-annotation sidecar (each side changed a different 10%): median {}",
        ms(median(times))
    );
}

fn which(cmd: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(cmd))
        .find(|p| p.is_file())
}

/// The lexicon's head nouns as one alternation, for ripgrep.
fn descriptor_alternation() -> String {
    let text = include_str!("../assets/lexicon.ron");
    let start = text.find("roles: [").expect("roles list") + "roles: [".len();
    let end = start + text[start..].find(']').expect("end of roles");
    let words: Vec<&str> = text[start..end]
        .split(',')
        .map(|w| w.trim().trim_matches('"'))
        .filter(|w| !w.is_empty())
        .collect();
    words.join("|")
}

/// The team's own corpus passages (markers taken out), one after another until `bytes`: copy
/// that reads like news, not 25 sentences repeated.
fn corpus_copy(bytes: usize) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    let text_field = regex::Regex::new(r##"(?s)text: r#"(.*?)"#"##).expect("regex");
    let gold = regex::Regex::new(r"\[\[(.*?)\|[a-z-]+\]\]").expect("regex");
    let optional = regex::Regex::new(r"\{\{(.*?)\}\}").expect("regex");
    let mut passages = Vec::new();
    for f in &files {
        let raw = std::fs::read_to_string(f).expect("corpus file");
        for c in text_field.captures_iter(&raw) {
            let t = gold.replace_all(&c[1], "$1");
            passages.push(optional.replace_all(&t, "$1").into_owned());
        }
    }
    let mut out = String::new();
    for p in passages.iter().cycle() {
        if out.len() >= bytes {
            break;
        }
        out.push_str(p);
        out.push_str("\n\n");
    }
    out
}

/// `whosaid lsp` as an editor drives it: from the last didChange to publishDiagnostics, less the
/// server's debounce, on a 200 KB draft.
fn language_server(dir: &tempfile::TempDir) {
    use serde_json::json;
    let text = corpus_copy(200 * 1024);
    let path = dir.path().join("draft-200kb.md");
    std::fs::write(&path, &text).expect("write draft");
    let uri = url::Url::from_file_path(&path)
        .expect("file URI")
        .to_string();
    let mut client = lsp_client::Client::start(dir.path());
    let published = |m: &serde_json::Value| m["method"] == "textDocument/publishDiagnostics";
    client.send(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } } }),
    );
    let (_, first) = client.wait(published);
    let sources = first["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    let mut times = Vec::new();
    for k in 0..31 {
        // A word typed somewhere in the middle, as an editor sends it: the whole text.
        let at = text.len() / 2 + k * 97;
        let at = (at..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let edited = format!("{}officials said {}", &text[..at], &text[at..]);
        let sent = Instant::now();
        client.send(
            json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": uri, "version": k + 2 },
            "contentChanges": [{ "text": edited }] } }),
        );
        let (arrived, _) = client.wait(published);
        times.push(
            arrived
                .duration_since(sent)
                .saturating_sub(whosaid::lsp::DEBOUNCE),
        );
    }
    client.stop();
    times.sort();
    println!("\n## Language server, 200 KB draft of corpus copy ({sources} sources)\n");
    println!(
        "| from didChange to publishDiagnostics, less the {} ms debounce | median | max |",
        whosaid::lsp::DEBOUNCE.as_millis()
    );
    println!("|---|---|---|");
    println!(
        "| 31 edits, whole process over stdio | {} | {} |",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}
