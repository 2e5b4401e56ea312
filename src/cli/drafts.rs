//! How the commands open drafts: each with its own folder's config, checked, and the detector
//! built from it; many drafts in parallel, in the order given.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use super::inputs::{self, Input, Inputs};
use crate::article::{Article, LoadError};
use crate::config;
use crate::detect::Detector;
use crate::review::Review;
use crate::sanitize::escape_line;
use crate::{sidecar, tui};

/// The config for a draft (or a folder), every part of it checked — the keys the review screen
/// would use included, so a broken config fails every command alike.
pub fn resolve(explicit: Option<&Path>, draft: &Path) -> Result<config::Resolved> {
    let resolved = config::for_draft(explicit, draft)?;
    keymap_for(&resolved)?;
    Ok(resolved)
}

/// The keymap with the config's overrides, or an error naming the config line at fault.
pub fn keymap_for(resolved: &config::Resolved) -> Result<tui::keymap::Keymap> {
    tui::keymap::Keymap::with_overrides(&resolved.config.keys).map_err(|e| {
        // The topmost file that mentions the word is the one that set it.
        let place = resolved
            .from
            .iter()
            .rev()
            .find_map(|o| config::line_of(&o.path, e.needle()).map(|l| (o, l)))
            .map(|(o, l)| format!("{}:{l}", o.path.display()))
            .or_else(|| resolved.from.last().map(|o| o.path.display().to_string()))
            .unwrap_or_else(|| "the config".to_owned());
        anyhow::anyhow!("config {place}: {e}")
    })
}

/// What a draft is opened with: its folder's config and the detector built from it.
pub struct Settings {
    pub resolved: config::Resolved,
    pub detector: Detector,
}

/// Settings per config file, so drafts under one newsroom config share one detector, and an
/// archive of thousands of drafts walks up for its config once per folder.
pub struct SettingsCache {
    explicit: Option<PathBuf>,
    by_config: std::collections::HashMap<Option<PathBuf>, Arc<Settings>>,
    by_folder: std::collections::HashMap<PathBuf, Arc<Settings>>,
    /// The folder asked about last and its settings: a searched folder's drafts come one after
    /// another, and comparing a path's bytes is far cheaper than hashing its components.
    last: Option<(PathBuf, Arc<Settings>)>,
}

impl SettingsCache {
    pub fn new(explicit: Option<&Path>) -> Self {
        Self {
            explicit: explicit.map(Path::to_owned),
            by_config: Default::default(),
            by_folder: Default::default(),
            last: None,
        }
    }

    /// The settings for a draft, resolved as [`resolve`] does.
    pub fn for_draft(&mut self, draft: &Path) -> Result<Arc<Settings>> {
        // Keyed by the folder as written, so an archive's drafts cost one lookup each and the
        // file system is asked for a folder's real path once.
        let parent = draft.parent().unwrap_or(Path::new(""));
        if let Some((folder, s)) = &self.last
            && folder.as_os_str() == parent.as_os_str()
        {
            return Ok(Arc::clone(s));
        }
        let folder = parent.to_owned();
        if let Some(s) = self.by_folder.get(&folder).cloned() {
            self.last = Some((folder, Arc::clone(&s)));
            return Ok(s);
        }
        let chosen = config::chosen_path(self.explicit.as_deref(), &config::folder_of(draft));
        let key = chosen.as_ref().map(|o| o.path.clone());
        let settings = match self.by_config.get(&key) {
            Some(s) => Arc::clone(s),
            None => {
                let resolved = config::resolve_over(chosen)?;
                keymap_for(&resolved)?;
                let detector = Detector::new(&resolved.config);
                let s = Arc::new(Settings { resolved, detector });
                self.by_config.insert(key, Arc::clone(&s));
                s
            }
        };
        self.by_folder.insert(folder.clone(), Arc::clone(&settings));
        self.last = Some((folder, Arc::clone(&settings)));
        Ok(settings)
    }
}

/// Reads one input's draft. A command reads its drafts and finishes, so a large one is mapped
/// rather than copied.
fn read_article(input: &Input) -> Result<Article, LoadError> {
    match input {
        Input::File(path) => Article::load_to_scan(path),
        Input::Stdin { bytes, .. } => Article::from_bytes(input.name(), bytes.clone()),
    }
}

