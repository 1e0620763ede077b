//! # deal-health-checks
//!
//! No code: this crate holds the tests that span the other crates (`tests/architecture.rs`:
//! what each wasm links, import cycles, browser APIs only in the bindings; `tests/i18n.rs`:
//! every message id the code names exists; `tests/colours.rs`: one colour per band).
