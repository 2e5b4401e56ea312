//! Reading files whose names come from outside (a draft, a sidecar someone committed, a config):
//! only regular files, and never more than a stated size, counted in bytes actually read. A
//! symlink to `/dev/zero` or a FIFO in a repository must be a clear error, not 4 GB of memory or
//! a hang.

use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Kept apart because a missing file is often fine (no sidecar yet); the OS's own words.
    #[error("{0}")]
    NotFound(std::io::Error),
    #[error("not a regular file (it is {0})")]
    NotRegular(&'static str),
    #[error("larger than the {} limit", size_label(*.0))]
    TooLarge(u64),
    #[error("{0}")]
    Io(std::io::Error),
}

/// A byte count as people write it: `64 MiB`, `1 GiB`.
pub fn size_label(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// Reads `path`, which must be a regular file (symlinks are followed), up to `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    match read_or_map(path, limit, None)? {
        Contents::Read(bytes) => Ok(bytes),
        #[cfg(target_os = "linux")]
        Contents::Mapped(map) => Ok(map.to_vec()),
    }
}

/// A file's bytes: copied into memory, or mapped from the kernel's copy of the file.
pub enum Contents {
    Read(Vec<u8>),
    #[cfg(target_os = "linux")]
    Mapped(memmap2::Mmap),
}

/// [`read_regular`], except that a file of `map_from` bytes or more is mapped instead of copied,
/// where the system allows it.
///
/// Copying a 32 MB draft meant the kernel zeroing 32 MB of fresh memory and then copying the file
/// into it, a tenth of a dense `scan`'s work and the part of it that varied most from run to run;
/// a mapping reads the kernel's own copy. It is for commands that read a draft and finish: a file
/// rewritten in place while it is mapped shows the new bytes, so the review screen, which keeps
/// a draft open for hours, copies. A mapped file cut short while it is read stops the process
/// with a message rather than a crash (see [`stop_when_cut_short`]).
pub fn read_or_map(path: &Path, limit: u64, map_from: Option<u64>) -> Result<Contents, ReadError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound(e),
        _ => ReadError::Io(e),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    #[cfg(target_os = "linux")]
    if map_from.is_some_and(|from| meta.len() >= from)
        && let Some(map) = map(&file, meta.len())
    {
        return Ok(Contents::Mapped(map));
    }
    #[cfg(not(target_os = "linux"))]
    let _ = map_from;
    #[cfg(unix)]
    if let Some(bytes) = read_in_halves(&file, meta.len()) {
        return Ok(Contents::Read(bytes));
    }
    // The size can change between the look and the read (a file being written, /proc): what is
    // read is what counts.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    huge_pages(&mut bytes);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(Contents::Read(bytes))
}

/// `file` mapped read-only, or `None` when it is not `len` bytes long any more or cannot be
/// mapped (the caller reads it then).
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn map(file: &std::fs::File, len: u64) -> Option<memmap2::Mmap> {
    stop_when_cut_short();
    // SAFETY: the mapping is read-only and lives as long as the `Mmap`. What is not guarded
    // against, as in other tools that map the files they search: another process rewriting the
    // file in place during the command, whose new bytes the mapping shows although the text was
    // checked as UTF-8 before. Editors, git and most tools replace a file by renaming a new one
    // over it, which leaves the mapped file whole; pages cut off by truncation raise SIGBUS,
    // which `stop_when_cut_short` turns into a message and exit status 2.
    let map = unsafe { memmap2::MmapOptions::new().map(file) }.ok()?;
    (map.len() as u64 == len).then_some(map)
}

/// Installs (once) a SIGBUS handler that says a draft was cut short and exits with status 2.
/// Reading a page of a mapped file that truncation removed raises SIGBUS, whose default is to
/// kill the process without a word; whosaid maps nothing else, so the signal means that.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn stop_when_cut_short() {
    extern "C" fn cut_short(_: libc::c_int) {
        const SAID: &[u8] = b"whosaid: a draft was cut short on disk while it was being read; \
            its results are incomplete, so run the command again\n";
        // SAFETY: write(2) and _exit(2) are async-signal-safe, and SAID is static.
        unsafe {
            libc::write(2, SAID.as_ptr().cast(), SAID.len());
            libc::_exit(2);
        }
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: a zeroed sigaction is a valid value (no flags, empty mask), and the handler
        // only calls async-signal-safe functions.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = cut_short as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    });
}

/// A large file read by two threads at once, each copying half of it from the kernel (which
/// is a tenth of a 32 MB scan when one thread does it all); `None` when the file is small, or
/// not `len` bytes long any more, so the caller reads it the ordinary way.
#[cfg(unix)]
fn read_in_halves(file: &std::fs::File, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    const HALVES_FROM: u64 = 8 << 20;
    if len < HALVES_FROM {
        return None;
    }
    let len = usize::try_from(len).ok()?;
    // Zeroed memory comes straight from the kernel, untouched until the reads fill it.
    let mut bytes = vec![0u8; len];
    huge_pages(&mut bytes);
    let (first, second) = bytes.split_at_mut(len / 2);
    let (a, b) = rayon::join(
        || file.read_exact_at(first, 0),
        || file.read_exact_at(second, (len / 2) as u64),
    );
    a.ok()?;
    b.ok()?;
    // A file that grew since its size was read is read again as a whole.
    match file.read_at(&mut [0], len as u64) {
        Ok(0) => Some(bytes),
        _ => None,
    }
}

