//! The lock file that tells a second review session that a draft is already open.
//!
//! `draft.md` → `.draft.md.sources.lock` beside it, holding the process id, host, author and
//! start time. It is advice, not enforcement: saves merge with a colleague's changes anyway, but
//! two people editing one draft's judgements at once should know it. A lock whose process is gone
//! (same host, dead pid) is stale and can be taken over.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    pub author: String,
    /// RFC 3339, UTC.
    pub since: String,
}

impl Holder {
    pub fn this_process(author: &str, now: &str) -> Self {
        Self {
            pid: std::process::id(),
            host: host_name(),
            author: author.to_owned(),
            since: now.to_owned(),
        }
    }

    /// Whether the holder is certainly gone: a process on this host that no longer runs.
    /// A holder on another host cannot be checked from here.
    pub fn is_stale(&self) -> bool {
        self.host == host_name() && !process_alive(self.pid)
    }

    pub fn is_other_host(&self) -> bool {
        self.host != host_name()
    }
}

/// A lock this session holds; removed when dropped, unless someone has taken it over since.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    holder: Holder,
}

impl Lock {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the lock file still names this session (another may have taken it over).
    pub fn still_held(&self) -> bool {
        read(&self.path).ok().flatten().as_ref() == Some(&self.holder)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if read(&self.path).ok().flatten().as_ref() == Some(&self.holder) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The outcome of trying to lock a draft.
#[derive(Debug)]
pub enum Acquired {
    Held(Lock),
    /// Someone else holds it; `None` when the lock file is there but unreadable.
    Busy(Option<Holder>),
}

pub fn path_for(article: &Path) -> PathBuf {
    let name = article
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    article.with_file_name(format!(".{name}.sources.lock"))
}

/// Takes the lock if nobody holds it.
pub fn acquire(article: &Path, holder: Holder) -> std::io::Result<Acquired> {
    let path = path_for(article);
    let text = to_text(&holder);
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            let written = f.write_all(text.as_bytes()).and_then(|()| f.sync_all());
            if let Err(e) = written {
                // A lock that could not be written (a full disk) must not stay behind: empty, it
                // would make every later session read-only.
                drop(f);
                let _ = std::fs::remove_file(&path);
                return Err(e);
            }
            Ok(Acquired::Held(Lock { path, holder }))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            match read(&path).ok().flatten() {
                Some(h) => Ok(Acquired::Busy(Some(h))),
                // Empty or unreadable, and not just being written: no session holds it.
                None if settled(&path) => Ok(Acquired::Held(take_over(article, holder)?)),
                None => Ok(Acquired::Busy(None)),
            }
        }
        Err(e) => Err(e),
    }
}

/// A lock file takes microseconds to write; one that has not changed for this long and still
/// names nobody was left by a session that could not write it.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(5);

fn settled(path: &Path) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age >= SETTLE))
}

/// Takes the lock whoever holds it (the caller has checked that they are gone).
pub fn take_over(article: &Path, holder: Holder) -> std::io::Result<Lock> {
    let path = path_for(article);
    crate::sidecar::write_atomically(&path, to_text(&holder).as_bytes())?;
    Ok(Lock { path, holder })
}

/// The holder recorded in a lock file; `None` when there is none or it cannot be parsed.
pub fn read(path: &Path) -> std::io::Result<Option<Holder>> {
    use crate::files::ReadError;
    // A lock is one short line; anything larger is not one whosaid wrote.
    match crate::files::read_regular(path, 64 << 10) {
        Ok(bytes) => Ok(std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| ron::from_str(text).ok())),
        Err(ReadError::NotFound(_)) => Ok(None),
        Err(ReadError::Io(e)) => Err(e),
        Err(e) => Err(std::io::Error::other(e.to_string())),
    }
}

fn to_text(holder: &Holder) -> String {
    let mut text = ron::ser::to_string(holder).expect("a holder serialises");
    text.push('\n');
    text
}

#[cfg(unix)]
fn host_name() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

#[cfg(not(unix))]
fn host_name() -> String {
    std::env::var("COMPUTERNAME").unwrap_or_default()
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        // It exists but belongs to someone else.
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

/// Without a way to ask, every holder is assumed to be running.
#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_session_finds_the_lock_busy_until_the_first_drops_it() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("draft.md");
        let first = match acquire(&article, Holder::this_process("ana", "t0")).unwrap() {
            Acquired::Held(l) => l,
            Acquired::Busy(_) => panic!("free lock"),
        };
        assert_eq!(first.path(), dir.path().join(".draft.md.sources.lock"));
        match acquire(&article, Holder::this_process("ben", "t1")).unwrap() {
            Acquired::Busy(Some(h)) => {
                assert_eq!(h.author, "ana");
                assert!(!h.is_stale(), "this process is alive");
            }
            other => panic!("{other:?}"),
        }
        drop(first);
        assert!(matches!(
            acquire(&article, Holder::this_process("ben", "t2")).unwrap(),
            Acquired::Held(_)
        ));
    }

    #[test]
    fn a_lock_left_by_a_dead_process_is_stale_and_can_be_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("draft.md");
        // A child that has exited: its pid is dead (and not reused this quickly).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        let dead = Holder {
            pid,
            ..Holder::this_process("ana", "t0")
        };
        std::fs::write(path_for(&article), to_text(&dead)).unwrap();
        let Acquired::Busy(Some(h)) = acquire(&article, Holder::this_process("ben", "t1")).unwrap()
        else {
            panic!("busy");
        };
        assert!(h.is_stale());
        let lock = take_over(&article, Holder::this_process("ben", "t1")).unwrap();
        assert_eq!(read(lock.path()).unwrap().unwrap().author, "ben");
        drop(lock);
        assert!(!path_for(&article).exists());
    }

    #[test]
    fn dropping_a_lock_someone_took_over_leaves_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("draft.md");
        let Acquired::Held(mine) = acquire(&article, Holder::this_process("ana", "t0")).unwrap()
        else {
            panic!("free");
        };
        let theirs = take_over(&article, Holder::this_process("ben", "t1")).unwrap();
        drop(mine);
        assert_eq!(read(theirs.path()).unwrap().unwrap().author, "ben");
    }

    /// An empty lock file (a session that could not write it, on a full disk) does not make
    /// every later session read-only once it has sat for a few seconds; a fresh one might be a
    /// session writing it that moment.
    #[test]
    fn an_empty_lock_left_behind_is_taken_once_settled() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("draft.md");
        let path = path_for(&article);
        std::fs::write(&path, "").unwrap();
        assert!(matches!(
            acquire(&article, Holder::this_process("ben", "t1")).unwrap(),
            Acquired::Busy(None)
        ));
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let Acquired::Held(lock) = acquire(&article, Holder::this_process("ben", "t2")).unwrap()
        else {
            panic!("an empty, settled lock is nobody's");
        };
        assert!(lock.still_held());
    }

    #[test]
    fn a_lock_taken_over_is_no_longer_held() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("draft.md");
        let Acquired::Held(mine) = acquire(&article, Holder::this_process("ana", "t0")).unwrap()
        else {
            panic!("free");
        };
        assert!(mine.still_held());
        let _theirs = take_over(&article, Holder::this_process("ben", "t1")).unwrap();
        assert!(!mine.still_held());
    }
}
