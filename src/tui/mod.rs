//! The review screen: a thin view over a [`Review`](crate::review::Review).
//!
//! Keys become [`Action`]s through the [`keymap`]; [`App::update`] applies them; [`draw::draw`]
//! reads the state and renders it. The loop is generic over the backend so tests run the real
//! app on ratatui's `TestBackend`.

pub mod action;
pub mod app;
pub mod autosave;
pub mod draw;
pub mod effect;
pub mod external;
pub mod filter;
pub mod keymap;
pub mod layout;
pub mod mode;
pub mod theme;
pub mod workspace;

use std::io::IsTerminal;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

pub use action::Action;
pub use app::{App, Banner};
pub use autosave::Autosave;
pub use effect::Effect;
pub use workspace::{Open, Workspace};

use crate::config::Resolved;
use crate::detect::Detector;

/// How the review screen is opened.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub author: String,
    /// Look without changing anything, and without taking the lock.
    pub read_only: bool,
    /// The 1-based line to show at the top.
    pub line: Option<usize>,
    /// The built-in keys with the config's overrides.
    pub keymap: keymap::Keymap,
    /// The standards checklist and reliability scale the config defines.
    pub vocabulary: crate::judgement::Vocabulary,
    /// The review screen's colours, from the config.
    pub theme: crate::config::Theme,
    /// Whether the footer shows the mode's main keys (config `footer`).
    pub footer: bool,
}

/// Opens drafts in the review screen, each with the config its folder gets. Problems with a draft
/// itself are reported before the terminal is taken over; problems with its sidecar become a
/// banner.
pub fn open(drafts: &[(PathBuf, Resolved)], options: Options) -> Result<()> {
    anyhow::ensure!(!drafts.is_empty(), "no file given");
    let paths: Vec<&PathBuf> = drafts.iter().map(|(p, _)| p).collect();
    // Every draft is read before the terminal is taken over, so a bad one is a plain error.
    let mut loaded = Vec::with_capacity(drafts.len());
    for (path, resolved) in drafts {
        let detector = std::sync::Arc::new(Detector::new(&resolved.config));
        // A large draft is shown at once and scanned on another thread; the status bar says so
        // until the counts arrive. A small one is scanned before the first frame, which is
        // quicker than a frame without highlights followed by one with them.
        let background =
            std::fs::metadata(path).is_ok_and(|m| m.len() > BACKGROUND_SCAN_BYTES as u64);
        let (review, sidecar_error) =
            crate::review::open_draft(path, None, (!background).then_some(&*detector))?;
        loaded.push((path, review, sidecar_error, background, detector));
    }
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the review screen needs a terminal; for scripts use `whosaid scan {}`",
            paths[0].display()
        );
    }
    // try_init() installs a panic hook that restores the terminal before the panic message prints.
    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    let size = match terminal.size() {
        Ok(size) => size,
        Err(e) => {
            ratatui::restore();
            return Err(e).context("cannot read the terminal size");
        }
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut files = Vec::with_capacity(loaded.len());
    for (n, (path, review, sidecar_error, background, detector)) in loaded.into_iter().enumerate() {
        let mut setup = app::Setup::new(
            options.author.clone(),
            app::system_clock,
            (size.width, size.height),
        );
        setup.detector = Some(std::sync::Arc::clone(&detector));
        setup.tz = jiff::tz::TimeZone::system();
        setup.keymap = options.keymap.clone();
        setup.questions = options.vocabulary.questions.clone();
        setup.scale = options.vocabulary.scale.clone();
        setup.theme = theme::Theme::resolve(options.theme, no_color);
        setup.footer = options.footer;
        setup.line = if n == 0 { options.line } else { None };
        if options.read_only {
            setup.read_only = Some(app::READ_ONLY_FLAG.into());
        } else {
            let take_over = options
                .keymap
                .hint(keymap::ModeKind::Normal, &Action::TakeOver);
            let locked = lock_draft(path, &options.author, &app::system_clock(), &take_over);
            (setup.lock, setup.read_only, setup.banner) =
                (locked.lock, locked.read_only, locked.banner);
        }
        if let Some(e) = sidecar_error {
            setup.banner = Some(Banner::Error(format!(
                "sidecar unreadable: {e} — changes cannot be saved until it is fixed"
            )));
        }
        if background {
            let (tx, rx) = std::sync::mpsc::channel();
            let article = review.shared_article();
            let detector = std::sync::Arc::clone(&detector);
            std::thread::spawn(move || {
                // The receiver is gone only if the editor quit first; then nobody needs it.
                let _ = tx.send(detector.detect_as(article.text(), article.format()));
            });
            setup.scan = Some(rx);
        }
        let mut app = App::with(review, setup);
        let mut autosave = Autosave::new(crate::sidecar::recovery::path_for(path));
        // A read-only session must not take the recovery file of the session that has the draft.
        if app.read_only.is_none() {
            let read = autosave.read();
            let effects = app.update(Action::Recovered(effect::Carried::new(read)));
            let _ = effect::perform(&mut app, &mut autosave, effects);
        }
        files.push(workspace::Open { app, autosave });
    }
    let mut ws = Workspace::new(files);
    ws.synchronized = true;
    // Clicks and the wheel; ratatui's restore does not undo this, so it is undone here, after
    // the loop returns (a panic inside it is caught by run_guarded).
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableMouseCapture
    );
    let result = run_guarded(&mut terminal, &mut ws, poll_event);
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableMouseCapture
    );
    ratatui::restore();
    result
}