/// Opens one input as a review with its settings, its draft already read or not.
fn open_review(
    input: &Input,
    read: Option<Result<Article, LoadError>>,
    settings: &Settings,
) -> Result<(Review, Option<sidecar::SidecarError>)> {
    let article = read.unwrap_or_else(|| read_article(input))?;
    let (mut review, error) = crate::review::open_article(article, &settings.detector);
    review.set_scale(settings.resolved.vocabulary.scale.clone());
    Ok((review, error))
}

pub fn expand(files: &[PathBuf], stdin_name: Option<&Path>) -> Result<Inputs> {
    Ok(inputs::expand(files, stdin_name, std::io::stdin().lock())?)
}

/// The settings of each input, in order. A broken config is loud: it stops the whole run rather
/// than failing file by file.
pub fn settings_for(explicit: Option<&Path>, inputs: &[Input]) -> Result<Vec<Arc<Settings>>> {
    let mut cache = SettingsCache::new(explicit);
    inputs
        .iter()
        .map(|input| cache.for_draft(input.name()))
        .collect()
}

/// The first input's draft, read while another thread resolves the settings (see
/// [`settings_for`]) and builds the detector, which takes one core a few milliseconds that a
/// single large draft's run otherwise waits for.
pub struct FirstRead(std::sync::Mutex<Option<Result<Article, LoadError>>>);

impl FirstRead {
    fn take(&self) -> Option<Result<Article, LoadError>> {
        self.0.lock().ok()?.take()
    }
}

/// [`settings_for`], with the first draft read meanwhile, for [`each_review`].
pub fn settings_reading_first(
    explicit: Option<&Path>,
    inputs: &[Input],
) -> Result<(Vec<Arc<Settings>>, FirstRead)> {
    let (settings, first) = rayon::join(
        || settings_for(explicit, inputs),
        || inputs.first().map(read_article),
    );
    Ok((settings?, FirstRead(std::sync::Mutex::new(first))))
}

/// Frees `value` on a worker thread while the caller goes on. A large draft's review and records
/// are a hundred thousand small allocations: freeing them held a 32 MB scan's output back by
/// 8 ms.
pub fn drop_later<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// Opens every file's review in parallel across the cores and turns each into `T`, keeping the
/// order given. A broken sidecar is an error: reporting a file's sources as untagged when its
/// judgements could not be read would be a wrong answer.
pub fn each_review<T: Send>(
    inputs: &[Input],
    settings: &[Arc<Settings>],
    first: FirstRead,
    each: impl Fn(&Path, Review, &Settings) -> T + Sync,
) -> Result<Vec<Result<T>>> {
    let mut results = Vec::with_capacity(inputs.len());
    each_review_in_order(inputs, settings, first, each, |outcome| {
        results.push(outcome);
    });
    Ok(results)
}

/// [`each_review`], handing each file's outcome to `done` on this thread as soon as it and every
/// one before it are ready, while the worker threads go on with the files after it. The files
/// are taken up in order, so outcomes wait for one another only briefly: an archive's output
/// is written while it is scanned, and each part is let go once written rather than all of
/// them held to the end (ten thousand stories' JSON is 40 MB).
pub fn each_review_in_order<T: Send>(
    inputs: &[Input],
    settings: &[Arc<Settings>],
    first: FirstRead,
    each: impl Fn(&Path, Review, &Settings) -> T + Sync,
    mut done: impl FnMut(Result<T>),
) {
    let bar = show_progress(inputs.len(), std::io::stderr().is_terminal(), |var| {
        std::env::var_os(var).is_some_and(|v| !v.is_empty())
    })
    .then(|| {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} drafts, {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let open = |i: usize, input: &Input, settings: &Settings| {
        let outcome = (|| {
            let read = if i == 0 { first.take() } else { None };
            let (review, sidecar_error) = open_review(input, read, settings)?;
            if let Some(e) = sidecar_error {
                return Err(anyhow::Error::new(e).context("sidecar unreadable"));
            }
            Ok(each(input.name(), review, settings))
        })();
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        outcome
    };
    let open = &open;
    if let [input] = inputs {
        // One draft spreads its own work over the cores, and there is nothing to overlap. It
        // is opened from a parallel iterator as before: opened in `rayon::scope`, a judged
        // 32 MB draft's records were freed later and its JSON scan peaked 10 MB higher.
        let outcomes: Vec<_> = [input]
            .into_par_iter()
            .map(|input| open(0, input, &settings[0]))
            .collect();
        outcomes.into_iter().for_each(&mut done);
    } else {
        let inbox = Inbox::default();
        // The files are handed out in order, the next to whichever worker is free. An indexed
        // split of the list would give the second half to the other core from the start and
        // hold all of its outcomes back until the first half was done.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            let _finished = Finished(&inbox);
            // One loop on each worker: loops spawned as jobs could end up one inside another on
            // the same thread (a worker running its own queued jobs runs a sibling loop too),
            // leaving the other core idle.
            rayon::broadcast(|_| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else { break };
                    inbox.put(i, open(i, input, &settings[i]));
                    // What this worker set aside to free (`drop_later`) waits in its own queue
                    // while it is busy here: freed now, an archive's reviews are not all held
                    // to the end.
                    while let Some(rayon::Yield::Executed) = rayon::yield_local() {}
                }
            });
        };
        std::thread::scope(|scope| {
            scope.spawn(work);
            let mut waiting = std::collections::BTreeMap::new();
            let mut next = 0;
            loop {
                let (arrived, finished) = inbox.take();
                waiting.extend(arrived);
                while let Some(outcome) = waiting.remove(&next) {
                    done(outcome);
                    next += 1;
                }
                if finished {
                    break;
                }
            }
        });
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

/// Where the workers of [`each_review_in_order`] leave outcomes for the thread that hands them
/// on. That thread is woken once a batch has gathered rather than for each: woken for each of an
/// archive's ten thousand stories, it took a third as much time again as the stories themselves.
struct Inbox<T> {
    state: std::sync::Mutex<Arrived<T>>,
    ready: std::sync::Condvar,
}

struct Arrived<T> {
    outcomes: Vec<(usize, T)>,
    finished: bool,
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Self {
            state: std::sync::Mutex::new(Arrived {
                outcomes: Vec::new(),
                finished: false,
            }),
            ready: std::sync::Condvar::new(),
        }
    }
}

