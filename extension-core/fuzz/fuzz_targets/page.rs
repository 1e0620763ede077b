//! Whole-page extraction and scoring through the parsed-HTML backend, as the CLI and the
//! native tests run it. The first line of the input is the URL, the rest the page.
#![no_main]

use chrono::NaiveDate;
use deal_health::dom::parsed::ParsedDom;
use deal_health::page::recognize;
use deal_health::{analyze, locale::Locale, AnalyzeOptions};
use libfuzzer_sys::fuzz_target;

const DEFAULT_URL: &str =
    "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (first, html) = text.split_once('\n').unwrap_or(("", &text));
    let page = recognize(first.trim())
        .or_else(|| recognize(DEFAULT_URL))
        .expect("the default URL is an Opportunity page");
    let dom = ParsedDom::parse(html);
    for locale in [None, Locale::parse("de_DE")] {
        let options = AnalyzeOptions {
            locale,
            today: NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date"),
        };
        let report = analyze(&dom, &page, &options);
        assert_eq!(report.opportunity_id, page.record_id, "never another deal");
        assert!(report.score.value.is_none_or(|value| value <= 100));
    }
});
