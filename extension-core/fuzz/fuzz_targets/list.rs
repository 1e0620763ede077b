//! The rows of a list page through the parsed-HTML backend, as `cc-health list` reads them,
//! the summary a content script reports of them, and the same rows read again with the first
//! reading's cache (as the content script reads a list at every change). The first line of the input is the URL
//! (unused by the reading itself), the rest the page. The page's markup, and the whole input,
//! are also read as a row's copy.
#![no_main]

use chrono::NaiveDate;
use deal_health::dom::parsed::ParsedDom;
use deal_health::dom::snapshot::Snapshot;
use deal_health::list::summary::{summary_json, ListSummary, SummaryRows};
use deal_health::list::{
    analyze_list, analyze_list_anchored, analyze_list_cached, ListCache, MAX_ROWS,
};
use deal_health::page::opportunity_id;
use deal_health::{locale::Locale, AnalyzeOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let html = text.split_once('\n').map_or(&*text, |(_, rest)| rest);
    // The page's markup as a row's copy (`Dom::item_copy`): never a panic, whatever it says.
    let names: &'static [&'static str] = &["class", "href", "data-recordid", "data-label"];
    let _ = Snapshot::parse_html(&format!("0{html}"), names);
    let _ = Snapshot::parse_item(&text, names, "a[href], [data-recordid]");
    let dom = ParsedDom::parse(html);
    for locale in [None, Locale::parse("de_DE")] {
        let options = AnalyzeOptions {
            locale,
            today: NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date"),
        };
        let report = analyze_list(&dom, &options, None);
        assert!(report.rows.len() <= MAX_ROWS);
        for row in &report.rows {
            // Never a record the page does not name.
            assert!(
                opportunity_id(&row.record_id).is_some(),
                "{}",
                row.record_id
            );
            assert!(html.contains(&row.record_id[..15]), "{}", row.record_id);
            assert!(row.score.value.is_none_or(|value| value <= 100));
        }
        // What the content script reports is within the protocol's bounds, whatever the page.
        let summary = ListSummary::from_report(&report);
        assert!(summary.is_well_formed());
        // As the content script sends it (the summary's JSON as a string in the message), within
        // the 64 KiB the worker takes; and the JSON it sends is the summary.
        let json = summary_json(&report, &mut SummaryRows::default(), false);
        let message = serde_json::json!({"type": "listReport", "summary": json}).to_string();
        assert!(message.len() <= 62 * 1024, "{} bytes", message.len());
        let sent: ListSummary = serde_json::from_str(&json).expect("the summary's JSON");
        assert!(sent == summary);
        // Reusing what a reading kept never changes the answer.
        let cache = std::cell::RefCell::new(ListCache::new());
        let fresh = analyze_list_anchored(&dom, &options, None);
        assert!(analyze_list_cached(&dom, &options, None, &cache) == fresh);
        assert!(analyze_list_cached(&dom, &options, None, &cache) == fresh);
    }
});