impl<T> Inbox<T> {
    /// Outcomes gathered before the thread that hands them on is woken.
    const BATCH: usize = 64;

    fn lock(&self) -> std::sync::MutexGuard<'_, Arrived<T>> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn put(&self, i: usize, outcome: T) {
        let mut state = self.lock();
        state.outcomes.push((i, outcome));
        if state.outcomes.len() >= Self::BATCH {
            self.ready.notify_one();
        }
    }

    /// Waits for a batch, or for the work to end, and takes what has arrived; `true` once the
    /// work has ended, when nothing more will.
    fn take(&self) -> (Vec<(usize, T)>, bool) {
        let mut state = self.lock();
        while state.outcomes.len() < Self::BATCH && !state.finished {
            state = self
                .ready
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        (std::mem::take(&mut state.outcomes), state.finished)
    }
}

/// Marks the work finished when dropped, panicking included, so the waiting thread never waits
/// for outcomes that will not come (the panic is passed on when the scope ends).
struct Finished<'a, T>(&'a Inbox<T>);

impl<T> Drop for Finished<'_, T> {
    fn drop(&mut self) {
        self.0.lock().finished = true;
        self.0.ready.notify_one();
    }
}

/// Drafts in a run before a progress bar is worth drawing.
const PROGRESS_FROM: usize = 200;

/// Whether to draw a progress bar on stderr: for a large run, on a terminal, and never under CI
/// or `NO_COLOR` (whose users want plain, stable output).
fn show_progress(files: usize, stderr_is_terminal: bool, set: impl Fn(&str) -> bool) -> bool {
    files >= PROGRESS_FROM && stderr_is_terminal && !set("CI") && !set("NO_COLOR")
}

