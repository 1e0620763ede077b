//! JavaScript entry points of the wasm build (`web` feature). Thin by design: they convert
//! arguments, call the core and convert the answer; no decision is made here.

use chrono::NaiveDate;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::Document;

use crate::dom::live::LiveDom;
use crate::locale::Locale;
use crate::page::recognize;
use crate::report::{analyze, AnalyzeOptions};

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| JsValue::from_str(&error.to_string()))
}

/// `{recordId, ui, host}` when `url` is an Opportunity record page, else `null`.
#[wasm_bindgen(js_name = recognizeUrl)]
pub fn recognize_url(url: &str) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Recognized<'a> {
        record_id: &'a str,
        ui: crate::page::Ui,
        host: &'a str,
    }
    match recognize(url) {
        Some(page) => to_js(&Recognized {
            record_id: &page.record_id,
            ui: page.ui,
            host: &page.host,
        }),
        None => Ok(JsValue::NULL),
    }
}

/// Analyses `document` as the page at `url`, scored as of `today` (`YYYY-MM-DD`). Returns the
/// report (the same JSON as `cc-health extract`), or `null` when `url` is not an Opportunity
/// record page.
#[wasm_bindgen(js_name = analyzeDocument)]
pub fn analyze_document(
    document: Document,
    url: &str,
    today: &str,
    locale: Option<String>,
) -> Result<JsValue, JsValue> {
    let Some(page) = recognize(url) else {
        return Ok(JsValue::NULL);
    };
    let today = NaiveDate::parse_from_str(today, "%Y-%m-%d")
        .map_err(|_| JsValue::from_str("today must be a date of the form YYYY-MM-DD"))?;
    let locale = locale.as_deref().and_then(Locale::parse);
    let report = analyze(
        &LiveDom::new(document),
        &page,
        &AnalyzeOptions { locale, today },
    );
    to_js(&report)
}
