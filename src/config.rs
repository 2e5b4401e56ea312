//! Configuration, in layers: the user's own `config.ron` in the platform's config folder, and over
//! it the first of `--config FILE`, the file named by `WHOSAID_CONFIG`, or a newsroom's
//! `.whosaid.ron` found by walking up from the draft. No file is fine; a broken one is an error
//! that names its path, line and column.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::files::ReadError;
use crate::judgement::{Questions, Scale, Vocabulary};
use crate::review::verdict::{FailOn, Policy};

pub const ENV_VAR: &str = "WHOSAID_CONFIG";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Name recorded on every annotation you make; falls back to `$USER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Extra phrases to flag as anonymous sources (case-insensitive, whole words).
    pub flag: Vec<String>,
    /// Phrases never to flag: any finding that overlaps one is dropped.
    pub never_flag: Vec<String>,
    /// Also flag hedges that name no source at all ("reportedly", "is said to").
    pub hedges: bool,
    /// Words added to the built-in lexicon's lists.
    pub lexicon: LexiconExtension,
    /// Colours of the review screen: `default`, `high-contrast` or `mono` (no colour, as when
    /// `NO_COLOR` is set).
    pub theme: Theme,
    /// Whether the review screen's footer shows the main keys of the mode in use.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub footer: bool,
    /// The newsroom's own reliability scale, most reliable first (keys 1-9); empty for the
    /// built-in five.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scale: Vec<String>,
    /// The newsroom's own standards checklist, as `(key, question)` pairs, in the order an editor
    /// works through them; empty for the built-in six.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<(String, String)>,
    /// What needs action before publication beyond untagged, moved, conflicting, orphaned and
    /// out-of-scale sources: statuses (`unverified`, a newsroom's `doubtful`), `high-severity`
    /// and the like, or `unexplained-dismissal`. Unset: `unverified` and `disputed` on the
    /// built-in scale, nothing more on a newsroom's own. `check --fail-on` replaces it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Vec<String>>,
    /// The newsroom's page on anonymous sourcing, an absolute URI: code-scanning tools link each
    /// rule to it (SARIF `helpUri`). `{rule}` in it is replaced by the rule's id, for a page per
    /// rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standards_uri: Option<String>,
    /// Key overrides: mode → action name → keys (docs/keys.md). Checked when the review screen
    /// starts.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub keys: std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            author: None,
            flag: Vec::new(),
            never_flag: Vec::new(),
            hedges: false,
            lexicon: LexiconExtension::default(),
            theme: Theme::default(),
            footer: true,
            scale: Vec::new(),
            checklist: Vec::new(),
            fail_on: None,
            standards_uri: None,
            keys: std::collections::BTreeMap::new(),
        }
    }
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

/// The 1-based line of `path`'s first line holding `"needle"` (quoted, as RON writes it), to
/// point at a value the schema accepted but the program did not.
pub fn line_of(path: &Path, needle: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    let quoted = format!("\"{needle}\"");
    text.lines()
        .position(|l| l.contains(&quoted))
        .map(|i| i + 1)
}

/// Written as a string in the config (`theme: "mono"`), like every other word there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Theme {
    /// Colours chosen so no two statuses differ only by red against green.
    #[default]
    Default,
    /// Bright colours on black, and no dim grey text.
    HighContrast,
    /// No colour at all: bold, underline and reverse video only.
    Mono,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Default, Theme::HighContrast, Theme::Mono];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Default => "default",
            Theme::HighContrast => "high-contrast",
            Theme::Mono => "mono",
        }
    }
}

impl From<Theme> for String {
    fn from(t: Theme) -> String {
        t.as_str().to_owned()
    }
}

impl TryFrom<String> for Theme {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        Theme::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown theme \"{s}\"; use default, high-contrast or mono"))
    }
}

/// Words a newsroom adds to the detector's lists (see docs/detection.md for what each list does).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LexiconExtension {
    /// Role nouns: "official", "aide".
    pub roles: Vec<String>,
    /// Nouns that say nothing of the role: "source", "insider".
    pub bare: Vec<String>,
    /// Unnamed but sanctioned speakers: "spokesman".
    pub spokespersons: Vec<String>,
    /// "senior", "former".
    pub modifiers: Vec<String>,
    /// "unnamed", "anonymous".
    pub anonymity_modifiers: Vec<String>,
    /// "White House", "Downing Street"; may be several words.
    pub affiliations: Vec<String>,
    /// Reporting verbs: "said", "told".
    pub cue_verbs: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {reason}")]
    Io {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("config {path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("config {path}:{line}:{column}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// The largest config file read; a config is a few lines.
const MAX_BYTES: u64 = 1 << 20;

/// The name of a newsroom's config, looked for in the draft's folder and every folder above it.
pub const PROJECT_FILE: &str = ".whosaid.ron";

/// The user's own config in the platform's config folder.
pub fn user_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "whosaid").map(|d| d.config_dir().join("config.ron"))
}

/// The file named by `WHOSAID_CONFIG`, if it is set.
pub fn env_path() -> Option<PathBuf> {
    std::env::var_os(ENV_VAR)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// The nearest `.whosaid.ron` in `dir` or a folder above it.
pub fn find_project(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    dir.ancestors()
        .map(|d| d.join(PROJECT_FILE))
        .find(|p| p.is_file())
}

/// Where one layer of the config came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    /// `user config`, `--config`, `WHOSAID_CONFIG` or `newsroom config (.whosaid.ron)`.
    pub role: &'static str,
}

/// The config in effect for a draft, and the files it was made from (lowest layer first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub config: Config,
    pub from: Vec<Origin>,
    /// The checklist and reliability scale the config defines, checked.
    pub vocabulary: Vocabulary,
    /// What needs action before publication under this config.
    pub policy: Policy,
}

/// The folder a draft's `.whosaid.ron` is looked for from: the folder itself for a folder, else
/// the folder the file is in, made absolute (a bare `draft.md` is in the working folder) and
/// with symlinked folders resolved. The file need not exist (standard input is reported under a
/// name of the caller's choosing).
pub fn folder_of(draft: &Path) -> PathBuf {
    // `absolute("")` is an error, and `Path::new("a.md").parent()` is `""`: both mean here.
    let draft = if draft.as_os_str().is_empty() {
        Path::new(".")
    } else {
        draft
    };
    let absolute = std::path::absolute(draft).unwrap_or_else(|_| draft.to_owned());
    let folder = if absolute.is_dir() {
        absolute
    } else {
        absolute
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_owned)
    };
    std::fs::canonicalize(&folder).unwrap_or(folder)
}

/// The file that goes over the user's config for a draft in `folder`: `explicit`
/// (`--config`), else `WHOSAID_CONFIG`, else the `.whosaid.ron` nearest `folder`.
pub fn chosen_path(explicit: Option<&Path>, folder: &Path) -> Option<Origin> {
    if let Some(p) = explicit {
        return Some(Origin {
            path: p.to_owned(),
            role: "--config",
        });
    }
    if let Some(p) = env_path() {
        return Some(Origin {
            path: p,
            role: "WHOSAID_CONFIG",
        });
    }
    find_project(folder).map(|path| Origin {
        path,
        role: "newsroom config (.whosaid.ron)",
    })
}

/// The config in effect for `draft` (a file or a folder; it need not exist): the user's config
/// with the chosen file (see [`chosen_path`]) merged over it, its scale and checklist checked.
/// This is the one way every command and the review screen find a draft's config.
pub fn for_draft(explicit: Option<&Path>, draft: &Path) -> Result<Resolved, ConfigError> {
    resolve_over(chosen_path(explicit, &folder_of(draft)))
}

/// Builds the config from the user's own and `chosen` over it. A file named by `--config` or
/// `WHOSAID_CONFIG` must exist; the others may be missing.
pub fn resolve_over(chosen: Option<Origin>) -> Result<Resolved, ConfigError> {
    let mut config = Config::default();
    let mut from = Vec::new();
    let layers = [
        user_path().map(|path| Origin {
            path,
            role: "user config",
        }),
        chosen,
    ];
    for origin in layers.into_iter().flatten() {
        let required = matches!(origin.role, "--config" | "WHOSAID_CONFIG");
        if let Some(layer) = read_layer(&origin.path, required)? {
            config.merge(layer);
            from.push(origin);
        }
    }
    let blame = |field: &str, message: String| {
        // The topmost file that sets the field is the one at fault.
        let path = from
            .iter()
            .rev()
            .find(|o| line_of_field(&o.path, field).is_some())
            .or(from.last())
            .map(|o| o.path.clone())
            .unwrap_or_default();
        ConfigError::Invalid {
            line: line_of_field(&path, field).unwrap_or(1),
            path,
            message,
        }
    };
    let vocabulary = Vocabulary {
        questions: Questions::new(&config.checklist).map_err(|e| blame("checklist", e))?,
        scale: Scale::new(&config.scale).map_err(|e| blame("scale", e))?,
    };
    let policy = match &config.fail_on {
        Some(names) => Policy {
            fail_on: FailOn::parse_all(names.iter().map(String::as_str), &vocabulary.scale)
                .map_err(|e| blame("fail_on", e))?,
        },
        None => Policy::default_for(&vocabulary.scale),
    };
    if let Some(uri) = &config.standards_uri {
        check_standards_uri(uri).map_err(|e| blame("standards_uri", e))?;
    }
    Ok(Resolved {
        config,
        from,
        vocabulary,
        policy,
    })
}

/// A rule's help link must be an absolute URI whatever the rule: SARIF readers refuse others.
fn check_standards_uri(uri: &str) -> Result<(), String> {
    let example = uri.replace("{rule}", "anon.unnamed");
    match url::Url::parse(&example) {
        Ok(_) => Ok(()),
        Err(e) => Err(format!(
            "standards_uri must be an absolute URI such as \"https://desk.example/standards#{{rule}}\" ({e})"
        )),
    }
}

/// The 1-based line where a config file sets `field` (`field:` at the start of a line's text).
fn line_of_field(path: &Path, field: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches('(').trim_start();
            l.strip_prefix(field)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// One config file as written: only what it sets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Layer {
    author: Option<String>,
    flag: Option<Vec<String>>,
    never_flag: Option<Vec<String>>,
    hedges: Option<bool>,
    lexicon: Option<LexiconExtension>,
    theme: Option<Theme>,
    footer: Option<bool>,
    checklist: Option<Vec<(String, String)>>,
    scale: Option<Vec<String>>,
    fail_on: Option<Vec<String>>,
    standards_uri: Option<String>,
    keys:
        Option<std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>>,
}

fn read_layer(path: &Path, required: bool) -> Result<Option<Layer>, ConfigError> {
    let io = |reason: std::io::Error| ConfigError::Io {
        path: path.to_owned(),
        reason,
    };
    let bytes = match crate::files::read_regular(path, MAX_BYTES) {
        Ok(b) => b,
        Err(ReadError::NotFound(_)) if !required => return Ok(None),
        Err(ReadError::NotFound(e) | ReadError::Io(e)) => return Err(io(e)),
        Err(e) => return Err(io(std::io::Error::other(e.to_string()))),
    };
    let text = String::from_utf8(bytes).map_err(|_| io(std::io::Error::other("not UTF-8 text")))?;
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<Layer>(&text)
        .map(Some)
        .map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })
}

fn append(to: &mut Vec<String>, more: Vec<String>) {
    for m in more {
        if !to.contains(&m) {
            to.push(m);
        }
    }
}

impl Config {
    /// Puts a layer over this config: what it sets replaces single values (author, hedges,
    /// theme) and the keys it names; its word lists are added to the lists below.
    pub fn merge(&mut self, layer: Layer) {
        if let Some(a) = layer.author {
            self.author = Some(a);
        }
        if let Some(h) = layer.hedges {
            self.hedges = h;
        }
        if let Some(t) = layer.theme {
            self.theme = t;
        }
        if let Some(f) = layer.footer {
            self.footer = f;
        }
        // A checklist is a whole: a newsroom's replaces the one below rather than adding to it.
        if let Some(c) = layer.checklist {
            self.checklist = c;
        }
        if let Some(sc) = layer.scale {
            self.scale = sc;
        }
        // Like the checklist, a list of what fails is a whole.
        if let Some(f) = layer.fail_on {
            self.fail_on = Some(f);
        }
        if let Some(u) = layer.standards_uri {
            self.standards_uri = Some(u);
        }
        append(&mut self.flag, layer.flag.unwrap_or_default());
        append(&mut self.never_flag, layer.never_flag.unwrap_or_default());
        if let Some(l) = layer.lexicon {
            let mine = &mut self.lexicon;
            append(&mut mine.roles, l.roles);
            append(&mut mine.bare, l.bare);
            append(&mut mine.spokespersons, l.spokespersons);
            append(&mut mine.modifiers, l.modifiers);
            append(&mut mine.anonymity_modifiers, l.anonymity_modifiers);
            append(&mut mine.affiliations, l.affiliations);
            append(&mut mine.cue_verbs, l.cue_verbs);
        }
        for (mode, actions) in layer.keys.unwrap_or_default() {
            self.keys.entry(mode).or_default().extend(actions);
        }
    }
}

impl Config {
    /// Parses config text. `author: "Ana"` works without RON's `Some(…)` wrapper.
    pub fn parse(text: &str) -> Result<Self, ron::error::SpannedError> {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
    }

    pub fn to_ron(&self) -> String {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new().new_line("\n"))
            .expect("config serialises")
    }
}

/// The name written on annotations: the `--author` flag, else the config, else `$USER`, else
/// "unknown".
pub fn resolve_author(flag: Option<&str>, config: &Config) -> String {
    flag.map(str::to_owned)
        .or_else(|| config.author.clone())
        .or_else(|| std::env::var("USER").ok())
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_layer_is_skipped_unless_it_was_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.ron");
        assert!(read_layer(&missing, false).unwrap().is_none());
        let err = read_layer(&missing, true).unwrap_err().to_string();
        assert!(err.contains("none.ron"), "{err}");
    }

    #[test]
    fn broken_file_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ron");
        std::fs::write(&path, "(\n  author: \"ed\",\n  colour: 3,\n)").unwrap();
        let err = read_layer(&path, true).unwrap_err().to_string();
        assert!(err.contains("config.ron:3:"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn a_bare_file_name_is_in_the_working_folder() {
        let here = std::fs::canonicalize(std::env::current_dir().unwrap()).unwrap();
        assert_eq!(folder_of(Path::new("draft.md")), here);
        assert_eq!(folder_of(Path::new("")), here);
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(folder_of(dir.path()), real);
        assert_eq!(folder_of(&dir.path().join("a.md")), real);
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert_eq!(folder_of(&dir.path().join("sub/../a.md")), real);
        assert_eq!(folder_of(&dir.path().join("sub/a.md")), real.join("sub"));
    }

    #[test]
    fn a_bad_scale_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(PROJECT_FILE);
        let chosen = Origin {
            path: path.clone(),
            role: "newsroom config (.whosaid.ron)",
        };
        std::fs::write(&path, "(\n  hedges: true,\n  scale: [\"a\", \"a\"],\n)").unwrap();
        let err = resolve_over(Some(chosen)).unwrap_err().to_string();
        assert!(err.contains(&format!("{}:3:", path.display())), "{err}");
    }

    #[test]
    fn round_trips_and_author_precedence() {
        let c = Config {
            author: Some("Desk".into()),
            flag: vec!["a little bird".into()],
            never_flag: vec![],
            hedges: true,
            lexicon: LexiconExtension {
                roles: vec!["fixer".into()],
                ..Default::default()
            },
            theme: Theme::HighContrast,
            footer: false,
            checklist: vec![("legal-reviewed".into(), "Legal has read it".into())],
            scale: vec!["confirmed".into(), "doubtful".into()],
            fail_on: Some(vec!["doubtful".into()]),
            standards_uri: Some("https://desk.example/standards#{rule}".into()),
            keys: Default::default(),
        };
        assert_eq!(Config::parse(&c.to_ron()).unwrap(), c);
        assert!(c.to_ron().contains("theme: \"high-contrast\""));
        let err = Config::parse("(theme: \"neon\")").unwrap_err().to_string();
        assert!(err.contains("neon"), "{err}");
        assert_eq!(resolve_author(Some("Ana"), &c), "Ana");
        assert_eq!(resolve_author(None, &c), "Desk");
    }
}
