//! Every fixture page through the live DOM backend, in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --no-default-features --features web`).
//! Pages are parsed with `Document.parseHTMLUnsafe`, which attaches declarative shadow roots
//! as real ones, so native shadow DOM is exercised for real.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

mod support;

use chrono::NaiveDate;
use extension_core::dom::live::LiveDom;
use extension_core::locale::Locale;
use extension_core::page::recognize;
use extension_core::report::{analyze_learning, AnalyzeOptions};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// (slug, page.html, meta.json, expected.json)
const FIXTURES: &[(&str, &str, &str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/fixture_list.rs"));

fn parse_document(html: &str) -> web_sys::Document {
    let document_class =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Document")).expect("Document");
    let parse = js_sys::Reflect::get(&document_class, &JsValue::from_str("parseHTMLUnsafe"))
        .expect("Document.parseHTMLUnsafe")
        .dyn_into::<js_sys::Function>()
        .expect("a function");
    parse
        .call1(&document_class, &JsValue::from_str(html))
        .expect("parsed")
        .dyn_into()
        .expect("a Document")
}

#[wasm_bindgen_test]
fn every_fixture_extracts_exactly_in_the_browser() {
    assert!(FIXTURES.len() >= 20, "the fixture list was generated");
    let mut failures = Vec::new();
    for (slug, html, meta, expected) in FIXTURES {
        let meta: Value = serde_json::from_str(meta).expect("meta.json");
        let expected: Value = serde_json::from_str(expected).expect("expected.json");
        let page = recognize(meta["url"].as_str().expect("url")).expect("an Opportunity URL");
        let options = AnalyzeOptions {
            locale: meta["locale"].as_str().and_then(Locale::parse),
            today: NaiveDate::parse_from_str(meta["today"].as_str().expect("today"), "%Y-%m-%d")
                .expect("date"),
        };
        let (report, date_order) = analyze_learning(
            &LiveDom::new(parse_document(html)),
            &page,
            &options,
            support::known_date_order(&meta),
        );
        let actual = support::comparable(&support::with_date_order(&report, date_order));
        let expected = support::comparable(&expected);
        if actual != expected {
            failures.push(support::explain(slug, &actual, &expected));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ in the browser:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[wasm_bindgen_test]
fn native_shadow_roots_are_real_in_this_harness() {
    let html = FIXTURES
        .iter()
        .find(|(slug, ..)| slug.contains("native-shadow"))
        .expect("a native-shadow fixture")
        .1;
    let document = parse_document(html);
    let host = document
        .query_selector("records-record-layout-item")
        .ok()
        .flatten()
        .expect("a layout item");
    assert!(
        host.shadow_root().is_some(),
        "declarative shadow DOM must become a real open shadow root"
    );
    assert!(document
        .query_selector("template[shadowrootmode]")
        .ok()
        .flatten()
        .is_none());
}
