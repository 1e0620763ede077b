//! # extension-core
//!
//! Every decision the deal-health extension makes lives in this crate: which pages are
//! Opportunity records ([`page`]), how their fields are read ([`extract`], over the [`dom`]
//! trait, with values parsed per locale by [`value`]), and how the deal is scored ([`score`]).
//!
//! The crate builds natively (tests, the `cc-health` CLI, benchmarks) and for `wasm32` (the
//! extension). Only [`dom`]'s live backend and the `bindings` module touch `web-sys`,
//! `js-sys` or `wasm-bindgen`, and only under the `web` feature: everything else is plain Rust
//! that runs and is tested natively. `tests/architecture.rs` holds us to that.

pub mod analytics;
pub mod api;
pub mod auth;
pub mod badge;
pub mod cache;
pub mod client;
pub mod dom;
#[cfg(feature = "engine")]
pub mod enriched;
pub mod extract;
pub mod i18n;
pub mod locale;
mod locale_data;
pub mod page;
pub mod panel;
pub mod protocol;
pub mod report;
pub mod retry;
pub mod score;
pub mod settings;
pub mod value;

#[cfg(all(feature = "web", target_arch = "wasm32"))]
pub mod bindings;

pub use report::{analyze, AnalyzeOptions, Report};
