//! The language server as an editor drives it: the real binary over stdio, JSON-RPC in and out.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PATIENCE: Duration = Duration::from_secs(20);

const DRAFT: &str = "Port talks stall\n\nThe deal is off, a senior official said. \u{201c}It is over,\u{201d} \
he added.\n\nHarbour chief Ana Ruiz said talks would resume. Sources said the union was not told.\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: mpsc::Receiver<Value>,
    next_id: i64,
    /// Notifications and requests from the server not yet looked at.
    pending: Vec<Value>,
}

impl Client {
    fn start(dir: &Path, utf8: bool) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_whosaid"))
            .arg("lsp")
            .current_dir(dir)
            .env_remove("WHOSAID_CONFIG")
            .env("HOME", dir)
            .env("XDG_CONFIG_HOME", dir)
            .env("USER", "lsp-tester")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start whosaid lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
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
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let mut client = Self {
            child,
            stdin,
            rx,
            next_id: 1,
            pending: Vec::new(),
        };
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let init = client.request(
            "initialize",
            json!({ "capabilities": { "general": { "positionEncodings": encodings } } }),
        );
        let expected = if utf8 { "utf-8" } else { "utf-16" };
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], expected);
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, v: &Value) {
        let body = serde_json::to_string(v).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The first message from the server that `pick` accepts, keeping the others.
    fn wait(&mut self, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(k) = self.pending.iter().position(&pick) {
            return self.pending.remove(k);
        }
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            match self.rx.recv_timeout(Duration::from_millis(100)) {
                Ok(m) if pick(&m) => return m,
                Ok(m) => self.pending.push(m),
                Err(_) => {}
            }
        }
        panic!("no such message; got {:?}", self.pending);
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn finish(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit after shutdown is 0: {status}");
                return;
            }
            assert!(start.elapsed() < PATIENCE, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn uri_of(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

fn texts(diags: &[Value], text: &str, utf8: bool) -> Vec<String> {
    // Positions back to text, in the encoding negotiated.
    let lines: Vec<&str> = text.split('\n').collect();
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let ch = p["character"].as_u64().unwrap() as usize;
        let before: usize = lines[..line].iter().map(|l| l.len() + 1).sum();
        let l = lines[line];
        let mut units = 0;
        for (i, c) in l.char_indices() {
            if units >= ch {
                return before + i;
            }
            units += if utf8 { c.len_utf8() } else { c.len_utf16() };
        }
        before + l.len()
    };
    diags
        .iter()
        .map(|d| text[offset(&d["range"]["start"])..offset(&d["range"]["end"])].to_owned())
        .collect()
}

#[test]
fn diagnostics_follow_the_buffer_and_match_scan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    let uri = uri_of(&path);
    let mut c = Client::start(dir.path(), false);
    c.open(&uri, DRAFT);
    let diags = c.diagnostics(&uri);
    assert_eq!(
        texts(&diags, DRAFT, false),
        ["a senior official", "Sources"]
    );
    assert!(diags.iter().all(|d| d["source"] == "whosaid"
        && d["severity"] == 2
        && d["message"].as_str().unwrap().contains("untagged")));
    assert_eq!(diags[0]["code"], "anon.descriptor");
    // `scan` finds the same on the file.
    let scan = Command::new(env!("CARGO_BIN_EXE_whosaid"))
        .args(["scan", "--format", "json"])
        .arg(&path)
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    let scanned: Value = serde_json::from_slice(&scan.stdout).unwrap();
    let scanned: Vec<&str> = scanned
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert_eq!(scanned, ["a senior official", "Sources"]);

    // Unsaved edits: a line above, a source deleted, a word inside one changed.
    let edited = format!(
        "New line above.\n{}",
        DRAFT.replace("Sources said", "Ruiz said")
    );
    c.change(&uri, 2, &edited);
    let diags = c.diagnostics(&uri);
    assert_eq!(texts(&diags, &edited, false), ["a senior official"]);
    assert_eq!(diags[0]["range"]["start"]["line"], 3);
    let edited = edited.replace("a senior official", "an unnamed official");
    c.change(&uri, 3, &edited);
    assert_eq!(
        texts(&c.diagnostics(&uri), &edited, false),
        ["an unnamed official"]
    );
    c.finish();
}

#[test]
fn hover_code_action_and_a_colleagues_change_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    let uri = uri_of(&path);
    let mut c = Client::start(dir.path(), false);
    c.open(&uri, DRAFT);
    let diags = c.diagnostics(&uri);
    let official = diags[0]["range"].clone();

    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": official["start"] }),
    );
    let md = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("a senior official") && md.contains("Status: **untagged**"),
        "{md}"
    );

    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": official, "context": { "diagnostics": [diags[0]] } }),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("mark \"a senior official\" verified")),
        "{titles:?}"
    );
    assert!(titles.iter().any(|t| t.contains("dismiss")), "{titles:?}");
    let verify = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("verified"))
        .unwrap();
    let r = c.request("workspace/executeCommand", verify["command"].clone());
    assert!(r.get("error").is_none(), "{r}");
    let diags = c.diagnostics(&uri);
    assert_eq!(diags[0]["severity"], 4, "verified passes: a hint");
    let sidecar = std::fs::read_to_string(dir.path().join("draft.md.sources.ron")).unwrap();
    assert!(
        sidecar.contains("status: \"verified\"") && sidecar.contains("lsp-tester"),
        "{sidecar}"
    );

    // A colleague disputes "Sources" in the review screen's way, on disk; the next code action
    // (dismissing the official) merges with it instead of writing over it.
    let detector = whosaid::detect::Detector::new(&whosaid::config::Config::default());
    let (mut review, _) = whosaid::review::open_draft(&path, None, Some(&detector)).unwrap();
    let sources = review
        .sources
        .iter()
        .position(|s| &DRAFT[s.start..s.end] == "Sources")
        .unwrap();
    let stamp = whosaid::review::Stamp::now("ben");
    review.set_status(sources, whosaid::judgement::Status::Disputed, &stamp);
    review.save().unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri_of(&dir.path().join("draft.md.sources.ron")), "type": 2 }] }),
    );
    let diags = c.diagnostics(&uri);
    assert_eq!(diags[1]["severity"], 1, "disputed is an error: {diags:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": official, "context": { "diagnostics": [] } }),
    );
    let dismiss = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("dismiss"))
        .unwrap()
        .clone();
    c.request("workspace/executeCommand", dismiss["command"].clone());
    let diags = c.diagnostics(&uri);
    assert_eq!(
        texts(&diags, DRAFT, false),
        ["Sources"],
        "dismissed is not published"
    );
    let sidecar = std::fs::read_to_string(dir.path().join("draft.md.sources.ron")).unwrap();
    assert!(
        sidecar.contains("status: \"disputed\"") && sidecar.contains("status: \"dismissed\""),
        "both editors' work is kept: {sidecar}"
    );

    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["[dismissed] a senior official", "[disputed] Sources"]
    );
    c.finish();
}

