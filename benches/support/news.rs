//! Inputs that look like real copy and do not fit in a cache, for timing the whole process.
//!
//! Dense news recombines the sentences of real stories: `../shared/articles/` and
//! `../shared/devset/articles/` beside the project when they are there, otherwise the project's
//! own corpus (`tests/corpus/`). Paragraphs of one to five sentences are drawn at random, and
//! every capitalised word inside a sentence and every number is varied, so no window of the
//! output repeats another. Ordinary prose is the machine's own documentation
//! (`/usr/share/common-licenses`, `/usr/share/doc`): long text with almost no sources in it.

use std::path::{Path, PathBuf};

use unicode_segmentation::UnicodeSegmentation;

/// Where the sentences came from, and the sentences.
pub struct Sentences {
    pub origin: String,
    pub list: Vec<String>,
    names: Vec<String>,
}

impl Sentences {
    pub fn load(project: &Path) -> Sentences {
        let shared = project.join("../shared");
        let mut texts = Vec::new();
        for dir in ["articles", "devset/articles"] {
            texts.extend(read_dir_texts(&shared.join(dir)));
        }
        let origin = if texts.is_empty() {
            texts = corpus_texts(&project.join("tests/corpus"));
            "the project's corpus (tests/corpus)".to_owned()
        } else {
            "real news (../shared/articles, ../shared/devset/articles)".to_owned()
        };
        let mut list = Vec::new();
        for text in &texts {
            for paragraph in text.split('\n') {
                for sentence in paragraph.unicode_sentences() {
                    let s = sentence.trim();
                    if s.len() > 20 {
                        list.push(s.to_owned());
                    }
                }
            }
        }
        let mut names: Vec<String> = list
            .iter()
            .flat_map(|s| s.split_whitespace().skip(1))
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| is_name(w))
            .map(str::to_owned)
            .collect();
        names.sort();
        names.dedup();
        Sentences {
            origin,
            list,
            names,
        }
    }

    /// About `bytes` bytes of paragraphs drawn from the sentences, a paragraph a line with a
    /// blank line between, names and numbers varied.
    pub fn dense(&self, bytes: usize, seed: u64) -> String {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut out = String::with_capacity(bytes + 4096);
        while out.len() < bytes {
            let n = 1 + rng.usize(0..5);
            for k in 0..n {
                if k > 0 {
                    out.push(' ');
                }
                let s = &self.list[rng.usize(0..self.list.len())];
                self.vary(s, &mut rng, &mut out);
            }
            out.push_str("\n\n");
        }
        out
    }

    fn vary(&self, sentence: &str, rng: &mut fastrand::Rng, out: &mut String) {
        for (i, word) in sentence.split_word_bounds().enumerate() {
            if word.bytes().all(|b| b.is_ascii_digit()) {
                let n = rng.u32(1..10u32.pow(word.len().min(4) as u32).max(10));
                out.push_str(&n.to_string());
            } else if i > 0 && is_name(word) && !self.names.is_empty() && rng.bool() {
                out.push_str(&self.names[rng.usize(0..self.names.len())]);
            } else {
                out.push_str(word);
            }
        }
    }
}

/// About `bytes` bytes of the machine's documentation: licences, copyright files, READMEs.
/// When there is less than asked for, its paragraphs are drawn again at random with numbers
/// varied, so the text still does not repeat in large windows.
pub fn ordinary_prose(bytes: usize, seed: u64) -> String {
    let mut files = Vec::new();
    collect_files(Path::new("/usr/share/common-licenses"), &mut files);
    collect_files(Path::new("/usr/share/doc"), &mut files);
    files.sort();
    let mut paragraphs = Vec::new();
    let mut out = String::with_capacity(bytes + 4096);
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if text.contains('\0') || text.contains("<html") || text.contains("<HTML") {
            continue;
        }
        for p in text.split("\n\n").filter(|p| p.len() > 80) {
            paragraphs.push(p.to_owned());
        }
        if out.len() < bytes {
            out.push_str(&text);
            out.push('\n');
        }
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    while out.len() < bytes && !paragraphs.is_empty() {
        let p = &paragraphs[rng.usize(0..paragraphs.len())];
        for word in p.split_word_bounds() {
            if word.bytes().all(|b| b.is_ascii_digit()) {
                out.push_str(&rng.u32(1..10_000).to_string());
            } else {
                out.push_str(word);
            }
        }
        out.push_str("\n\n");
    }
    out.truncate(floor_char_boundary(&out, bytes));
    out
}

fn floor_char_boundary(s: &str, i: usize) -> usize {
    (0..=i.min(s.len()))
        .rev()
        .find(|&k| s.is_char_boundary(k))
        .unwrap_or(0)
}

fn is_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && word.len() > 2 && chars.all(char::is_lowercase)
}

fn read_dir_texts(dir: &Path) -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// The passages of the project's corpus with their gold marks taken out.
fn corpus_texts(dir: &Path) -> Vec<String> {
    let marks = regex::Regex::new(r"\[\[([^|\]]*)\|[^\]]*\]\]|\{\{([^}]*)\}\}").unwrap();
    let text = regex::Regex::new(r##"(?s)text: r#"(.*?)"#"##).unwrap();
    let mut files = Vec::new();
    collect_files(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
    {
        let Ok(ron) = std::fs::read_to_string(file) else {
            continue;
        };
        for c in text.captures_iter(&ron) {
            let plain = marks.replace_all(&c[1], |m: &regex::Captures| {
                m.get(1).or(m.get(2)).map_or("", |g| g.as_str()).to_owned()
            });
            out.push(plain.into_owned());
        }
    }
    out
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect_files(&path, out);
        } else if kind.is_file() && path.extension().is_none_or(|e| e != "gz") {
            out.push(path);
        }
    }
}
