#![deny(missing_docs)]
//! # deal-health
//!
//! Tier 1, everything the badge needs and nothing more: which pages are Opportunity records
//! ([`page`]), how their fields are read ([`extract`], over the [`dom`] trait, with values
//! parsed per locale by [`value`] and [`locale`]), how the deal is scored ([`score`]), the
//! report the CLI prints ([`report`]), what the badge shows ([`badge`]) and the messages it
//! shows them in ([`i18n`]). Lists of Opportunities (list views, the Kanban board, related
//! lists: [`page::recognize_list`]) are read row by row and scored from the columns they show
//! ([`list`]).
//!
//! Plain Rust: it builds natively (tests, the `cc-health` CLI, benchmarks) and for `wasm32`
//! (the content script, through the `deal-health-content` crate). The two DOM backends are
//! features: `html` (parsed, over `scraper`) and `live` (the browser's DOM over `web-sys`,
//! wasm32 only). This crate names nothing of Tier 2 (API, sign-in, cache, analytics): the
//! content script's wasm depends on this crate alone, which
//! `extension-core/checks/tests/architecture.rs` checks with `cargo tree`.

pub mod badge;
pub mod dom;
pub mod extract;
pub mod i18n;
pub mod list;
pub mod locale;
pub mod page;
pub mod report;
pub mod score;
pub mod value;

pub use report::{analyze, AnalyzeOptions, Report};
