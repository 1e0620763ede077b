//! The numeric date order, learned per org (issue 17, item 4): what settles it on a page, and
//! how an order an earlier page settled reads a date that a later page leaves open. The
//! extension keeps the order per org host (`protocol.rs`, `background/handlers.js`); the browser
//! side of the same two pages is `tests/e2e/dateorder.test.mjs`.
#![cfg(feature = "html")]

use std::path::Path;

use chrono::NaiveDate;
use deal_health::dom::parsed::ParsedDom;
use deal_health::locale::DateOrder;
use deal_health::page::recognize;
use deal_health::report::{analyze_learning, AnalyzeOptions, Report};

fn fixture(slug: &str) -> (String, String) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(slug);
    let html = std::fs::read_to_string(folder.join("page.html")).expect("page.html");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("meta.json")).expect("meta"))
            .expect("meta.json");
    (html, meta["url"].as_str().expect("url").to_string())
}

/// The page as the content script evaluates it: no locale, perhaps a remembered order.
fn evaluate(slug: &str, known: Option<DateOrder>) -> (Report, Option<DateOrder>) {
    let (html, url) = fixture(slug);
    let options = AnalyzeOptions {
        locale: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date"),
    };
    analyze_learning(
        &ParsedDom::parse(&html),
        &recognize(&url).expect("an Opportunity URL"),
        &options,
        known,
    )
}

fn close_date(report: &Report) -> Option<String> {
    report.fields.close_date.map(|date| date.to_string())
}

fn warned_ambiguous(report: &Report) -> bool {
    report
        .warnings
        .iter()
        .any(|w| w.code == "ambiguous_value" && w.field == Some("closeDate"))
}

#[test]
fn a_first_page_settles_the_order_and_a_second_cannot_alone() {
    // The first page: "4 Nov 2026" in its Created By stamp says day first.
    let (first, learned) = evaluate("lightning-date-order-month-name", None);
    assert_eq!(learned, Some(DateOrder::DayMonthYear));
    assert_eq!(close_date(&first).as_deref(), Some("2027-04-03"));

    // The second page: highlights only, 05/06/2027 and nothing else.
    let (alone, settled) = evaluate("lightning-highlights-only-known-order", None);
    assert_eq!(settled, None, "this page settles nothing");
    assert_eq!(close_date(&alone), None);
    assert!(warned_ambiguous(&alone));
    assert!(
        alone.close_date_left_open(),
        "the content script asks again for this page"
    );

    // With what the first page taught: read, and no warning.
    let (helped, settled) = evaluate("lightning-highlights-only-known-order", learned);
    assert_eq!(
        settled, None,
        "a remembered order is not news from this page"
    );
    assert_eq!(close_date(&helped).as_deref(), Some("2027-06-05"));
    assert!(!warned_ambiguous(&helped));
    assert!(!helped.close_date_left_open());
    assert!(!first.close_date_left_open());
    assert_ne!(alone.score, helped.score, "the date changes the score");
}

#[test]
fn what_the_page_settles_wins_over_what_was_remembered() {
    // The org's user changed locale since: the page's own evidence decides, and is reported
    // so the worker replaces the remembered order.
    let (report, settled) = evaluate(
        "lightning-date-order-month-name",
        Some(DateOrder::MonthDayYear),
    );
    assert_eq!(settled, Some(DateOrder::DayMonthYear));
    assert_eq!(close_date(&report).as_deref(), Some("2027-04-03"));

    let (report, settled) = evaluate(
        "lightning-ambiguous-date-settled",
        Some(DateOrder::DayMonthYear),
    );
    assert_eq!(settled, Some(DateOrder::MonthDayYear));
    assert_eq!(close_date(&report).as_deref(), Some("2027-03-04"));
}

#[test]
fn the_close_date_itself_settles_the_order() {
    // 12/15/2026: month first, with no need to read the rest of the page.
    let (report, settled) = evaluate("lightning-record-layout-en-us", None);
    assert_eq!(settled, Some(DateOrder::MonthDayYear));
    assert_eq!(close_date(&report).as_deref(), Some("2026-12-15"));
    // 28/02/2027 (console, en-GB): day first.
    let (_, settled) = evaluate("lightning-console-en-gb", None);
    assert_eq!(settled, Some(DateOrder::DayMonthYear));
    // Year first and dotted dates settle nothing about day and month.
    assert_eq!(evaluate("lightning-ja-jp", None).1, None);
    assert_eq!(evaluate("lightning-stale-page-de-de", None).1, None);
    assert_eq!(evaluate("lightning-iso-date-objectless-url", None).1, None);
}

#[test]
fn a_remembered_order_reads_only_what_the_page_leaves_open() {
    let (report, _) = evaluate("lightning-ambiguous-date", Some(DateOrder::MonthDayYear));
    assert_eq!(close_date(&report).as_deref(), Some("2027-03-04"));
    let (report, _) = evaluate("lightning-ambiguous-date", Some(DateOrder::DayMonthYear));
    assert_eq!(close_date(&report).as_deref(), Some("2027-04-03"));
    // An unambiguous date is never re-read by it.
    let (report, _) = evaluate(
        "lightning-record-layout-en-us",
        Some(DateOrder::DayMonthYear),
    );
    assert_eq!(close_date(&report).as_deref(), Some("2026-12-15"));
    // Nor is a dotted one.
    let (report, _) = evaluate("lightning-stale-page-de-de", Some(DateOrder::MonthDayYear));
    assert_eq!(close_date(&report).as_deref(), Some("2027-01-15"));
}

#[test]
fn the_names_are_the_ones_the_worker_stores() {
    for order in [DateOrder::MonthDayYear, DateOrder::DayMonthYear] {
        assert!(order.is_learnable());
        assert_eq!(DateOrder::from_name(order.name()), Some(order));
        assert_eq!(
            serde_json::to_value(order).expect("serialisable"),
            serde_json::Value::from(order.name())
        );
    }
    assert!(!DateOrder::YearMonthDay.is_learnable());
    assert_eq!(DateOrder::from_name("MonthDayYear"), None);
    assert_eq!(DateOrder::from_name(""), None);
}
