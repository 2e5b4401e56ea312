//! The review screen in a pseudo-terminal, for timing it as an editor meets it: from a key's
//! write to the end of the frame it causes. The binary writes each frame between the terminal's
//! begin and end synchronized-update marks and draws only when something changed, so every key
//! is answered by exactly one end mark.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const END_OF_FRAME: &[u8] = b"\x1b[?2026l";

pub struct Screen {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    frames: Receiver<Instant>,
    parser: Arc<Mutex<vt100::Parser>>,
    pub started: Instant,
}

impl Screen {
    pub fn open(binary: &Path, draft: &Path, home: &Path, size: (u16, u16)) -> Screen {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: size.1,
                cols: size.0,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(binary);
        cmd.arg(draft);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home);
        cmd.env("WHOSAID_DATA_DIR", home.join("data"));
        cmd.env_remove("WHOSAID_CONFIG");
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawn whosaid");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(size.1).expect("rows"),
            std::num::NonZeroU16::new(size.0).expect("columns"),
            0,
        )));
        let (tx, frames) = channel();
        let screen = Arc::clone(&parser);
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = vec![0u8; 1 << 16];
            // The end mark may be split across two reads: keep the last few bytes.
            let mut tail: Vec<u8> = Vec::new();
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let now = Instant::now();
                tail.extend_from_slice(&buf[..n]);
                let marks = tail
                    .windows(END_OF_FRAME.len())
                    .filter(|w| *w == END_OF_FRAME)
                    .count();
                screen.lock().expect("screen").process(&buf[..n]);
                for _ in 0..marks {
                    let _ = tx.send(now);
                }
                let keep = tail.len().min(END_OF_FRAME.len() - 1);
                tail.drain(..tail.len() - keep);
            }
        });
        Screen {
            child,
            writer,
            frames,
            parser,
            started,
        }
    }

    pub fn contents(&self) -> String {
        self.parser.lock().expect("screen").screen().contents()
    }

    /// Waits for frames until one shows `needle`; returns when that frame ended.
    pub fn frame_showing(&self, needle: &str, patience: Duration) -> Option<Instant> {
        let deadline = Instant::now() + patience;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let at = self.frames.recv_timeout(left).ok()?;
            // The screen may already hold later output; it is read after the mark, which is
            // what the editor sees at that moment or later.
            if self.contents().contains(needle) {
                return Some(at);
            }
        }
    }

    /// Sends `bytes` as one key and returns the time to the end of the frame it caused.
    pub fn key(&mut self, bytes: &[u8]) -> Option<Duration> {
        while self.frames.try_recv().is_ok() {}
        let sent = Instant::now();
        self.writer.write_all(bytes).expect("write key");
        self.writer.flush().expect("flush key");
        let at = self.frames.recv_timeout(Duration::from_secs(10)).ok()?;
        Some(at.saturating_duration_since(sent))
    }

    /// The process's peak resident memory so far, from /proc.
    pub fn peak_kib(&self) -> Option<u64> {
        let pid = self.child.process_id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
