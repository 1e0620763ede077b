#![deny(missing_docs)]
//! # deal-health-client
//!
//! Tier 2's decisions, over the Tier 1 core (`deal-health`): the Customer City API's types
//! ([`api`]), the client's decisions ([`client`], [`cache`], [`retry`], [`auth`]), analytics
//! ([`analytics`]), the settings in force ([`settings`]), the message protocol ([`protocol`])
//! and the side panel's view ([`panel`]).
//!
//! Pure: the service worker (through `deal-health-worker`, its wasm bindings) performs the
//! requests and storage writes these functions name. Plain Rust, natively tested; nothing here
//! names a browser API (`extension-core/checks/tests/architecture.rs`).

pub mod analytics;
pub mod api;
pub mod auth;
pub mod cache;
pub mod client;
pub mod panel;
pub mod protocol;
pub mod retry;
pub mod settings;
pub mod storage;
