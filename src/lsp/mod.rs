//! `whosaid lsp`: the detector and the sidecar in the writer's editor, over the Language Server
//! Protocol on standard input and output.
//!
//! One thread reads framed messages and hands them to the main loop, which keeps each open
//! document's text and publishes diagnostics computed on it (unsaved text included), a short
//! while after the last change. Judgements come from the sidecar beside the draft, re-read and
//! re-anchored to the buffer each time; code actions change them through the same merge-and-
//! atomic-save path as the review screen. The server takes no lock: its saves merge like a
//! colleague's.

pub mod features;
pub mod positions;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentSymbolParams, DocumentSymbolResponse, ExecuteCommandParams,
    HoverParams, InitializeParams, MessageType, PositionEncodingKind, PublishDiagnosticsParams,
    ShowMessageParams, Uri,
};
use serde_json::{Value, json};

use crate::article::Article;
use crate::cli::drafts::{Settings, SettingsCache};
use crate::judgement::Status;
use crate::review::{Review, Stamp};
use features::View;
use positions::{Encoding, Lines};

/// How long after the last change diagnostics wait, so typing is not slowed by them.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// An open document: the buffer's text as the client has it.
struct Document {
    text: String,
    path: PathBuf,
    /// Diagnostics are due at this instant.
    due: Option<Instant>,
    /// How many orphaned notes the client was last told of.
    orphans_told: usize,
    /// The sidecar error the client was last told of, so it is said once, not at every change.
    sidecar_error_told: Option<String>,
}

struct Server {
    out: Box<dyn Write>,
    encoding: Encoding,
    documents: HashMap<String, Document>,
    settings: SettingsCache,
    author: Option<String>,
    shutting_down: bool,
}