/// What opening a draft found about its lock: held by this session, or read-only because
/// another has it, with the banner that says so.
#[derive(Debug, Default)]
pub struct Locked {
    pub lock: Option<crate::sidecar::lock::Lock>,
    pub read_only: Option<String>,
    pub banner: Option<Banner>,
}

/// Takes the draft's lock for this session, or over from a session that stopped; another live
/// session's lock leaves this one read-only, with `take_over` named as the key that takes it.
pub fn lock_draft(path: &Path, author: &str, now: &str, take_over: &str) -> Locked {
    use crate::sidecar::lock;
    let holder = lock::Holder::this_process(author, now);
    let mut locked = Locked::default();
    match lock::acquire(path, holder.clone()) {
        Ok(lock::Acquired::Held(l)) => locked.lock = Some(l),
        Ok(lock::Acquired::Busy(Some(h))) if h.is_stale() => {
            if let Ok(l) = lock::take_over(path, holder) {
                locked.lock = Some(l);
                locked.banner = Some(Banner::Info(
                    crate::sanitize::for_terminal(&format!(
                        "took over the draft from a session of {} that stopped (process {})",
                        h.author, h.pid
                    ))
                    .into_owned(),
                ));
            }
        }
        Ok(lock::Acquired::Busy(other)) => {
            let who = match &other {
                Some(h) if h.is_other_host() => {
                    format!("{} on {} since {}", h.author, h.host, h.since)
                }
                Some(h) => format!("{} (process {}) since {}", h.author, h.pid, h.since),
                None => "another session".to_owned(),
            };
            locked.read_only = Some(format!("the draft is open in {who}"));
            locked.banner = Some(Banner::Error(
                crate::sanitize::for_terminal(&format!(
                    "read-only: the draft is open in {who}; {take_over} takes over if that session is gone"
                ))
                .into_owned(),
            ));
        }
        // No lock can be taken (a read-only folder): the session works, and saves merge.
        Err(_) => {}
    }
    locked
}

/// [`lock_draft`] for a screen already open, through `update`.
pub fn take_lock(app: &mut App, path: &Path) {
    let locked = lock_draft(path, &app.author, &app.now(), &app.key(Action::TakeOver));
    let _ = app.update(Action::Locked(effect::Carried::new(locked)));
}

/// Runs the loop so that a bug cannot cost the editor their work: a panic is caught (ratatui's
/// hook has already restored the terminal and printed it), the unsaved judgements of every open
/// draft are written to their recovery files, and the error says where they are.
pub fn run_guarded<B: Backend>(
    terminal: &mut Terminal<B>,
    ws: &mut Workspace,
    next_event: impl FnMut() -> std::io::Result<Option<Event>>,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run_loop(terminal, ws, next_event)));
    let keep_all = |ws: &mut Workspace| -> Vec<PathBuf> {
        ws.files
            .iter_mut()
            .filter_map(|f| f.autosave.write_now(&f.app))
            .collect()
    };
    match outcome {
        Ok(result) => {
            if result.is_ok() {
                for f in &mut ws.files {
                    f.autosave.finish();
                }
            } else {
                keep_all(ws);
            }
            result
        }
        Err(_) => {
            let kept = keep_all(ws);
            if kept.is_empty() {
                anyhow::bail!("whosaid stopped on an internal error; nothing was left unsaved")
            }
            let list: Vec<String> = kept.iter().map(|p| p.display().to_string()).collect();
            anyhow::bail!(
                "whosaid stopped on an internal error; your unsaved judgements are kept in {} and come back when you reopen the draft",
                list.join(", ")
            )
        }
    }
}

