//! A minimal LSP client for timing `whosaid lsp` as an editor drives it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: mpsc::Receiver<(Instant, Value)>,
}

impl Client {
    pub fn start(dir: &std::path::Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_whosaid"))
            .arg("lsp")
            .current_dir(dir)
            .env("HOME", dir)
            .env("XDG_CONFIG_HOME", dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start whosaid lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                // Stamped when the whole message has arrived.
                let at = Instant::now();
                let Ok(v) = serde_json::from_slice(&body) else {
                    return;
                };
                if tx.send((at, v)).is_err() {
                    return;
                }
            }
        });
        let mut c = Self { child, stdin, rx };
        c.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }));
        c.wait(|m| m["id"] == 1);
        c.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
        c
    }

    pub fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    /// The first message `pick` accepts, and when it arrived.
    pub fn wait(&mut self, pick: impl Fn(&Value) -> bool) -> (Instant, Value) {
        loop {
            let (at, m) = self
                .rx
                .recv_timeout(Duration::from_secs(60))
                .expect("the server answers");
            if pick(&m) {
                return (at, m);
            }
        }
    }

    pub fn stop(mut self) {
        self.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }));
        self.wait(|m| m["id"] == 2);
        self.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
        let _ = self.child.wait();
    }
}
