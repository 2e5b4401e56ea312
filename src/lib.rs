//! whosaid: find anonymous-source attributions in a news draft, let an editor judge each one, and
//! keep those judgements in a RON sidecar beside the draft.
//!
//! The core — [`article`], [`detect`], [`review`], [`sidecar`], [`config`], [`judgement`],
//! [`sanitize`] — knows nothing of terminals. The front ends sit over it: [`tui`], the review
//! screen, a thin view over a [`review::Review`]; and [`cli`], the commands (`scan`, `check`,
//! `report`, …) that run the same core without a UI. docs/architecture.md draws the map.

#![deny(unsafe_code)]
#![deny(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod article;
pub mod cli;
pub mod config;
pub mod detect;
pub mod files;
pub mod judgement;
pub mod lsp;
pub mod review;
pub mod sanitize;
pub mod sidecar;
mod swar;
pub mod tui;
