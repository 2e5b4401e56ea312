//! whosaid: find anonymous-source attributions in a news draft, let an editor judge each one, and
//! keep those judgements in a RON sidecar beside the draft.
//!
//! The core — [`article`], [`detect`], [`review`], [`sidecar`], [`config`] — knows nothing of
//! terminals. The [`tui`] module is a thin view over a [`review::Review`]; the [`cli`] commands
//! (`scan`, `config`) reuse the same core without a UI.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod article;
pub mod cli;
pub mod config;
pub mod detect;
pub mod judgement;
pub mod review;
pub mod sanitize;
pub mod sidecar;
pub mod tui;
