//! # extension-core
//!
//! The extension's Tier 2 decisions, over the Tier 1 core in the `deal-health` crate
//! (`extension-core/health/`, re-exported here under its own module names): the Customer City
//! API's types ([`api`]), the client's decisions ([`client`], [`cache`], [`retry`], [`auth`]),
//! analytics ([`analytics`]), the settings in force ([`settings`]), the message protocol
//! ([`protocol`]) and the side panel's view ([`panel`]); the enriched engine ([`enriched`],
//! server side only, `engine` feature); the worker's and side panel's wasm bindings (`worker`
//! feature).
//!
//! Plain Rust outside the `bindings` module: natively, nothing here depends on `web-sys`,
//! `js-sys` or `wasm-bindgen`. `tests/architecture.rs` holds us to that.

pub use deal_health::{badge, dom, extract, i18n, locale, page, report, score, value};

pub mod analytics;
pub mod api;
pub mod auth;
pub mod cache;
pub mod client;
#[cfg(feature = "engine")]
pub mod enriched;
pub mod panel;
pub mod protocol;
pub mod retry;
pub mod settings;

#[cfg(all(feature = "worker", target_arch = "wasm32"))]
pub mod bindings;

pub use report::{analyze, AnalyzeOptions, Report};
