//! The user's configuration: `config.ron` in the platform's config folder, or the file named by
//! `WHOSAID_CONFIG`. No file is fine; a broken one is an error that names its path, line and column.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const ENV_VAR: &str = "WHOSAID_CONFIG";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Key overrides: mode → action name → keys (docs/keys.md). Checked when the review screen
    /// starts.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub keys: std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>,
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
    #[error("config {path}:{line}:{column}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Where the config is looked for, and whether it was there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: Option<PathBuf>,
    pub found: bool,
}

/// The path in use: `WHOSAID_CONFIG` if set, else the platform's config folder.
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(ENV_VAR).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "whosaid").map(|d| d.config_dir().join("config.ron"))
}

impl Config {
    /// Loads the config from `path`; a missing file gives the defaults.
    pub fn load(path: Option<&Path>) -> Result<(Self, Located), ConfigError> {
        let Some(path) = path else {
            return Ok((
                Self::default(),
                Located {
                    path: None,
                    found: false,
                },
            ));
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((
                    Self::default(),
                    Located {
                        path: Some(path.to_owned()),
                        found: false,
                    },
                ));
            }
            Err(reason) => {
                return Err(ConfigError::Io {
                    path: path.to_owned(),
                    reason,
                });
            }
        };
        let config = Self::parse(&text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })?;
        Ok((
            config,
            Located {
                path: Some(path.to_owned()),
                found: true,
            },
        ))
    }

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
    fn missing_file_is_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let (c, loc) = Config::load(Some(&dir.path().join("none.ron"))).unwrap();
        assert_eq!(c, Config::default());
        assert!(!loc.found);
    }

    #[test]
    fn broken_file_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ron");
        std::fs::write(&path, "(\n  author: \"ed\",\n  colour: 3,\n)").unwrap();
        let err = Config::load(Some(&path)).unwrap_err().to_string();
        assert!(err.contains("config.ron:3:"), "{err}");
        assert!(err.contains("colour"), "{err}");
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