/// Drafts larger than this are scanned in the background.
pub const BACKGROUND_SCAN_BYTES: usize = 1 << 20;

/// Waits a tenth of a second for an event, so unsaved work is written out and a background scan's
/// results are shown even while the editor is idle.
/// How long the loop waits for an event before looking at what happened outside (a finished
/// scan is shown within this).
const POLL: Duration = Duration::from_millis(25);

/// Set while a search, a count or a scan is going: the loop then only looks for an event and
/// comes straight back.
static BUSY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn poll_event() -> std::io::Result<Option<Event>> {
    let wait = if BUSY.load(std::sync::atomic::Ordering::Relaxed) {
        Duration::from_millis(1)
    } else {
        POLL
    };
    if event::poll(wait)? {
        event::read().map(Some)
    } else {
        Ok(None)
    }
}

/// Draws, waits for an event, updates; until the editor quits. `next_event` returns `None`
/// when it timed out with nothing to report.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    ws: &mut Workspace,
    mut next_event: impl FnMut() -> std::io::Result<Option<Event>>,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let mut last_disk_check = Instant::now();
    // A frame is drawn when something changed, not at every idle wake-up: a large draft's screen
    // costs something to draw, and an idle editor should cost nothing.
    let mut dirty = true;
    while !ws.should_quit {
        let check_disk = last_disk_check.elapsed() >= DISK_CHECK_INTERVAL;
        if check_disk {
            last_disk_check = Instant::now();
        }
        dirty |= ws.tick(check_disk, Instant::now());
        if dirty {
            draw_frame(terminal, ws)?;
            dirty = false;
        }
        BUSY.store(ws.busy(), std::sync::atomic::Ordering::Relaxed);
        let event = next_event().context("cannot read from the terminal")?;
        dirty |= event.is_some();
        let effects = match event {
            Some(Event::Key(key)) if key.kind == KeyEventKind::Press => ws.handle_key(key),
            Some(Event::Resize(w, h)) => {
                ws.resize(w, h);
                Vec::new()
            }
            Some(Event::Mouse(m)) => ws.handle_mouse(m),
            _ => Vec::new(),
        };
        for effect in effects {
            match effect {
                Effect::Suspend => {
                    // Unsaved work stays in memory (and in the recovery file); `fg` resumes.
                    suspended(stop_self)?;
                    terminal.clear().context("cannot draw to the terminal")?;
                }
                Effect::EditNote(text) => {
                    let editor = external::editor_command();
                    let result = suspended(|| external::edit(&editor, &text));
                    // The editor drew over the screen; draw all of it again.
                    terminal.clear().context("cannot draw to the terminal")?;
                    let result = result.and_then(|r| r).map_err(|e| e.to_string());
                    let _ = ws.dispatch(Action::NoteEdited(effect::Carried::new(result)));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Draws the current draft, between synchronized-update marks on a real terminal.
fn draw_frame<B: Backend>(terminal: &mut Terminal<B>, ws: &Workspace) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    use ratatui::crossterm::{execute, terminal as term};
    if ws.synchronized {
        let _ = execute!(std::io::stdout(), term::BeginSynchronizedUpdate);
    }
    terminal
        .draw(|frame| ws.draw(frame))
        .context("cannot draw to the terminal")?;
    if ws.synchronized {
        let _ = execute!(std::io::stdout(), term::EndSynchronizedUpdate);
    }
    Ok(())
}

/// Hands the terminal back (cooked mode, main screen) while `f` runs another program, then
/// takes it again.
fn suspended<T>(f: impl FnOnce() -> T) -> std::io::Result<T> {
    use ratatui::crossterm::{event, execute, terminal};
    let _ = execute!(std::io::stdout(), event::DisableMouseCapture);
    ratatui::restore();
    let out = f();
    terminal::enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        terminal::EnterAlternateScreen,
        event::EnableMouseCapture
    )?;
    Ok(out)
}

/// Stops this process as Ctrl-Z in a shell would, until `fg`.
#[cfg(unix)]
fn stop_self() {
    let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::TSTP);
}

#[cfg(not(unix))]
fn stop_self() {}

/// How often the draft's size and modification time are compared with the ones it was read with.
const DISK_CHECK_INTERVAL: Duration = Duration::from_secs(1);