#[test]
fn utf8_positions_when_offered_and_utf16_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let text =
        "\u{1f600} \u{4e2d}\u{6587} \u{201c}Quote\u{201d}, an unnamed official said.\r\nNext.\r\n";
    std::fs::write(&path, text).unwrap();
    let uri = uri_of(&path);
    for utf8 in [false, true] {
        let mut c = Client::start(dir.path(), utf8);
        c.open(&uri, text);
        let diags = c.diagnostics(&uri);
        assert_eq!(
            texts(&diags, text, utf8),
            ["an unnamed official"],
            "utf8 {utf8}"
        );
        let expected = if utf8 {
            text.find("an unnamed").unwrap()
        } else {
            text[..text.find("an unnamed").unwrap()]
                .encode_utf16()
                .count()
        };
        assert_eq!(diags[0]["range"]["start"]["character"], expected);
        c.finish();
    }
}

#[test]
fn malformed_input_unknown_methods_and_double_close_never_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    let uri = uri_of(&path);
    let mut c = Client::start(dir.path(), false);
    c.send_raw("{ this is not json");
    let e = c.wait(|m| m["error"]["code"] == -32700);
    assert!(e["id"].is_null());
    c.send_raw(r#"{"jsonrpc":"2.0","id":99,"method":"textDocument/rename","params":{}}"#);
    let e = c.wait(|m| m["id"] == 99);
    assert_eq!(e["error"]["code"], -32601);
    let bad = c.request("textDocument/hover", json!({ "nonsense": true }));
    assert!(bad.get("error").is_some());
    c.open(&uri, DRAFT);
    c.diagnostics(&uri);
    for _ in 0..2 {
        c.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }
    assert!(c.diagnostics(&uri).is_empty(), "closing clears them");
    let gone = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(gone.get("error").is_some());
    // A file in a folder that does not exist is read from the buffer all the same.
    let missing = uri_of(&dir.path().join("no/such/folder/draft.md"));
    c.open(&missing, "Sources said so.\n");
    assert_eq!(c.diagnostics(&missing).len(), 1);
    c.finish();
}