/// A sidecar found in a searched folder with no draft beside it.
pub fn stranded_line(sidecar: &Path) -> String {
    format!(
        "{}: no draft beside this sidecar (renamed or deleted?); its notes are stranded",
        escape_line(&sidecar.to_string_lossy())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first draft, read while the settings are made, is opened like the others: its
    /// sources found with its settings, or its error kept as its own outcome, in order.
    #[test]
    fn the_draft_read_first_is_opened_like_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
        std::fs::write(&a, "Officials said the port would close.\n").unwrap();
        std::fs::write(&b, "Nothing here.\n").unwrap();
        let open = |inputs: &[Input]| {
            let (settings, first) = settings_reading_first(None, inputs).unwrap();
            each_review(inputs, &settings, first, |_, review, _| {
                review.sources.len()
            })
            .unwrap()
        };
        let found = open(&[Input::File(a.clone()), Input::File(b.clone())]);
        assert_eq!(
            found
                .iter()
                .map(|r| *r.as_ref().unwrap())
                .collect::<Vec<_>>(),
            [1, 0]
        );
        let missing = dir.path().join("gone.md");
        let found = open(&[Input::File(missing), Input::File(a)]);
        let err = found[0].as_ref().unwrap_err().to_string();
        assert!(err.contains("gone.md"), "{err}");
        assert_eq!(*found[1].as_ref().unwrap(), 1);
        let stdin = Input::Stdin {
            name: b,
            bytes: b"Sources said so.\n".to_vec(),
        };
        assert_eq!(*open(&[stdin])[0].as_ref().unwrap(), 1);
    }

    /// `n` drafts named 000.md, 001.md, … in `dir`, each with the text `text` gives it, or missing
    /// where it gives none.
    fn drafts(dir: &Path, n: usize, text: impl Fn(usize) -> Option<String>) -> Vec<Input> {
        (0..n)
            .map(|i| {
                let path = dir.join(format!("{i:03}.md"));
                if let Some(text) = text(i) {
                    std::fs::write(&path, text).unwrap();
                }
                Input::File(path)
            })
            .collect()
    }

    /// Many drafts, some of them missing: every outcome is handed on once, in the order given,
    /// each error in its place.
    #[test]
    fn outcomes_are_handed_on_in_the_order_given() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = drafts(dir.path(), 300, |i| {
            (i % 7 != 3).then(|| "Officials said the port would close.\n".repeat(i % 4))
        });
        let (settings, first) = settings_reading_first(None, &inputs).unwrap();
        let mut seen = Vec::new();
        each_review_in_order(
            &inputs,
            &settings,
            first,
            |path, review, _| (path.to_owned(), review.sources.len()),
            |outcome| seen.push(outcome.map_err(|e| format!("{e:#}"))),
        );
        assert_eq!(seen.len(), inputs.len());
        for (i, (input, outcome)) in inputs.iter().zip(&seen).enumerate() {
            match outcome {
                Ok((path, sources)) => {
                    assert_ne!(i % 7, 3, "{i}");
                    assert_eq!(path, input.name());
                    assert_eq!(*sources, i % 4, "{i}");
                }
                Err(e) => {
                    assert_eq!(i % 7, 3, "{i}: {e}");
                    assert!(e.contains(&format!("{i:03}.md")), "{i}: {e}");
                }
            }
        }
    }

    /// The first outcomes are handed on while later drafts are still being opened, not all at
    /// the end: here the later drafts wait until something has been handed on, and give up
    /// (failing the test) if nothing is.
    #[test]
    fn outcomes_are_handed_on_while_later_drafts_are_opened() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::time::{Duration, Instant};
        let dir = tempfile::tempdir().unwrap();
        let inputs = drafts(dir.path(), 400, |_| Some("Sources said so.\n".into()));
        let (settings, first) = settings_reading_first(None, &inputs).unwrap();
        let (handed_on, gave_up) = (AtomicBool::new(false), AtomicBool::new(false));
        let mut count = 0;
        each_review_in_order(
            &inputs,
            &settings,
            first,
            |path, _, _| {
                if path.ends_with("300.md") {
                    let start = Instant::now();
                    while !handed_on.load(Ordering::SeqCst) {
                        if start.elapsed() > Duration::from_secs(20) {
                            gave_up.store(true, Ordering::SeqCst);
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(1));
                    }
                }
            },
            |outcome| {
                outcome.unwrap();
                count += 1;
                handed_on.store(true, Ordering::SeqCst);
            },
        );
        assert_eq!(count, inputs.len());
        assert!(
            !gave_up.load(Ordering::SeqCst),
            "nothing was handed on while later drafts were opened"
        );
    }

    /// A panic while opening a draft reaches the caller; the thread handing outcomes on does
    /// not wait for ever for outcomes that will not come.
    #[test]
    fn a_panic_while_opening_reaches_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = drafts(dir.path(), 20, |_| Some("Sources said so.\n".into()));
        let (settings, first) = settings_reading_first(None, &inputs).unwrap();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            each_review_in_order(
                &inputs,
                &settings,
                first,
                |path, _, _| assert!(!path.ends_with("013.md"), "cannot open {path:?}"),
                |_| {},
            );
        }));
        assert!(result.is_err());
    }

    #[test]
    fn a_progress_bar_only_for_large_runs_on_a_terminal_outside_ci() {
        let none = |_: &str| false;
        assert!(show_progress(PROGRESS_FROM, true, none));
        assert!(!show_progress(PROGRESS_FROM - 1, true, none));
        assert!(!show_progress(10_000, false, none));
        assert!(!show_progress(10_000, true, |v| v == "CI"));
        assert!(!show_progress(10_000, true, |v| v == "NO_COLOR"));
    }
}