/// Runs the server until the client says `exit` or closes its end. The exit status follows the
/// protocol: 0 after `shutdown`, 1 otherwise.
pub fn run(explicit_config: Option<&Path>) -> Result<std::process::ExitCode> {
    let (tx, rx) = mpsc::channel::<Result<Message, String>>();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_message(&mut input) {
                Ok(Some(m)) => {
                    if tx.send(Ok(m)).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    if tx.send(Err(e.to_string())).is_err() {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    });
    let mut server = Server {
        out: Box::new(std::io::BufWriter::new(std::io::stdout())),
        encoding: Encoding::Utf16,
        documents: HashMap::new(),
        settings: SettingsCache::new(explicit_config),
        author: None,
        shutting_down: false,
    };
    let clean = server.serve(&rx)?;
    Ok(if clean {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(1)
    })
}

fn read_message(input: &mut impl BufRead) -> std::io::Result<Option<Message>> {
    Message::read(input)
}

impl Server {
    /// The main loop: messages, and diagnostics when they fall due. Returns whether the client
    /// asked for `shutdown` before `exit`.
    fn serve(&mut self, rx: &mpsc::Receiver<Result<Message, String>>) -> Result<bool> {
        let mut initialized = false;
        loop {
            let wait = self
                .documents
                .values()
                .filter_map(|d| d.due)
                .min()
                .map(|due| due.saturating_duration_since(Instant::now()));
            let received = match wait {
                Some(w) => rx.recv_timeout(w),
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match received {
                Err(RecvTimeoutError::Timeout) => self.publish_due()?,
                Err(RecvTimeoutError::Disconnected) => return Ok(false),
                Ok(Err(malformed)) => {
                    // JSON-RPC's parse error, with no id to answer.
                    self.send_raw(json!({
                        "jsonrpc": "2.0",
                        "id": null,
                        "error": { "code": -32700, "message": malformed }
                    }))?;
                }
                Ok(Ok(Message::Request(req))) => {
                    if req.method == "initialize" {
                        let result = self.initialize(&req.params);
                        self.send(Response::new_ok(req.id, result).into())?;
                        initialized = true;
                    } else if !initialized {
                        self.send(
                            Response::new_err(
                                req.id,
                                ErrorCode::ServerNotInitialized as i32,
                                "initialize first".to_owned(),
                            )
                            .into(),
                        )?;
                    } else if req.method == "shutdown" {
                        self.shutting_down = true;
                        self.send(Response::new_ok(req.id, Value::Null).into())?;
                    } else {
                        let response = self.request(req);
                        self.send(response.into())?;
                    }
                }
                Ok(Ok(Message::Notification(n))) => {
                    if n.method == "exit" {
                        self.out.flush()?;
                        return Ok(self.shutting_down);
                    }
                    if initialized {
                        self.notification(n)?;
                    }
                }
                Ok(Ok(Message::Response(_))) => {}
            }
            self.out.flush()?;
        }
    }

    fn send(&mut self, message: Message) -> Result<()> {
        message
            .write(&mut self.out)
            .context("cannot write to the client")
    }

    fn send_raw(&mut self, value: Value) -> Result<()> {
        let body = serde_json::to_string(&value)?;
        write!(self.out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.out.flush()?;
        Ok(())
    }

    /// Sends a notification, serialised straight to its bytes: a large draft's diagnostics
    /// are never built as a JSON value tree first.
    fn notify(&mut self, method: &str, params: impl serde::Serialize) -> Result<()> {
        #[derive(serde::Serialize)]
        struct Out<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: P,
        }
        let body = serde_json::to_vec(&Out {
            jsonrpc: "2.0",
            method,
            params,
        })?;
        write!(self.out, "Content-Length: {}\r\n\r\n", body.len())?;
        self.out.write_all(&body)?;
        Ok(())
    }

    fn show(&mut self, typ: MessageType, message: String) -> Result<()> {
        self.notify("window/showMessage", ShowMessageParams { typ, message })
    }

    fn initialize(&mut self, params: &Value) -> Value {
        let params: InitializeParams = serde_json::from_value(params.clone()).unwrap_or_default();
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        self.encoding = if offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if watch {
            // Sidecars changed by a colleague or the review screen update the diagnostics.
            let _ = self.send(
                Request::new(
                    RequestId::from("whosaid-watch".to_owned()),
                    "client/registerCapability".to_owned(),
                    json!({ "registrations": [{
                        "id": "whosaid-sidecars",
                        "method": "workspace/didChangeWatchedFiles",
                        "registerOptions": { "watchers": [{ "globPattern": "**/*.sources.ron" }] }
                    }]}),
                )
                .into(),
            );
        }
        json!({
            "capabilities": {
                "positionEncoding": match self.encoding { Encoding::Utf8 => "utf-8", Encoding::Utf16 => "utf-16" },
                "textDocumentSync": { "openClose": true, "change": 1, "save": { "includeText": false } },
                "hoverProvider": true,
                "codeActionProvider": { "codeActionKinds": ["quickfix"] },
                "documentSymbolProvider": true,
                "executeCommandProvider": { "commands": features::COMMANDS },
            },
            "serverInfo": { "name": "whosaid", "version": env!("CARGO_PKG_VERSION") }
        })
    }

    fn notification(&mut self, n: Notification) -> Result<()> {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return self.show(
                        MessageType::WARNING,
                        format!(
                            "whosaid reads only files on disk, not {}",
                            p.text_document.uri.as_str()
                        ),
                    );
                };
                self.documents.insert(
                    p.text_document.uri.as_str().to_owned(),
                    Document {
                        text: p.text_document.text,
                        path,
                        due: Some(Instant::now()),
                        orphans_told: 0,
                        sidecar_error_told: None,
                    },
                );
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                if let Some(doc) = self.documents.get_mut(p.text_document.uri.as_str()) {
                    // Full sync: the last change holds the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        doc.text = change.text;
                    }
                    doc.due = Some(Instant::now() + DEBOUNCE);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params)
                    && self
                        .documents
                        .remove(p.text_document.uri.as_str())
                        .is_some()
                {
                    self.notify(
                        "textDocument/publishDiagnostics",
                        PublishDiagnosticsParams::new(p.text_document.uri, Vec::new(), None),
                    )?;
                }
            }
            // The sidecar is read again at every publish: a save or a changed sidecar only needs
            // one to fall due.
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => {
                for doc in self.documents.values_mut() {
                    doc.due = Some(Instant::now());
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            "textDocument/hover" => self.hover(req.params),
            "textDocument/codeAction" => self.code_actions(req.params),
            "textDocument/documentSymbol" => self.symbols(req.params),
            "workspace/executeCommand" => self.execute(req.params),
            other => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("whosaid does not answer {other}"),
                );
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, format!("{e:#}")),
        }
    }

    /// Settings (config, detector) for a draft.
    fn settings_for(&mut self, path: &Path) -> Result<std::sync::Arc<Settings>> {
        self.settings.for_draft(path)
    }

    /// The review of an open document's buffer, with its sidecar re-anchored to it.
    fn review_of(&mut self, uri: &str) -> Result<(Review, std::sync::Arc<Settings>)> {
        let doc = self
            .documents
            .get(uri)
            .with_context(|| format!("{uri} is not open"))?;
        let (path, text) = (doc.path.clone(), doc.text.clone());
        let settings = self.settings_for(&path)?;
        let article = Article::from_bytes(&path, text.into_bytes())?;
        let findings = settings
            .detector
            .detect_as(article.text(), article.format());
        let (mut review, error) = Review::load(article, findings);
        review.set_scale(settings.resolved.vocabulary.scale.clone());
        // Judgements that cannot be read: the sources are shown untagged and saving is refused,
        // said once per document until the sidecar reads again or fails otherwise.
        let error = error.map(|e| e.to_string());
        let told = self.documents.get_mut(uri).map(|d| {
            let changed = d.sidecar_error_told != error;
            d.sidecar_error_told.clone_from(&error);
            changed
        });
        if let (Some(e), Some(true)) = (error, told) {
            let _ = self.show(
                MessageType::ERROR,
                format!("whosaid: sidecar unreadable, nothing will be saved to it: {e}"),
            );
        }
        Ok((review, settings))
    }

    /// Publishes the diagnostics of every document whose time has come.
    fn publish_due(&mut self) -> Result<()> {
        let now = Instant::now();
        let due: Vec<String> = self
            .documents
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|t| t <= now))
            .map(|(k, _)| k.clone())
            .collect();
        for uri in due {
            if let Some(doc) = self.documents.get_mut(&uri) {
                doc.due = None;
            }
            self.publish(&uri)?;
        }
        Ok(())
    }

    fn publish(&mut self, uri_text: &str) -> Result<()> {
        let Ok(uri) = uri_text.parse::<Uri>() else {
            return Ok(());
        };
        let seen = self.with_view(&uri, |view| {
            Ok((
                view.diagnostics(),
                view.review.orphans().len(),
                file_name(view.review),
            ))
        });
        let (diagnostics, orphans, name) = match seen {
            Ok(seen) => seen,
            Err(e) => return self.show(MessageType::ERROR, format!("whosaid: {e:#}")),
        };
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams::new(uri.clone(), diagnostics, None),
        )?;
        let told = self.documents.get(uri_text).map_or(0, |d| d.orphans_told);
        if orphans != told {
            if let Some(doc) = self.documents.get_mut(uri_text) {
                doc.orphans_told = orphans;
            }
            if orphans > 0 {
                self.show(
                    MessageType::INFO,
                    format!(
                        "whosaid: {orphans} note(s) whose text has left {name}; the command {} lists them",
                        features::LIST_ORPHANS
                    ),
                )?;
            }
        }
        Ok(())
    }

    fn with_view<T>(&mut self, uri: &Uri, f: impl FnOnce(&View) -> Result<T>) -> Result<T> {
        let (review, settings) = self.review_of(uri.as_str())?;
        let lines = Lines::new(review.article().text(), self.encoding);
        let view = View {
            review: &review,
            vocabulary: &settings.resolved.vocabulary,
            policy: &settings.resolved.policy,
            lines: &lines,
            uri,
        };
        f(&view)
    }

    fn hover(&mut self, params: Value) -> Result<Value> {
        let p: HoverParams = serde_json::from_value(params)?;
        let pos = p.text_document_position_params.position;
        self.with_view(&p.text_document_position_params.text_document.uri, |v| {
            let at = v.sources_in(lsp_types::Range::new(pos, pos));
            Ok(match at.first() {
                Some(&i) => serde_json::to_value(v.hover(i))?,
                None => Value::Null,
            })
        })
    }

    fn code_actions(&mut self, params: Value) -> Result<Value> {
        let p: CodeActionParams = serde_json::from_value(params)?;
        self.with_view(&p.text_document.uri, |v| {
            let mut out: Vec<CodeActionOrCommand> = Vec::new();
            for i in v.sources_in(p.range) {
                let range = v.range(v.review.sources[i].start, v.review.sources[i].end);
                let related: Vec<_> = p
                    .context
                    .diagnostics
                    .iter()
                    .filter(|d| d.range == range)
                    .cloned()
                    .collect();
                out.extend(
                    v.actions(i, &related)
                        .into_iter()
                        .map(CodeActionOrCommand::CodeAction),
                );
            }
            Ok(serde_json::to_value(out)?)
        })
    }

    fn symbols(&mut self, params: Value) -> Result<Value> {
        let p: DocumentSymbolParams = serde_json::from_value(params)?;
        self.with_view(&p.text_document.uri, |v| {
            Ok(serde_json::to_value(DocumentSymbolResponse::Nested(
                v.symbols(),
            ))?)
        })
    }

    /// Runs a code action's command: changes the judgement and saves the sidecar (merged with
    /// whatever is on disk), then publishes the new diagnostics.
    fn execute(&mut self, params: Value) -> Result<Value> {
        let p: ExecuteCommandParams = serde_json::from_value(params)?;
        let arg = |k: usize| p.arguments.get(k).cloned().unwrap_or(Value::Null);
        let uri = arg(0)
            .as_str()
            .context("the command's first argument is the document's URI")?
            .to_owned();
        if p.command == features::LIST_ORPHANS {
            let parsed: Uri = uri.parse().map_err(|_| anyhow::anyhow!("bad URI {uri}"))?;
            let list = self.with_view(&parsed, |v| Ok(v.orphans()))?;
            let text = if list.is_empty() {
                "whosaid: no note has lost its text".to_owned()
            } else {
                format!(
                    "whosaid: notes whose text has left the draft: {}",
                    list.join("; ")
                )
            };
            self.show(MessageType::INFO, text)?;
            return Ok(json!(list));
        }
        let (start, end) = (
            arg(1).as_u64().context("start offset")? as usize,
            arg(2).as_u64().context("end offset")? as usize,
        );
        let value = arg(3).as_str().unwrap_or_default().to_owned();
        let (mut review, settings) = self.review_of(&uri)?;
        let i = review
            .sources
            .iter()
            .position(|s| s.start == start && s.end == end)
            .context("that source is no longer in the draft; try again")?;
        let author = self
            .author
            .get_or_insert_with(|| crate::config::resolve_author(None, &settings.resolved.config))
            .clone();
        let stamp = Stamp::now(&author);
        let level = || {
            settings
                .resolved
                .vocabulary
                .scale
                .statuses()
                .into_iter()
                .find(|s: &Status| s.as_str() == value)
                .with_context(|| format!("\"{value}\" is not a level of the scale in force"))
        };
        match p.command.as_str() {
            features::SET_STATUS => {
                review.set_status(i, level()?, &stamp);
            }
            features::TOGGLE_DISMISS => {
                review.toggle_dismissed(i, &stamp);
            }
            features::APPLY_TO_GROUP => {
                let status = level()?;
                review.set_status(i, status, &stamp);
                review.apply_status_to_group(i, true, &stamp);
            }
            other => anyhow::bail!("whosaid has no command {other}"),
        }
        match review.save() {
            Ok(_) => {}
            Err(e) => {
                self.show(MessageType::ERROR, format!("whosaid: not saved: {e}"))?;
                return Ok(Value::Null);
            }
        }
        self.publish(&uri)?;
        Ok(Value::Null)
    }
}

fn file_name(review: &Review) -> String {
    review
        .article()
        .path()
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The file a `file:` URI names.
fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}