/// A 50 MB buffer is read, scanned and answered like any other.
#[test]
fn a_50_mb_buffer_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let mut text =
        "The council met on Tuesday and the budget passed after a long debate. ".repeat(760_000);
    text.push_str("\nSources said the mayor would resign.\n");
    assert!(text.len() > 50 * 1024 * 1024);
    let uri = uri_of(&path);
    let mut c = Client::start(dir.path(), false);
    c.open(&uri, &text);
    let diags = c.diagnostics(&uri);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["range"]["start"]["line"], 1);
    c.finish();
}

/// A sidecar that cannot be read is never written over: the client is told why in one message.
/// Notes whose text left the buffer are told once and listed by a command.
#[test]
fn a_broken_sidecar_is_kept_and_orphans_are_told_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    let sidecar = dir.path().join("draft.md.sources.ron");
    let uri = uri_of(&path);

    // A judged source, then its sentence deleted in the buffer: an orphan.
    let detector = whosaid::detect::Detector::new(&whosaid::config::Config::default());
    let (mut review, _) = whosaid::review::open_draft(&path, None, Some(&detector)).unwrap();
    let stamp = whosaid::review::Stamp::now("ben");
    review.set_status(1, whosaid::judgement::Status::Verified, &stamp);
    review.set_note(1, "union confirmed", &stamp);
    review.save().unwrap();
    let mut c = Client::start(dir.path(), false);
    let edited = DRAFT.replace(" Sources said the union was not told.", "");
    c.open(&uri, &edited);
    c.diagnostics(&uri);
    let told = c.wait(|m| m["method"] == "window/showMessage");
    assert!(
        told["params"]["message"]
            .as_str()
            .unwrap()
            .contains("1 note(s) whose text has left draft.md"),
        "{told}"
    );
    let listed = c.request(
        "workspace/executeCommand",
        json!({ "command": "whosaid.listOrphans", "arguments": [uri] }),
    );
    assert!(
        listed["result"][0]
            .as_str()
            .unwrap()
            .contains("union confirmed"),
        "{listed}"
    );
    c.change(&uri, 2, &format!("{edited}More.\n"));
    c.diagnostics(&uri);
    assert!(
        !c.pending.iter().any(|m| m["method"] == "window/showMessage"
            && m["params"]["message"].as_str().unwrap().contains("note(s)")),
        "told once"
    );

    std::fs::write(&sidecar, "(version: 1, annotations: [ broken").unwrap();
    c.change(&uri, 3, DRAFT);
    let diags = c.diagnostics(&uri);
    c.wait(|m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap()
                .contains("sidecar unreadable")
    });
    // Said once, not at every change.
    c.change(&uri, 4, DRAFT);
    c.diagnostics(&uri);
    assert!(
        !c.pending.iter().any(|m| m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap()
                .contains("sidecar unreadable")),
        "{:?}",
        c.pending
    );
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": diags[0]["range"], "context": { "diagnostics": [] } }),
    );
    let verify = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("verified"))
        .unwrap()
        .clone();
    c.request("workspace/executeCommand", verify["command"].clone());
    let refused = c.wait(|m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap()
                .contains("not saved")
    });
    assert_eq!(refused["params"]["type"], 1, "an error: {refused}");
    assert_eq!(
        std::fs::read_to_string(&sidecar).unwrap(),
        "(version: 1, annotations: [ broken",
        "never overwritten"
    );
    c.finish();
}