/// Asks Linux to back a large buffer with 2 MiB pages before it is filled: reading a 32 MB draft
/// into 4 KiB pages takes eight thousand page faults, a tenth of a whole `scan`.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn huge_pages(buf: &mut Vec<u8>) {
    const HUGE: usize = 2 << 20;
    if buf.capacity() < 4 * HUGE {
        return;
    }
    let start = buf.as_mut_ptr() as usize;
    let aligned = start.next_multiple_of(HUGE);
    let end = (start + buf.capacity()) / HUGE * HUGE;
    if end > aligned {
        // SAFETY: the range lies inside the vector's own allocation, and MADV_HUGEPAGE only
        // changes how the kernel backs those pages, never their contents. A refusal (a kernel
        // without transparent huge pages) leaves the buffer as it was, so the result is ignored.
        unsafe {
            libc::madvise(
                aligned as *mut libc::c_void,
                end - aligned,
                libc::MADV_HUGEPAGE,
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn huge_pages(_: &mut Vec<u8>) {}

/// Grows the pipe `out` writes into (when it is one) to a megabyte before a large output goes
/// through it. At the default 64 KiB, the 28 MB of a dense 32 MB draft's JSON took 450 turns of
/// the writer filling the pipe and sleeping until the reader emptied it. Anything else (a file,
/// a terminal, a system that allows less) is left as it is.
#[cfg(target_os = "linux")]
pub fn widen_pipe(out: impl std::os::fd::AsFd) {
    const PIPE: usize = 1 << 20;
    let _ = rustix::pipe::fcntl_setpipe_size(out, PIPE);
}

#[cfg(not(target_os = "linux"))]
pub fn widen_pipe<T>(_: T) {}

/// What [`ReadError::NotRegular`] says of a folder.
pub const FOLDER: &str = "a folder";

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return FOLDER;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file from the size given is mapped, one below it is read, and both give the file's
    /// bytes; the limit holds for both.
    #[test]
    #[cfg(target_os = "linux")]
    fn a_large_file_is_mapped_and_reads_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &bytes).unwrap();
        let Ok(Contents::Mapped(mapped)) = read_or_map(&p, 1 << 20, Some(100_000)) else {
            panic!("a file of the size given is mapped");
        };
        assert_eq!(&mapped[..], &bytes[..]);
        let Ok(Contents::Read(read)) = read_or_map(&p, 1 << 20, Some(100_001)) else {
            panic!("a file below the size given is read");
        };
        assert_eq!(read, bytes);
        assert!(matches!(
            read_or_map(&p, 99_999, Some(0)),
            Err(ReadError::TooLarge(99_999))
        ));
    }

    /// A mapped file cut short on disk while it is read stops the process with a sentence and
    /// status 2, not a silent death by SIGBUS. The reading happens in a child process (this
    /// test run again with the file named in the environment).
    #[test]
    #[cfg(target_os = "linux")]
    fn a_mapped_file_cut_short_stops_with_a_message() {
        const CHILD: &str = "WHOSAID_TEST_CUT_SHORT";
        if let Some(path) = std::env::var_os(CHILD) {
            let path = Path::new(&path);
            let Ok(Contents::Mapped(contents)) = read_or_map(path, u64::MAX, Some(0)) else {
                panic!("the file is mapped");
            };
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .unwrap()
                .set_len(0)
                .unwrap();
            let sum: u64 = contents.iter().map(|&b| u64::from(b)).sum();
            println!("read {sum} after the file was cut short");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("draft.txt");
        std::fs::write(&p, "Officials said so.\n".repeat(10_000)).unwrap();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "files::tests::a_mapped_file_cut_short_stops_with_a_message",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, &p)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("whosaid: a draft was cut short on disk while it was being read"),
            "{stderr}"
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains("after the file was cut short"));
    }

    #[test]
    fn a_regular_file_within_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_regular(&p, 5).unwrap(), b"12345");
        assert!(matches!(read_regular(&p, 4), Err(ReadError::TooLarge(4))));
        assert!(matches!(
            read_regular(&dir.path().join("none"), 4),
            Err(ReadError::NotFound(_))
        ));
        assert!(matches!(
            read_regular(dir.path(), 4),
            Err(ReadError::NotRegular("a folder"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_links_to_them_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("draft.md");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let err = read_regular(&link, 1 << 30).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (it is a device)");
    }

    #[test]
    fn sizes_are_named_as_people_write_them() {
        assert_eq!(size_label(64 << 20), "64 MiB");
        assert_eq!(size_label(1 << 30), "1 GiB");
        assert_eq!(size_label(1000), "1000 bytes");
    }
}
